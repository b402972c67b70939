package dev.mig.diagnose;

import dev.mig.api.SourceLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A name that is taken in a schema the plan declares it owns ({@code owns 'kb'}): on a development
 * database the quickest way out is {@code mig reset}, which drops the owned schemas and the plan's
 * journal rows and runs the plan from the start (docs/DSL.md section 9, "mig reset and owns").
 */
final class OwnedSchemas {

    private static final Pattern SHELL_PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

    private OwnedSchemas() {
    }

    /** The reset lines when {@code schema} is one the plan owns; empty otherwise. */
    static List<String> reset(Context ctx, String schema) {
        List<String> owns = ctx.plan().settings().owns();
        if (schema == null || !owns.contains(schema)) {
            return List.of();
        }
        String schemas = String.join(", ", owns.stream().map(Names::sqlIdent).toList());
        return List.of(
                "schema " + Names.sqlIdent(schema) + " is one this plan owns (owns " + String.join(", ",
                        owns.stream().map(o -> Names.literal(Names.sqlIdent(o))).toList()) + "): on a development database,"
                        + " start afresh with",
                "  mig reset " + shellWord(ctx.plan().file()) + " --yes",
                "which drops schema" + (owns.size() == 1 ? " " : "s ") + schemas + " with everything in "
                        + (owns.size() == 1 ? "it" : "them") + " and this plan's journal rows, then runs the plan from its first"
                        + " step (give it this run's --url and --journal-schema; without --yes it only says what it would drop)."
                        + " Not on a database whose data you keep");
    }

    /** The plan file as a shell word: as the user named it, quoted when it needs to be. */
    static String shellWord(Path file) {
        String text = new SourceLocation(file, 0).displayFile();
        return SHELL_PLAIN.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
