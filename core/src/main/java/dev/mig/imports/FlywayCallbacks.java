package dev.mig.imports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway's SQL callbacks and placeholders. {@code beforeMigrate[__desc].sql} and
 * {@code afterMigrate[__desc].sql} run on every {@code flyway migrate}, before and after the
 * migrations: they become {@code runAlways} steps at the start and the end of the plan. The other
 * callbacks (per migration, per statement, on error, on clean, info, validate...) have no place in
 * a mig run and are warned about. {@code ${name}} placeholders are not replaced by mig: each is a
 * warning with file:line.
 */
final class FlywayCallbacks {

    /** Flyway's callback events as file names: beforeMigrate, afterEachMigrateError, beforeClean... with an optional __description. */
    static final Pattern CALLBACK = Pattern.compile("((?:before|after)[A-Za-z]+)(?:__.*)?\\.sql");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}\\s]+)}");

    private final List<String> warnings;
    private final List<Path> before = new ArrayList<>();
    private final List<Path> after = new ArrayList<>();

    FlywayCallbacks(List<String> warnings) {
        this.warnings = warnings;
    }

    static boolean isCallback(String name) {
        return CALLBACK.matcher(name).matches();
    }

    /** Files come in name order, which is the order Flyway runs callbacks of one event in. */
    void add(Path p) {
        String name = p.getFileName().toString();
        Matcher m = CALLBACK.matcher(name);
        m.matches();
        switch (m.group(1)) {
            case "beforeMigrate" -> before.add(p);
            case "afterMigrate" -> after.add(p);
            default -> warnings.add(name + ": a Flyway " + m.group(1) + " callback, not carried (mig runs only beforeMigrate and"
                    + " afterMigrate callbacks, as runAlways steps); write what it does as a step if the migrations need it");
        }
    }

    List<Migration> before(MigrationFolder folder) {
        return steps(folder, before, "Flyway beforeMigrate callback: runs at the start of every mig run");
    }

    List<Migration> after(MigrationFolder folder) {
        return steps(folder, after, "Flyway afterMigrate callback: runs at the end of every mig run");
    }

    private static List<Migration> steps(MigrationFolder folder, List<Path> files, String why) {
        List<Migration> out = new ArrayList<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            out.add(new Migration(name, p, null, folder.refused(name, MigrationFolder.read(p)), false, true,
                    new Migration.Extra(List.of(), null, List.of(), why, null)));
        }
        return out;
    }

    /** Warns, with file:line, about each line holding Flyway placeholders, which mig does not replace. */
    static void placeholders(String file, String text, List<String> warnings) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = PLACEHOLDER.matcher(lines.get(i));
            List<String> found = new ArrayList<>();
            while (m.find()) {
                found.add(m.group());
            }
            if (!found.isEmpty()) {
                warnings.add(file + ":" + (i + 1) + ": Flyway placeholder" + (found.size() == 1 ? " " : "s ") + String.join(", ", found)
                        + " not replaced by mig; the statement runs with the text as written: replace "
                        + (found.size() == 1 ? "it" : "them") + " with the value Flyway was configured with");
            }
        }
    }
}
