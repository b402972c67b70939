package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Finds another tool's history table for {@code mig import --adopt}: by its default name on the
 * search path, or where {@code --history-table [SCHEMA.]TABLE} says (Flyway's
 * {@code defaultSchema}/{@code table}, Liquibase's {@code liquibase-schema-name} and
 * {@code database-changelog-table-name}, golang-migrate's {@code x-migrations-table}, Sqitch's
 * {@code --registry}...). The names are only ever compared with the catalog and come back quoted
 * with {@code quote_ident}, so no name the user gives is pasted into SQL.
 */
public final class HistoryTable {

    private HistoryTable() {
    }

    /**
     * The table, schema-qualified and quoted; exit 2 naming what was looked up when there is none, or
     * when it lacks one of {@code columns} (then it is not the table {@code tool} writes).
     *
     * @param given       {@code --history-table} as given, or null
     * @param defaultName the tool's own name for it; {@code schema.table} when the tool keeps it in a schema of its own
     */
    public static String find(Connection c, String given, String defaultName, String tool, String... columns) throws SQLException {
        String spec = given != null ? given.strip() : defaultName;
        String schema = null;
        String table = spec;
        int dot = dotOutsideQuotes(spec);
        if (dot >= 0) {
            schema = unquote(spec.substring(0, dot));
            table = unquote(spec.substring(dot + 1));
        } else {
            table = unquote(spec);
        }
        if (table.isEmpty() || schema != null && schema.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "--history-table '" + given + "' names no table", "give it as [SCHEMA.]TABLE");
        }
        String qualified = null;
        String sql = schema == null
                ? "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = to_regclass(quote_ident(?))"
                : "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (schema == null) {
                ps.setString(1, table);
            } else {
                ps.setString(1, schema);
                ps.setString(2, table);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    qualified = rs.getString(1);
                }
            }
        }
        if (qualified == null) {
            String where = schema == null ? "looked up on the search path" : "looked up in schema " + schema;
            if (given != null) {
                throw new MigException(ExitCode.PLAN_ERROR, "no table " + table + " on the --adopt database (" + where + ", from --history-table "
                        + given + ")", "name the table " + tool + " writes its history to, as [SCHEMA.]TABLE (case as stored; quote a name with a dot)");
            }
            throw new MigException(ExitCode.PLAN_ERROR, "no table " + table + " on the --adopt database (" + where + "): " + tool
                    + " has not migrated it, or keeps its history elsewhere",
                    "name the database " + tool + " migrated; if " + tool + " was told another schema or table name, pass --history-table SCHEMA.TABLE");
        }
        for (String column : columns) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?"
                    + " AND attnum > 0 AND NOT attisdropped")) {
                ps.setString(1, qualified);
                ps.setString(2, column);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new MigException(ExitCode.PLAN_ERROR, qualified + " has no column " + column + ": it is not the table "
                                + tool + " writes", given != null ? "check --history-table and --format"
                                : "check --format: golang-migrate and dbmate both name their table schema_migrations");
                    }
                }
            }
        }
        return qualified;
    }

    /** {@code qualified}'s schema part ({@code "sqitch"} of {@code sqitch.changes}), as quoted by {@link #find}. */
    static String schemaOf(String qualified) {
        return qualified.substring(0, dotOutsideQuotes(qualified));
    }

    private static int dotOutsideQuotes(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == '.' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1).replace("\"\"", "\"") : t;
    }
}
