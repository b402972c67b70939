package dev.mig.imports;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code migrations (goose {@code .go} files; Flyway Java and Kotlin migrations, as source or compiled class):
 * mig cannot run them, and an import must not drop them silently, since later SQL may depend on
 * what they did. Each becomes a step at its place that fails with a message naming the file,
 * unless the user passed {@code --skip-code-migrations}; then it is left out with a warning.
 */
public final class CodeMigrations {

    /** The command-line option that accepts leaving code migrations out. */
    public static final String SKIP_OPTION = "--skip-code-migrations";

    /**
     * A Flyway Java or Kotlin migration: its class name is {@code V<version>__<desc>} (version parts separated by
     * {@code _}, as a class name cannot hold a dot) or {@code R__<desc>}, as BaseJavaMigration reads it; the file is
     * its source ({@code .java}, {@code .kt}) or compiled {@code .class}. Nested classes ({@code $}) are not migrations.
     */
    static final Pattern FLYWAY = Pattern.compile("(?:V(\\d+(?:[._]\\d+)*)|R)__([^$]+)\\.(java|kt|class)");

    private CodeMigrations() {
    }

    /** A file some tool runs as code: a goose {@code .go} migration (not a {@code _test.go}), a Flyway Java or Kotlin one. */
    static boolean candidate(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".go") && !lower.endsWith("_test.go") && GooseFiles.NAME.matcher(name).matches()
                || FLYWAY.matcher(name).matches();
    }

    /**
     * The code files {@code format}'s tool runs (goose's {@code .go}, Flyway's Java and Kotlin), in name order; the
     * others are noted as skipped. A Flyway source and its compiled class (one stem) are one migration, read once.
     */
    static List<Path> of(ImportFormat format, List<Path> files, List<String> warnings) {
        List<Path> out = new ArrayList<>();
        Map<String, Path> stems = new HashMap<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            boolean go = name.toLowerCase(Locale.ROOT).endsWith(".go");
            if (format == ImportFormat.GOOSE && go || format == ImportFormat.FLYWAY && !go) {
                Path first = go ? null : stems.putIfAbsent(name.substring(0, name.lastIndexOf('.')), p);
                if (first != null) {
                    warnings.add(name + ": the same Flyway migration as " + first.getFileName() + " (source and class), read once");
                } else {
                    out.add(p);
                }
            } else {
                warnings.add(name + ": not a .sql file, skipped");
            }
        }
        return out;
    }

    /**
     * Whether Flyway's {@code script} of a Java migration (its class name, {@code db.migration.V2_5__Backfill}) names the
     * code migration step {@code stepName} ({@code V2_5__Backfill.java}, {@code .kt} or {@code .class}).
     */
    static boolean sameFlywayClass(String script, String stepName) {
        return FLYWAY.matcher(stepName).matches()
                && script.substring(script.lastIndexOf('.') + 1).equals(stepName.substring(0, stepName.lastIndexOf('.')));
    }

    /**
     * Puts Flyway's code migrations among the SQL ones as Flyway orders them: a versioned one at its version, a
     * repeatable one by its description; a version or description two migrations share is an error, as in Flyway.
     */
    static void placeFlyway(List<Path> code, Map<List<BigInteger>, Path> versioned, Map<String, Path> repeatable, MigrationFolder folder) {
        for (Path p : code) {
            Matcher c = FLYWAY.matcher(p.getFileName().toString());
            if (!c.matches()) {
                throw new IllegalArgumentException(p + " is not a Flyway code migration");
            }
            Path other = c.group(1) != null ? versioned.putIfAbsent(MigrationVersions.version(c.group(1)), p) : repeatable.putIfAbsent(c.group(2), p);
            if (other != null) {
                throw folder.duplicate(c.group(1) != null ? "version " + c.group(1) : "repeatable '" + c.group(2) + "'", other, p);
            }
        }
    }

    /**
     * The step of code migration {@code file} written by {@code tool}, or null (after a warning) when
     * {@code skip}.
     */
    static Migration of(Path file, String tool, boolean skip, List<String> warnings) {
        String name = file.getFileName().toString();
        if (skip) {
            warnings.add(name + ": a " + tool + " code migration, left out (" + SKIP_OPTION + "); what it does is not in the plan");
            return null;
        }
        return new Migration(name, file, null, List.of(), false, false, true);
    }

    /**
     * The step of Flyway code migration {@code file} (see {@link #of}); an undo file of its version ({@code U2__x.sql})
     * is not imported, with a note: the step that runs nothing has nothing to undo.
     */
    static Migration flywayStep(Path file, Path undo, boolean skip, List<String> warnings) {
        if (undo != null) {
            warnings.add(undo.getFileName() + ": the undo file of code migration " + file.getFileName() + ", not imported");
        }
        return of(file, "Flyway", skip, warnings);
    }

    /** For a history row without a step: a hint when code migrations were left out, as one of them may be that row's. */
    static String skippedHint(List<String> warnings) {
        return warnings.stream().anyMatch(w -> w.contains(" code migration, left out (" + SKIP_OPTION + ")"))
                ? " (code migrations left out by " + SKIP_OPTION + " have no step: import without it to adopt one the tool applied)" : "";
    }

    /** The message the step of a code migration fails with. */
    static String message(Migration m, String tool) {
        return m.name() + " is a " + tool + " code migration, which mig cannot run";
    }

    static String hint() {
        return "write what it does as SQL in this step (sql or sqlFile in place of this one), or import again with "
                + SKIP_OPTION + " if nothing after it depends on it";
    }

    /** A statement that fails with {@code message} and {@code hint} (SQL string literals, quotes doubled). */
    static String failingSql(String message, String hint) {
        return "DO $mig$ BEGIN RAISE EXCEPTION USING MESSAGE = " + sqlLiteral(message) + ", HINT = " + sqlLiteral(hint) + "; END $mig$";
    }

    private static String sqlLiteral(String s) {
        return "'" + s.replace("'", "''").replace("$mig$", "$ mig$") + "'";
    }
}
