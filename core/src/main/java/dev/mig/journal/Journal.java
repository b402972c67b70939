package dev.mig.journal;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
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
    public static final int SCHEMA_VERSION = 5;

    /** The history's index, by plan, tenant and step; its absence tells {@link JournalReady} that ensure has work. */
    static final String HISTORY_INDEX = "history_plan_tenant_step_idx";

    /** Serialises journal creation across concurrent runs of any plan. */
    private static final long CREATE_LOCK_KEY = 0x6d69675f6a726e6cL;

    private final String schemaName;
    private final String schema;
    private final String migVersion;

    /** The tenant whose rows this journal reads and writes: a schema of a schema-per-tenant fleet, else "". */
    private final String tenant;

    /** Whether the tables have the tenant column (journal version 4); null until known. */
    private Boolean tenantColumn;

    /**
     * Set once the three tables are known to have mig's shape, so that a command's ensure, read
     * and history reads (one journal, one connection, one command) ask the catalog once, not each time.
     */
    private boolean shapeChecked;

    /** The placeholder values of this run as history rows record them (JSON, secrets masked); null: none. */
    private String placeholders;

    public Journal(String schemaName, String migVersion) {
        this(schemaName, migVersion, "");
    }

    /**
     * The journal of one tenant of a schema-per-tenant fleet: its rows carry the tenant, so that
     * each tenant's steps progress on their own in one database; "" (or null) is the database's own.
     */
    public Journal(String schemaName, String migVersion, String tenant) {
        this.schemaName = schemaName;
        this.schema = Identifiers.quote(schemaName);
        this.migVersion = migVersion;
        this.tenant = tenant == null ? "" : tenant;
    }

    /** The tenant of the rows this journal reads and writes; "" for a database's own. */
    public String tenant() {
        return tenant;
    }

    /** Records these placeholder values (a JSON object, secrets already masked) with each history row of this run. */
    public void recordPlaceholders(String json) {
        this.placeholders = json;
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
                    + " tenant text NOT NULL DEFAULT '',"
                    + " step text NOT NULL,"
                    + " position int NOT NULL,"
                    + " checksum text NOT NULL,"
                    + " status text NOT NULL CHECK (status IN ('applied', 'skipped', 'failed', 'running')),"
                    + " applied_at timestamptz,"
                    + " duration_ms bigint NOT NULL DEFAULT 0,"
                    + " applied_by text NOT NULL DEFAULT current_user,"
                    + " mig_version text NOT NULL,"
                    + " updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
                    + " guard_evidence jsonb,"
                    + " PRIMARY KEY (plan, tenant, step))");
            st.execute("CREATE TABLE IF NOT EXISTS " + schema + ".history ("
                    + " id bigserial PRIMARY KEY,"
                    + " run_id uuid NOT NULL,"
                    + " plan text NOT NULL,"
                    + " tenant text NOT NULL DEFAULT '',"
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
                    + " notices text,"
                    + " guard_evidence jsonb,"
                    + " placeholders jsonb)");
            checkShape(connection);
            JournalUpgrade.upgrade(st, schema, schemaName);
            JournalUpgrade.progress(st, schema);
            st.execute("CREATE INDEX IF NOT EXISTS " + HISTORY_INDEX + " ON " + schema + ".history (plan, tenant, step, id)");
            connection.commit();
            shapeChecked = true;
            tenantColumn = true;
        } catch (SQLException | RuntimeException e) {
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

    /** Whether the journal exists and is of this mig's version, so that a run needs not create or upgrade it. */
    public boolean isCurrent(Connection connection) throws SQLException {
        if (!exists(connection)) {
            return false;
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT schema_version FROM " + schema + ".journal_meta WHERE id = 1")) {
            return rs.next() && rs.getInt(1) == SCHEMA_VERSION;
        }
    }

    /** Whether a journal table has a column: status reads journals of older mig versions without upgrading them. */
    private boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped")) {
            ps.setString(1, schema + "." + table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Refuses a journal whose tables are not of the shape mig wrote (a column dropped, renamed or
     * of another type), naming the column, before a statement on it fails with an error that
     * reads like a privileges problem. Tables that do not exist yet are not checked.
     */
    public void checkShape(Connection connection) throws SQLException {
        if (shapeChecked) {
            return;
        }
        Map<String, Map<String, String>> found = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname = ? AND c.relname IN ('journal_meta', 'steps', 'history')")) {
            ps.setString(1, schemaName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        java.util.List<String> wrong = JournalShape.wrong(schemaName, found);
        if (wrong.isEmpty()) {
            // tables not made yet are checked again once they exist
            shapeChecked = found.keySet().containsAll(JournalShape.TABLES);
        } else {
            throw notMigs(String.join("; ", wrong), "restore the journal tables from a backup, or give them the shape"
                    + " docs/DSL.md (The journal) shows; mig does not repair a journal it did not write");
        }
    }

    /** The journal is not as mig wrote it: exit 2, the same as a plan that cannot run, since nothing safe can. */
    private MigException notMigs(String what, String hint) {
        return new MigException(ExitCode.PLAN_ERROR, "the journal in schema " + schemaName
                + " is not one mig wrote, or was edited: " + what + "; nothing was done", hint);
    }

    /**
     * {@link #ensure} then {@link #read}; when the journal is ready as it is (the everyday run),
     * in two round trips instead of a dozen ({@link JournalReady}), leaving the read's transaction
     * open for the caller to end.
     */
    public Map<String, JournalEntry> ensureAndRead(Connection connection, String plan) throws SQLException {
        Map<String, JournalEntry> ready = JournalReady.read(this, connection, schema, schemaName, CREATE_LOCK_KEY, plan);
        if (ready != null) {
            shapeChecked = true;
            return ready;
        }
        ensure(connection);
        return read(connection, plan);
    }

    /** The current state of every step of a plan, by step name. */
    public Map<String, JournalEntry> read(Connection connection, String plan) throws SQLException {
        checkShape(connection);
        Map<String, JournalEntry> entries = new LinkedHashMap<>();
        boolean evidence = hasColumn(connection, "steps", "guard_evidence");
        try (PreparedStatement ps = connection.prepareStatement("SELECT step, checksum, status, applied_at, duration_ms,"
                + " applied_by, mig_version, " + (evidence ? "guard_evidence::text" : "NULL") + " FROM " + schema
                + ".steps WHERE " + key(connection) + " ORDER BY position")) {
            bindKey(ps, 1, plan);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.put(rs.getString(1), new JournalEntry(plan, rs.getString(1), checksum(plan, rs.getString(1), rs.getString(2)),
                            status(plan, rs.getString(1), rs.getString(3)), rs.getObject(4, OffsetDateTime.class), rs.getLong(5),
                            rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return entries;
    }

    StepStatus status(String plan, String step, String word) {
        StepStatus status = StepStatus.parse(word);
        if (status == null) {
            throw notMigs("the row of plan '" + plan + "', step '" + step + "' has status "
                            + (word == null ? "NULL" : "'" + word + "'") + ", which mig never writes (it writes "
                            + StepStatus.words() + ")",
                    "set that row's status to what is true of the step (UPDATE " + schemaName + ".steps SET status = 'applied'"
                            + " WHERE plan = ... AND step = ...), or delete the row so that the next run runs the step again");
        }
        return status;
    }

    String checksum(String plan, String step, String checksum) {
        if (checksum == null || checksum.isBlank()) {
            throw notMigs("the row of plan '" + plan + "', step '" + step + "' has no checksum",
                    "delete the row so that the next run runs the step again, or mig baseline to record it as applied");
        }
        return checksum;
    }

    /**
     * Sets the current state of a step. A failure never overwrites an earlier success: the
     * row keeps saying {@code applied} and only the history records the failed attempt.
     */
    public void setState(Connection connection, String plan, String step, int position, String checksum,
                         StepStatus status, long durationMs, String guardEvidence) throws SQLException {
        String appliedAt = status == StepStatus.APPLIED ? "clock_timestamp()" : "NULL";
        String keepApplied = status == StepStatus.FAILED ? " WHERE " + schema + ".steps.status <> 'applied'" : "";
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + schema + ".steps"
                + " (plan, step, position, checksum, status, applied_at, duration_ms, mig_version, guard_evidence, tenant)"
                + " VALUES (?, ?, ?, ?, ?, " + appliedAt + ", ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (plan, tenant, step) DO UPDATE SET position = excluded.position, checksum = excluded.checksum,"
                + " status = excluded.status, applied_at = coalesce(excluded.applied_at, " + schema + ".steps.applied_at),"
                + " duration_ms = excluded.duration_ms, applied_by = current_user, mig_version = excluded.mig_version,"
                + " guard_evidence = excluded.guard_evidence, updated_at = clock_timestamp()" + keepApplied)) {
            ps.setString(1, plan);
            ps.setString(2, step);
            ps.setInt(3, position);
            ps.setString(4, checksum);
            ps.setString(5, status.word());
            ps.setLong(6, durationMs);
            ps.setString(7, migVersion);
            ps.setString(8, guardEvidence);
            ps.setString(9, tenant);
            ps.executeUpdate();
        }
    }

    /** The steps of a plan the journal says are applied, newest first (by applied time, then position). */
    public java.util.List<String> appliedNewestFirst(Connection connection, String plan) throws SQLException {
        checkShape(connection);
        java.util.List<String> steps = new java.util.ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT step FROM " + schema + ".steps"
                + " WHERE " + key(connection) + " AND status = 'applied' ORDER BY applied_at DESC NULLS LAST, position DESC")) {
            bindKey(ps, 1, plan);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString(1));
                }
            }
        }
        return steps;
    }

    /** Deletes a step's current state ({@code mig undo}): the step is pending again; its history stays. */
    public void forget(Connection connection, String plan, String step) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + schema + ".steps WHERE step = ? AND "
                + key(connection))) {
            ps.setString(1, step);
            bindKey(ps, 2, plan);
            ps.executeUpdate();
        }
    }

    /** Records the checksum a user accepted with --accept-drift. */
    public void acceptChecksum(Connection connection, String plan, String step, String checksum) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + schema + ".steps SET checksum = ?,"
                + " updated_at = clock_timestamp() WHERE step = ? AND " + key(connection))) {
            ps.setString(1, checksum);
            ps.setString(2, step);
            bindKey(ps, 3, plan);
            ps.executeUpdate();
        }
    }

    /**
     * {@link #setState} and {@link #appendHistory} in one statement, so one round trip
     * ({@link AttemptRows}); with {@code commit}, the transaction's COMMIT goes in the same round trip.
     */
    public void record(Connection connection, int position, StepStatus status, long durationMs, String guardEvidence,
                       HistoryRecord record, boolean commit) throws SQLException {
        AttemptRows.write(connection, schema, migVersion, placeholders, tenant, position, status, durationMs, guardEvidence,
                record, commit);
    }

    /** Appends one attempt to the history. */
    public void appendHistory(Connection connection, HistoryRecord record) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + schema + AttemptRows.HISTORY_INSERT)) {
            AttemptRows.bindHistory(ps, 1, record, migVersion, placeholders, tenant);
            ps.executeUpdate();
        }
    }

    /**
     * The condition that picks this journal's rows of a plan, with two parameters ({@link #bindKey}):
     * the plan and the tenant. A journal older than version 4 has no tenants: only the database's
     * own rows (tenant "") are in it.
     */
    public String key(Connection connection) throws SQLException {
        if (tenantColumn == null) {
            tenantColumn = hasColumn(connection, "steps", "tenant");
        }
        return tenantColumn ? "plan = ? AND tenant = ?" : "plan = ? AND ? = ''";
    }

    /** Binds {@link #key}'s two parameters from {@code first} on. */
    public void bindKey(PreparedStatement ps, int first, String plan) throws SQLException {
        ps.setString(first, plan);
        ps.setString(first + 1, tenant);
    }

    /** The journal's table {@code name}, quoted, for {@link BackfillProgress}. */
    String table(String name) {
        return schema + "." + name;
    }

    /** Known from a read of a journal of this version ({@link JournalReady}). */
    void tenantColumnKnown() {
        tenantColumn = true;
    }

    /** One attempt of one step (or of the plan-level verify, with a null step). */
    public record HistoryRecord(UUID runId, String plan, String step, String checksum, HistoryOutcome outcome,
                                OffsetDateTime startedAt, long durationMs, String sqlState, String error,
                                String notices, String guardEvidence) {
    }
}
