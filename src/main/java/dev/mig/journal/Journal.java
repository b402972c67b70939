package dev.mig.journal;

import dev.mig.catalog.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The journal: schema {@code mig} (or another), with one current-state row per (plan, step) in
 * {@code steps} and an append-only {@code history} of every attempt. Writes happen on the
 * connection and in the transaction the caller gives, so a transactional step's rows commit or
 * roll back with its changes.
 */
public final class Journal {

    /** Bumped when the journal tables change; stored in {@code <schema>.journal_meta}. */
    public static final int SCHEMA_VERSION = 1;

    /** Serialises journal creation across concurrent runs of any plan. */
    private static final long CREATE_LOCK_KEY = 0x6d69675f6a726e6cL;

    private final String schemaName;
    private final String schema;
    private final String migVersion;

    public Journal(String schemaName, String migVersion) {
        this.schemaName = schemaName;
        this.schema = Identifiers.quote(schemaName);
        this.migVersion = migVersion;
    }

    public String schemaName() {
        return schemaName;
    }

    /** Creates the journal if it is missing, in its own committed transaction. */
    public void ensure(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK_KEY + ")");
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".journal_meta ("
                    + " id int PRIMARY KEY CHECK (id = 1),"
                    + " schema_version int NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now())");
            st.execute("INSERT INTO " + schema + ".journal_meta (id, schema_version) VALUES (1, " + SCHEMA_VERSION
                    + ") ON CONFLICT (id) DO NOTHING");
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".steps ("
                    + " plan text NOT NULL,"
                    + " step text NOT NULL,"
                    + " position int NOT NULL,"
                    + " checksum text NOT NULL,"
                    + " status text NOT NULL CHECK (status IN ('applied', 'skipped', 'failed', 'running')),"
                    + " applied_at timestamptz,"
                    + " duration_ms bigint NOT NULL DEFAULT 0,"
                    + " applied_by text NOT NULL DEFAULT current_user,"
                    + " mig_version text NOT NULL,"
                    + " updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " PRIMARY KEY (plan, step))");
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".history ("
                    + " id bigserial PRIMARY KEY,"
                    + " run_id uuid NOT NULL,"
                    + " plan text NOT NULL,"
                    + " step text,"
                    + " checksum text,"
                    + " outcome text NOT NULL,"
                    + " started_at timestamptz NOT NULL,"
                    + " finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " duration_ms bigint NOT NULL DEFAULT 0,"
                    + " run_by text NOT NULL DEFAULT current_user,"
                    + " mig_version text NOT NULL,"
                    + " sqlstate text,"
                    + " error text,"
                    + " notices text)");
            st.execute("CREATE INDEX IF NOT EXISTS history_plan_step_idx ON " + schema + ".history (plan, step, id)");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Whether the journal exists on this database (status and plan never create it). */
    public boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + ".steps");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The current state of every step of a plan, by step name. */
    public Map<String, JournalEntry> read(Connection connection, String plan) throws SQLException {
        Map<String, JournalEntry> entries = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT step, checksum, status, applied_at, duration_ms,"
                + " applied_by, mig_version FROM " + schema + ".steps WHERE plan = ? ORDER BY position")) {
            ps.setString(1, plan);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.put(rs.getString(1), new JournalEntry(plan, rs.getString(1), rs.getString(2),
                            StepStatus.of(rs.getString(3)), rs.getObject(4, OffsetDateTime.class), rs.getLong(5),
                            rs.getString(6), rs.getString(7)));
                }
            }
        }
        return entries;
    }

    /**
     * Sets the current state of a step. A failure never overwrites an earlier success: the
     * row keeps saying {@code applied} and only the history records the failed attempt.
     */
    public void setState(Connection connection, String plan, String step, int position, String checksum,
                         StepStatus status, long durationMs) throws SQLException {
        String appliedAt = status == StepStatus.APPLIED ? "clock_timestamp()" : "NULL";
        String keepApplied = status == StepStatus.FAILED ? " WHERE " + schema + ".steps.status <> 'applied'" : "";
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + schema + ".steps"
                + " (plan, step, position, checksum, status, applied_at, duration_ms, mig_version)"
                + " VALUES (?, ?, ?, ?, ?, " + appliedAt + ", ?, ?)"
                + " ON CONFLICT (plan, step) DO UPDATE SET position = excluded.position, checksum = excluded.checksum,"
                + " status = excluded.status, applied_at = coalesce(excluded.applied_at, " + schema + ".steps.applied_at),"
                + " duration_ms = excluded.duration_ms, applied_by = current_user, mig_version = excluded.mig_version,"
                + " updated_at = clock_timestamp()" + keepApplied)) {
            ps.setString(1, plan);
            ps.setString(2, step);
            ps.setInt(3, position);
            ps.setString(4, checksum);
            ps.setString(5, status.word());
            ps.setLong(6, durationMs);
            ps.setString(7, migVersion);
            ps.executeUpdate();
        }
    }

    /** Records the checksum a user accepted with --accept-drift. */
    public void acceptChecksum(Connection connection, String plan, String step, String checksum) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + schema + ".steps SET checksum = ?,"
                + " updated_at = clock_timestamp() WHERE plan = ? AND step = ?")) {
            ps.setString(1, checksum);
            ps.setString(2, plan);
            ps.setString(3, step);
            ps.executeUpdate();
        }
    }

    /** Appends one attempt to the history. */
    public void appendHistory(Connection connection, HistoryRecord record) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + schema + ".history"
                + " (run_id, plan, step, checksum, outcome, started_at, duration_ms, mig_version, sqlstate, error, notices)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, record.runId());
            ps.setString(2, record.plan());
            ps.setString(3, record.step());
            ps.setString(4, record.checksum());
            ps.setString(5, record.outcome());
            ps.setObject(6, record.startedAt());
            ps.setLong(7, record.durationMs());
            ps.setString(8, migVersion);
            ps.setString(9, record.sqlState());
            ps.setString(10, record.error());
            ps.setString(11, record.notices());
            ps.executeUpdate();
        }
    }

    /** One attempt of one step (or of the plan-level verify, with a null step). */
    public record HistoryRecord(UUID runId, String plan, String step, String checksum, String outcome,
                                OffsetDateTime startedAt, long durationMs, String sqlState, String error,
                                String notices) {
    }
}
