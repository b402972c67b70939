package dev.mig.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * The progress of a backfill step in the journal's {@code progress} table (journal version 5):
 * the last key of the last committed batch, the rows changed and the batches so far. Every write
 * goes in the caller's transaction, which is the batch's own, so the row and the batch commit or
 * roll back together; rows carry the journal's tenant.
 */
public final class BackfillProgress {

    /** Where a backfill stands: {@code lastKey} null before the first batch; {@code finished} once a batch found no key left. */
    public record State(String lastKey, long rows, int batches, boolean finished) {
        public static final State NONE = new State(null, 0, 0, false);
    }

    /**
     * A step's row as {@code mig status} shows it: {@code lastBatchAt} is when the last batch
     * committed ({@code updated_at}), {@code finishedAt} null until a batch found no key left.
     */
    public record Row(String lastKey, long rows, int batches, OffsetDateTime startedAt, OffsetDateTime lastBatchAt,
                      OffsetDateTime finishedAt) {
    }

    private final Journal journal;

    public BackfillProgress(Journal journal) {
        this.journal = journal;
    }

    /** The step's progress, or {@link State#NONE} when it has none. */
    public State read(Connection connection, String plan, String step) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT last_key, rows, batches, finished_at IS NOT NULL FROM "
                + journal.table("progress") + " WHERE step = ? AND " + journal.key(connection))) {
            ps.setString(1, step);
            journal.bindKey(ps, 2, plan);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new State(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getBoolean(4)) : State.NONE;
            }
        }
    }

    /** Every step's row of the plan, by step name; empty when the journal has no progress table (older than version 5). */
    public Map<String, Row> readAll(Connection connection, String plan) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, journal.table("progress"));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return rows;
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT step, last_key, rows, batches, started_at, updated_at,"
                + " finished_at FROM " + journal.table("progress") + " WHERE " + journal.key(connection))) {
            journal.bindKey(ps, 1, plan);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getString(2), rs.getLong(3), rs.getInt(4),
                            rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class),
                            rs.getObject(7, OffsetDateTime.class)));
                }
            }
        }
        return rows;
    }

    /** Forgets the step's progress: a backfill that starts afresh (never tried, applied before, undone). */
    public void reset(Connection connection, String plan, String step) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + journal.table("progress") + " WHERE step = ? AND "
                + journal.key(connection))) {
            ps.setString(1, step);
            journal.bindKey(ps, 2, plan);
            ps.executeUpdate();
        }
    }

    /** One batch done, up to {@code lastKey}, having changed {@code rows}; or, with {@code lastKey} null, the backfill finished. */
    public void advance(Connection connection, String plan, String step, String lastKey, long rows) throws SQLException {
        String table = journal.table("progress");
        boolean finished = lastKey == null;
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table
                + " AS p (plan, tenant, step, last_key, rows, batches, finished_at) VALUES (?, ?, ?, ?, ?, ?, "
                + (finished ? "clock_timestamp()" : "NULL") + ") ON CONFLICT (plan, tenant, step) DO UPDATE SET"
                + (finished ? " finished_at = clock_timestamp()"
                        : " last_key = excluded.last_key, rows = p.rows + excluded.rows, batches = p.batches + 1")
                + ", updated_at = clock_timestamp()")) {
            ps.setString(1, plan);
            ps.setString(2, journal.tenant());
            ps.setString(3, step);
            ps.setString(4, lastKey);
            ps.setLong(5, rows);
            ps.setInt(6, finished ? 0 : 1);
            ps.executeUpdate();
        }
    }
}
