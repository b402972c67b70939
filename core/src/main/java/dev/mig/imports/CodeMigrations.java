package dev.mig.imports;

import java.nio.file.Path;
import java.util.List;

/**
 * Code migrations (goose {@code .go} files; later Flyway Java classes, Liquibase custom changes):
 * mig cannot run them, and an import must not drop them silently, since later SQL may depend on
 * what they did. Each becomes a step at its place that fails with a message naming the file,
 * unless the user passed {@code --skip-code-migrations}; then it is left out with a warning.
 */
public final class CodeMigrations {

    /** The command-line option that accepts leaving code migrations out. */
    public static final String SKIP_OPTION = "--skip-code-migrations";

    private CodeMigrations() {
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
