package dev.mig.rehearse;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.catalog.Identifiers;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.StatementSplitter;
import dev.mig.target.Target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What {@code mig rehearse --url} copies from the target into the shadow: the schema (a
 * {@code pg_dump --schema-only} script) and the journal's rows, so that the steps applied on the
 * target count as applied in the shadow and only the pending ones run there. The target is only
 * ever read, on a read-only connection.
 */
public final class ShadowCopy {

    private ShadowCopy() {
    }

    /**
     * Runs a schema-only script in the shadow in one transaction; returns how many statements it had.
     * Lines starting with a backslash are psql meta-commands (pg_dump writes {@code \restrict} and
     * {@code \connect}); they are not SQL and are left out.
     */
    public static int restoreSchema(Connection shadow, String script) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            sql.append(line.startsWith("\\") ? "" : line).append('\n');
        }
        List<SqlStatement> statements = StatementSplitter.split(sql.toString());
        boolean autoCommit = shadow.getAutoCommit();
        shadow.setAutoCommit(false);
        try (Statement st = shadow.createStatement()) {
            for (SqlStatement statement : statements) {
                try {
                    st.execute(statement.text());
                } catch (SQLException e) {
                    shadow.rollback();
                    throw new MigException(ExitCode.PLAN_ERROR, "copying the target's schema into the shadow failed at line "
                            + statement.startLine() + " of the dump: " + oneLine(e.getMessage()) + "\n    statement: "
                            + oneLine(statement.text()),
                            "the shadow must be an empty database of the target's major version or newer;"
                                    + " extensions the target uses must be installable on the shadow server");
                }
            }
            shadow.commit();
        } finally {
            shadow.setAutoCommit(autoCommit);
        }
        return statements.size();
    }

    /**
     * Copies every row of the journal's {@code journal_meta} and {@code steps} tables (the history
     * is not needed to decide what is pending, and stays on the target). Returns the number of
     * step rows, or -1 when the target has no journal.
     */
    public static int copyJournal(Connection target, Connection shadow, String journalSchema) throws SQLException {
        String schema = Identifiers.quote(journalSchema);
        if (!exists(target, schema + ".steps") || !exists(shadow, schema + ".steps")) {
            return -1;
        }
        boolean autoCommit = shadow.getAutoCommit();
        shadow.setAutoCommit(false);
        int copied = 0;
        try {
            for (String table : List.of("journal_meta", "steps")) {
                String qualified = schema + "." + Identifiers.quote(table);
                if (!exists(target, qualified)) {
                    continue;
                }
                String rows;
                try (Statement st = target.createStatement();
                     ResultSet rs = st.executeQuery("SELECT coalesce(json_agg(t), '[]')::text FROM " + qualified + " t")) {
                    rs.next();
                    rows = rs.getString(1);
                }
                // the shadow's table came from the same dump, so its row type matches the JSON
                try (PreparedStatement ps = shadow.prepareStatement("INSERT INTO " + qualified
                        + " SELECT * FROM json_populate_recordset(NULL::" + qualified + ", ?::json)")) {
                    ps.setString(1, rows);
                    int n = ps.executeUpdate();
                    if (table.equals("steps")) {
                        copied = n;
                    }
                }
            }
            shadow.commit();
        } catch (SQLException e) {
            shadow.rollback();
            throw e;
        } finally {
            shadow.setAutoCommit(autoCommit);
        }
        target.rollback();
        return copied;
    }

    private static boolean exists(Connection connection, String relation) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Whether two targets name the same database: same database name and port, and hosts that
     * are equal or both this machine. A target whose host is unknown (jdbc:tc:) is never the same.
     */
    public static boolean sameDatabase(Target a, Target b) {
        if (a.host() == null || b.host() == null || a.database() == null) {
            return false;
        }
        boolean sameHost = a.host().equalsIgnoreCase(b.host()) || (a.local() && b.local());
        return sameHost && a.port() == b.port() && a.database().equals(b.database());
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
