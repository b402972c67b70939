package dev.mig.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The two rows an attempt writes, the step's state in {@code steps} and its {@code history}
 * row, as one statement (the state's upsert a data-modifying WITH of the history's insert): one
 * round trip instead of two, with the same columns and values as {@link Journal#setState} and
 * {@link Journal#appendHistory} write one by one. With {@code commit} the statement is followed by
 * {@code COMMIT} in the same round trip (pgJDBC sends both before it waits), so that a
 * transactional step's rows commit with its work without a round trip of their own.
 */
final class AttemptRows {

    private AttemptRows() {
    }

    static void write(Connection connection, String schema, String migVersion, String placeholders, String tenant, int position,
                      StepStatus status, long stateDurationMs, String guardEvidence, Journal.HistoryRecord record,
                      boolean commit) throws SQLException {
        String appliedAt = status == StepStatus.APPLIED ? "clock_timestamp()" : "NULL";
        String keepApplied = status == StepStatus.FAILED ? " WHERE " + schema + ".steps.status <> 'applied'" : "";
        String sql = "WITH state AS (INSERT INTO " + schema + ".steps"
                + " (plan, step, position, checksum, status, applied_at, duration_ms, mig_version, guard_evidence, tenant)"
                + " VALUES (?, ?, ?, ?, ?, " + appliedAt + ", ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (plan, tenant, step) DO UPDATE SET position = excluded.position, checksum = excluded.checksum,"
                + " status = excluded.status, applied_at = coalesce(excluded.applied_at, " + schema + ".steps.applied_at),"
                + " duration_ms = excluded.duration_ms, applied_by = current_user, mig_version = excluded.mig_version,"
                + " guard_evidence = excluded.guard_evidence, updated_at = clock_timestamp()" + keepApplied + ")"
                + " INSERT INTO " + schema + HISTORY_INSERT
                + (commit ? "; COMMIT" : "");
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, record.plan());
            ps.setString(2, record.step());
            ps.setInt(3, position);
            ps.setString(4, record.checksum());
            ps.setString(5, status.word());
            ps.setLong(6, stateDurationMs);
            ps.setString(7, migVersion);
            ps.setString(8, guardEvidence);
            ps.setString(9, tenant);
            bindHistory(ps, 10, record, migVersion, placeholders, tenant);
            ps.execute();
        }
    }

    /** The columns and parameters of a history row, after {@code INSERT INTO schema}: {@link #bindHistory} fills them. */
    static final String HISTORY_INSERT = ".history"
            + " (run_id, plan, step, checksum, outcome, started_at, duration_ms, mig_version, sqlstate, error, notices,"
            + " guard_evidence, placeholders, tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)";

    /** Binds a history row's 14 parameters from {@code first} on (here and in {@link Journal#appendHistory}). */
    static void bindHistory(PreparedStatement ps, int first, Journal.HistoryRecord record, String migVersion, String placeholders,
                            String tenant) throws SQLException {
        int i = first;
        ps.setObject(i++, record.runId());
        ps.setString(i++, record.plan());
        ps.setString(i++, record.step());
        ps.setString(i++, record.checksum());
        ps.setString(i++, record.outcome().word());
        ps.setObject(i++, record.startedAt());
        ps.setLong(i++, record.durationMs());
        ps.setString(i++, migVersion);
        ps.setString(i++, record.sqlState());
        ps.setString(i++, record.error());
        ps.setString(i++, record.notices());
        ps.setString(i++, record.guardEvidence());
        ps.setString(i++, placeholders);
        ps.setString(i, tenant);
    }
}
