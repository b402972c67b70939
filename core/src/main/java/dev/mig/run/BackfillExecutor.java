package dev.mig.run;

import dev.mig.catalog.Identifiers;
import dev.mig.journal.BackfillProgress;
import dev.mig.journal.Journal;
import dev.mig.model.Action;
import dev.mig.model.BackfillRange;
import dev.mig.model.Step;
import dev.mig.result.Retry;
import dev.mig.result.StepFailure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs a {@code backfill} (docs/DSL.md, "Batched backfills") on a connection in autocommit: batch
 * after batch along the table's single-column primary key, each batch one short transaction
 * holding the keyset query for its upper bound ({@code WHERE key > last ORDER BY key LIMIT n},
 * never OFFSET), the UPDATE of that key range and the journal's progress row, so a batch and its
 * progress commit together or not at all. The session's lock timeout (the step's) is in force; a
 * batch that fails on 55P03, 40P01 or 40001 is rolled back and tried again after {@link Backoff}'s
 * pause. A backfill interrupted (kill -9, a lost connection, Ctrl-C) or failed resumes after the
 * last committed batch ({@link #run}'s {@code resume}).
 */
final class BackfillExecutor {

    /** Batch retries when the step writes no {@code retries}. */
    static final int DEFAULT_RETRIES = 10;
    private static final long TICK_NANOS = 5_000_000_000L;
    private static final int TICK_BATCHES = 10;

    private final Connection connection;
    private final Journal journal;
    private final String plan;
    private final Backoff backoff;
    private final RunListener listener;

    BackfillExecutor(Connection connection, Journal journal, String plan, Backoff backoff, RunListener listener) {
        this.connection = connection;
        this.journal = journal;
        this.plan = plan;
        this.backoff = backoff;
        this.listener = listener;
    }

    /** The table's name as SQL, its key column and type, and its estimated rows. */
    record Target(String relation, String key, String keyType, double reltuples) {
    }

    /** Reads the table's primary key; fails the step for a table missing, without a primary key or with a composite one. */
    static Target target(Connection connection, Action.Backfill b) throws StepFailedException, SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.oid::regclass::text, c.reltuples,"
                + " (SELECT array_agg(a.attname::text ORDER BY k.n) FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, n),"
                + " pg_attribute a WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum),"
                + " (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_index i, pg_attribute a WHERE i.indrelid = c.oid"
                + " AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = i.indkey[0])"
                + " FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, b.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw fail(b, "backfill: table " + b.table() + " does not exist", null);
                }
                java.sql.Array keys = rs.getArray(3);
                List<Object> columns = keys == null ? List.of() : List.of((Object[]) keys.getArray());
                if (columns.size() != 1) {
                    throw fail(b, "backfill: table " + b.table() + (columns.isEmpty() ? " has no primary key"
                            : " has a composite primary key " + columns + "; a backfill batches along a single-column key")
                            + "; write the UPDATE in batches by hand (sql in steps, or a groovy block), or give the table"
                            + " a single-column primary key", null);
                }
                return new Target(rs.getString(1), Identifiers.quote((String) columns.get(0)), rs.getString(4),
                        Math.max(0, rs.getDouble(2)));
            }
        }
    }

    /**
     * Runs the batches; with {@code resume} (the step's last attempt was interrupted or failed)
     * from the journal's progress, else from the start, forgetting any earlier progress.
     */
    void run(Step step, Action.Backfill b, int retries, boolean resume) throws StepFailedException {
        try {
            batches(step, b, retries, resume);
        } catch (SQLException e) {
            throw fail(b, "backfill of " + b.table() + " failed: " + e.getMessage(), e);
        }
    }

    private void batches(Step step, Action.Backfill b, int retries, boolean resume) throws SQLException, StepFailedException {
        Target t = target(connection, b);
        BackfillProgress progress = new BackfillProgress(journal);
        if (!resume) {
            progress.reset(connection, plan, step.name());
        }
        BackfillProgress.State state = progress.read(connection, plan, step.name());
        String last = state.lastKey();
        long rows = state.rows();
        int batches = state.batches();
        long estimated = t.reltuples() > 0 ? (long) Math.ceil(t.reltuples() / b.batchSize()) : -1;
        long started = System.nanoTime();
        long rowsThisRun = 0;
        long lastTick = started;
        int batchesThisRun = 0;
        boolean finished = state.finished();
        BackfillThrottle throttle = new BackfillThrottle(connection, b, tick -> listener.backfillProgress(step, tick));
        while (!finished) {
            throttle.before(new BackfillTick(t.relation(), rows, batches, estimated, 0, -1, false, null));
            Batch done = batchWithRetries(step, b, t, progress, last, retries);
            if (done.upper == null) {
                finished = true;
                break;
            }
            last = done.upper;
            rows += done.rows;
            rowsThisRun += done.rows;
            batches++;
            batchesThisRun++;
            long now = System.nanoTime();
            if (batchesThisRun % TICK_BATCHES == 0 || now - lastTick >= TICK_NANOS) {
                lastTick = now;
                listener.backfillProgress(step, tick(t, rows, batches, estimated, rowsThisRun, batchesThisRun, now - started, false));
            }
            if (Thread.currentThread().isInterrupted()) {
                throw fail(b, "backfill of " + t.relation() + " stopped after batch " + batches + " (" + t.key() + " <= " + last
                        + "); the next run resumes after it", null);
            }
            throttle.pause();
        }
        listener.backfillProgress(step, tick(t, rows, batches, estimated, rowsThisRun, batchesThisRun,
                System.nanoTime() - started, true));
    }

    private static BackfillTick tick(Target t, long rows, int batches, long estimated, long rowsThisRun, int batchesThisRun,
                                     long elapsedNanos, boolean done) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        long eta = -1;
        if (!done && estimated >= 0 && batchesThisRun > 0) {
            eta = Math.round(Math.max(0, estimated - batches) * seconds / batchesThisRun);
        }
        return new BackfillTick(t.relation(), rows, batches, estimated, rowsThisRun / seconds, eta, done, null);
    }

    /** One batch's upper key and rows changed; a null upper key: no key left, the backfill is done. */
    private record Batch(String upper, long rows) {
    }

    private Batch batchWithRetries(Step step, Action.Backfill b, Target t, BackfillProgress progress, String last, int retries)
            throws SQLException, StepFailedException {
        for (int attempt = 1; ; attempt++) {
            String[] upper = {null};
            try {
                return batch(b, t, progress, step, last, upper);
            } catch (SQLException e) {
                rollbackQuietly();
                String range = range(t, last, upper[0]);
                if (ConnectionLoss.of(e) != null || !Retry.SQL_STATES.contains(e.getSQLState()) || attempt > retries) {
                    String tried = attempt > 1 ? " after " + attempt + " tries" : "";
                    throw fail(b, "backfill batch " + range + " failed" + tried + ": " + e.getMessage()
                            + "; batches before it are committed, and the next run resumes with this one", e);
                }
                long delay = backoff.delayMs(attempt);
                listener.stepRetrying(step, new Retry(attempt, retries, e.getSQLState(), "backfill batch " + range + ": "
                        + e.getMessage(), b.location(), delay, List.of()));
                BackfillThrottle.sleep(delay);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private Batch batch(Action.Backfill b, Target t, BackfillProgress progress, Step step, String last, String[] upper)
            throws SQLException {
        connection.setAutoCommit(false);
        String cast = "CAST(? AS " + t.keyType() + ")";
        try (PreparedStatement ps = connection.prepareStatement("SELECT max(k)::text FROM (SELECT " + t.key() + " AS k FROM "
                + t.relation() + (last == null ? "" : " WHERE " + t.key() + " > " + cast) + " ORDER BY " + t.key()
                + " LIMIT " + b.batchSize() + ") s")) {
            if (last != null) {
                ps.setString(1, last);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                upper[0] = rs.getString(1);
            }
        }
        if (upper[0] == null) {
            progress.advance(connection, plan, step.name(), null, 0);
            connection.commit();
            return new Batch(null, 0);
        }
        long changed;
        if (b.statement() != null) {
            try (var st = connection.createStatement()) {
                changed = st.executeLargeUpdate(BackfillRange.expand(b.statement(), t.key(), t.keyType(), last, upper[0]));
            }
            progress.advance(connection, plan, step.name(), upper[0], changed);
            connection.commit();
            return new Batch(upper[0], changed);
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + t.relation() + " SET " + b.set() + " WHERE "
                + (last == null ? "" : t.key() + " > " + cast + " AND ") + t.key() + " <= " + cast
                + (b.where() == null ? "" : " AND (" + b.where() + ")"))) {
            int i = 1;
            if (last != null) {
                ps.setString(i++, last);
            }
            ps.setString(i, upper[0]);
            changed = ps.executeLargeUpdate();
        }
        progress.advance(connection, plan, step.name(), upper[0], changed);
        connection.commit();
        return new Batch(upper[0], changed);
    }

    /** {@code (id > 1000 AND id <= 2000)}, as the failure names a batch. */
    private static String range(Target t, String last, String upper) {
        String lo = last == null ? "" : t.key() + " > " + last;
        String hi = upper == null ? "" : t.key() + " <= " + upper;
        String both = lo.isEmpty() || hi.isEmpty() ? lo + hi : lo + " AND " + hi;
        return "(" + (both.isEmpty() ? "first batch" : both) + ")";
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the failure already says so
        }
    }

    private static StepFailedException fail(Action.Backfill b, String message, SQLException cause) {
        return new StepFailedException(new StepFailure(message, b.location(), null, null,
                cause == null ? null : cause.getSQLState(), null, null, cause));
    }
}
