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

    /**
     * Warns, with file:line, about each line holding Flyway placeholders mig has no value for: the
     * plan declares them without one. {@code ${flyway:user}}, {@code ${flyway:database}} and
     * {@code ${flyway:defaultSchema}} are mig's built-ins under Flyway's names: no warning.
     */
    static void placeholders(String file, String text, List<String> warnings) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            List<String> found = new ArrayList<>();
            for (dev.mig.sql.PlaceholderText.Use use : dev.mig.sql.PlaceholderText.find(lines.get(i))) {
                if (!dev.mig.model.Placeholders.SESSION_BUILT_INS.containsKey(use.name())) {
                    found.add("${" + use.name() + "}");
                }
            }
            if (!found.isEmpty()) {
                warnings.add(file + ":" + (i + 1) + ": Flyway placeholder" + (found.size() == 1 ? " " : "s ") + String.join(", ", found)
                        + ": declared in the plan's placeholders without a value; fill in the value Flyway was configured with"
                        + " (mig refuses to run the step until then)");
            }
        }
    }
}
