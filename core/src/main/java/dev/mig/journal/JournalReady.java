package dev.mig.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The everyday start of a run: the journal exists, is of this mig's version and of mig's shape,
 * and {@link Journal#ensure} would change nothing. Then its dozen statements are not needed: two
 * round trips check all that (under ensure's creation lock, so a journal being created or
 * upgraded is waited for as ensure waits) and read the plan's rows. Anything else (a journal
 * missing, older, newer, edited, missing its index or its meta row, a role that ensure's
 * statements would refuse) answers null, and the caller takes the full path, which creates,
 * upgrades or fails exactly as before.
 */
final class JournalReady {

    private JournalReady() {
    }

    /**
     * The journal's tables and columns, and what ensure needs beyond them: the history index and
     * the backfills' progress table (journal version 5), the right to create in the database and the schema (CREATE ... IF NOT EXISTS asks it even when
     * the object is there), to own the history table (CREATE INDEX IF NOT EXISTS), and to insert
     * into and read journal_meta.
     */
    private static final String FACTS = "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
            + " to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL,"
            + " has_database_privilege(current_database(), 'CREATE') AND has_schema_privilege(n.oid, 'CREATE'),"
            + " c.relname <> 'history' OR pg_has_role(c.relowner, 'USAGE'),"
            + " c.relname <> 'journal_meta' OR (has_table_privilege(c.oid, 'INSERT') AND has_table_privilege(c.oid, 'SELECT'))"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
            + " WHERE n.nspname = ? AND c.relname IN ('journal_meta', 'steps', 'history')";

    /** The plan's rows as {@link Journal#read} returns them, or null when the full path must run. */
    static Map<String, JournalEntry> read(Journal journal, Connection connection, String schema, String schemaName,
                                          long createLockKey, String plan) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        boolean ready = false;
        try {
            Map<String, Map<String, String>> found = facts(connection, schema, schemaName, createLockKey);
            if (found == null || !JournalShape.wrong(schemaName, found).isEmpty()) {
                return null;
            }
            Map<String, JournalEntry> entries = rows(journal, connection, schema, plan,
                    found.get("steps").containsKey("guard_evidence"));
            ready = entries != null;
            if (ready) {
                journal.tenantColumnKnown();
            }
            return entries;
        } finally {
            if (!ready) {
                connection.rollback();
            }
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Takes the creation lock, then reads the facts in the same round trip; null when ensure has work or a question. */
    private static Map<String, Map<String, String>> facts(Connection connection, String schema, String schemaName,
                                                         long createLockKey) throws SQLException {
        Map<String, Map<String, String>> found = new LinkedHashMap<>();
        // two statements, one round trip: the second's snapshot is taken once the lock is held
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_xact_lock(" + createLockKey + "); " + FACTS)) {
            ps.setString(1, schema + "." + Journal.HISTORY_INDEX);
            ps.setString(2, schema + ".progress");
            ps.setString(3, schemaName);
            ps.execute();
            if (!ps.getMoreResults()) {
                return null;
            }
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    if (!rs.getBoolean(4) || !rs.getBoolean(5) || !rs.getBoolean(6) || !rs.getBoolean(7)) {
                        return null;
                    }
                    found.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return found.size() == 3 ? found : null;
    }

    /** The version and the plan's rows in one query; null when the meta row is missing or of another version. */
    private static Map<String, JournalEntry> rows(Journal journal, Connection connection, String schema, String plan,
                                                  boolean evidence) throws SQLException {
        Map<String, JournalEntry> entries = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT m.schema_version, s.step, s.checksum, s.status,"
                + " s.applied_at, s.duration_ms, s.applied_by, s.mig_version, " + (evidence ? "s.guard_evidence::text" : "NULL")
                + " FROM " + schema + ".journal_meta m LEFT JOIN " + schema + ".steps s ON s.plan = ? AND s.tenant = ?"
                + " WHERE m.id = 1 ORDER BY s.position")) {
            ps.setString(1, plan);
            ps.setString(2, journal.tenant());
            try (ResultSet rs = ps.executeQuery()) {
                boolean any = false;
                while (rs.next()) {
                    any = true;
                    if (rs.getInt(1) != Journal.SCHEMA_VERSION) {
                        return null;
                    }
                    String step = rs.getString(2);
                    if (step != null) {
                        entries.put(step, new JournalEntry(plan, step, journal.checksum(plan, step, rs.getString(3)),
                                journal.status(plan, step, rs.getString(4)), rs.getObject(5, OffsetDateTime.class),
                                rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                    }
                }
                return any ? entries : null;
            }
        }
    }
}
