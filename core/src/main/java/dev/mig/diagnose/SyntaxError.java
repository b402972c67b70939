package dev.mig.diagnose;

import dev.mig.sql.OtherDialects;

import java.util.ArrayList;
import java.util.List;

/**
 * 42601, a syntax error: the parts of the statement written the way another database writes
 * them ({@link OtherDialects}), with the PostgreSQL way. Loading a plan refuses those in its
 * {@code sql} and {@code sqlFile} text; this is for the rest: the statement a DO block or function
 * runs with EXECUTE (the server's internal query), and SQL the checks could not see.
 */
final class SyntaxError {

    private SyntaxError() {
    }

    static List<String> diagnose(Context ctx) {
        ServerError error = ctx.error();
        List<String> lines = new ArrayList<>();
        if (error.internalQuery() != null) {
            for (OtherDialects.Use use : OtherDialects.syntaxIn(error.internalQuery())) {
                lines.add("in the statement the block runs (" + abbreviated(error.internalQuery()) + "): " + use.sentence());
            }
        }
        if (error.statement() != null) {
            for (OtherDialects.Use use : OtherDialects.syntaxIn(error.statement())) {
                lines.add(use.sentence());
            }
        }
        return lines;
    }

    private static String abbreviated(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
