package dev.mig.sql;

import java.util.List;

/**
 * The statements PostgreSQL refuses inside a transaction block ({@code 25001 ... cannot run inside
 * a transaction block}), recognised from their tokens, so that a keyword in a string, a comment
 * or a dollar body never counts. Only statements that always refuse are listed; those that refuse
 * only with some options (a subscription with a replication slot) are left to the server.
 */
public final class TransactionBlock {

    private TransactionBlock() {
    }

    /**
     * What the statement is, as PostgreSQL names it in its error ({@code CREATE INDEX CONCURRENTLY},
     * {@code VACUUM}), when it cannot run in a transaction block; null when it can.
     */
    public static String refused(List<SqlTokens.Token> t) {
        if (t.isEmpty()) {
            return null;
        }
        if (is(t, 0, "VACUUM")) {
            return "VACUUM";
        }
        if (is(t, 0, "CREATE")) {
            int i = is(t, 1, "UNIQUE") ? 2 : 1;
            if (is(t, i, "INDEX") && is(t, i + 1, "CONCURRENTLY")) {
                return "CREATE INDEX CONCURRENTLY";
            }
            if (is(t, 1, "DATABASE")) {
                return "CREATE DATABASE";
            }
            if (is(t, 1, "TABLESPACE")) {
                return "CREATE TABLESPACE";
            }
            return null;
        }
        if (is(t, 0, "DROP")) {
            if (is(t, 1, "INDEX") && is(t, 2, "CONCURRENTLY")) {
                return "DROP INDEX CONCURRENTLY";
            }
            if (is(t, 1, "DATABASE")) {
                return "DROP DATABASE";
            }
            if (is(t, 1, "TABLESPACE")) {
                return "DROP TABLESPACE";
            }
            return null;
        }
        if (is(t, 0, "REINDEX")) {
            return reindex(t);
        }
        if (is(t, 0, "ALTER")) {
            if (is(t, 1, "SYSTEM")) {
                return "ALTER SYSTEM";
            }
            if (is(t, 1, "DATABASE") && hasWords(t, "SET", "TABLESPACE")) {
                return "ALTER DATABASE SET TABLESPACE";
            }
            if (is(t, 1, "TABLE") && hasWords(t, "DETACH", "PARTITION") && is(t, t.size() - 1, "CONCURRENTLY")) {
                return "ALTER TABLE ... DETACH PARTITION CONCURRENTLY";
            }
            return null;
        }
        if (is(t, 0, "DISCARD") && is(t, 1, "ALL")) {
            return "DISCARD ALL";
        }
        return null;
    }

    /**
     * {@code REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name}: with
     * CONCURRENTLY (written after the kind, or as an option that is not false), or of a whole
     * schema, database or system.
     */
    private static String reindex(List<SqlTokens.Token> t) {
        int i = 1;
        boolean concurrently = false;
        if (i < t.size() && t.get(i).isPunctuation('(')) {
            for (i = 2; i < t.size() && !t.get(i).isPunctuation(')'); i++) {
                if (t.get(i).is("CONCURRENTLY")) {
                    boolean off = is(t, i + 1, "FALSE") || is(t, i + 1, "OFF") || (i + 1 < t.size() && t.get(i + 1).text().equals("0"));
                    concurrently |= !off;
                }
            }
            i++;
        }
        String kind = i < t.size() ? t.get(i).upper() : "";
        if (is(t, i + 1, "CONCURRENTLY")) {
            concurrently = true;
        }
        if (concurrently) {
            return "REINDEX CONCURRENTLY";
        }
        return switch (kind) {
            case "SCHEMA", "DATABASE", "SYSTEM" -> "REINDEX " + kind;
            default -> null;
        };
    }

    private static boolean is(List<SqlTokens.Token> t, int i, String keyword) {
        return i >= 0 && i < t.size() && t.get(i).is(keyword);
    }

    /** Whether {@code first} is followed right away by {@code second} somewhere in the statement. */
    private static boolean hasWords(List<SqlTokens.Token> t, String first, String second) {
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).is(first) && t.get(i + 1).is(second)) {
                return true;
            }
        }
        return false;
    }
}
