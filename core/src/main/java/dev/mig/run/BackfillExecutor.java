package dev.mig.run;

import dev.mig.journal.BackfillProgress;
import dev.mig.journal.Journal;
import dev.mig.model.Action;
import dev.mig.model.BackfillKey;
import dev.mig.model.BackfillRange;
import dev.mig.model.Step;
import dev.mig.result.Retry;
import dev.mig.result.StepFailure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@code backfill} (docs/DSL.md, "Batched backfills") on a connection in autocommit: batch
 * after batch along the table's single-column primary key, each batch one short transaction
 * holding the keyset query for its upper bound ({@code WHERE key > last ORDER BY key LIMIT n},
 * never OFFSET; up to the highest key when the run started), the UPDATE of that key range and the journal's progress row, so a batch and its
 * progress commit together or not at all. The session's lock timeout (the step's) is in force; a
 * batch that fails on 55P03, 40P01 or 40001 is rolled back and tried again after {@link Backoff}'s
 * pause. A backfill interrupted (kill -9, a lost connection, Ctrl-C) or failed resumes after the
 * last committed batch ({@link #run}'s {@code resume}). Its thread interrupted (mig run's Ctrl-C,
 * {@link Backfills}), it stops before its next batch: the one in progress commits first.
 */
final class BackfillExecutor {

    private static final long TICK_NANOS = 5_000_000_000L;
    private static final int TICK_BATCHES = 10;
    private static final long BATCH_TICK_NANOS = 250_000_000L;

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

    /**
     * Runs the batches; with {@code resume} (the step's last attempt was interrupted or failed)
     * from the journal's progress, else from the start, forgetting any earlier progress.
     */
    void run(Step step, Action.Backfill b, int retries, boolean resume) throws StepFailedException {
        Backfills.enter();
        try {
            batches(step, b, retries, resume);
        } catch (SQLException e) {
            throw fail(b, "backfill of " + b.table() + " failed: " + e.getMessage(), e);
        } finally {
            Backfills.exit();
        }
    }

    private void batches(Step step, Action.Backfill b, int retries, boolean resume) throws SQLException, StepFailedException {
        BackfillTarget t = BackfillTarget.of(connection, b);
        BackfillProgress progress = new BackfillProgress(journal);
        if (!resume) {
            progress.reset(connection, plan, step.name());
        }
        BackfillProgress.State state = progress.read(connection, plan, step.name());
        List<String> last;
        try {
            last = BackfillKey.decode(state.lastKey(), t.keys().size());
        } catch (IllegalArgumentException e) {
            throw fail(b, "backfill of " + t.relation() + " cannot resume: " + e.getMessage() + " (the table's key changed since);"
                    + " mig undo of the step, or a new step, starts it from the first key", null);
        }
        // the batches end at the highest key when this run starts: rows inserted after it are the
        // application's (or a trigger's) to write, and a table that grows faster than the batches go still ends
        List<String> end = state.finished() ? null : highest(t);
        long rows = state.rows();
        int batches = state.batches();
        long estimated = t.reltuples() > 0 ? (long) Math.ceil(t.reltuples() / b.batchSize()) : -1;
        long started = System.nanoTime();
        long rowsThisRun = 0;
        long lastTick = started;
        long lastBatchTick = 0;
        int batchesThisRun = 0;
        boolean finished = state.finished();
        BackfillThrottle throttle = new BackfillThrottle(connection, b, tick -> listener.backfillProgress(step, tick));
        while (!finished) {
            // a wait for the rate or the lag ends early when asked to stop
            throttle.before(new BackfillTick(t.relation(), rows, batches, estimated, 0, -1, false, null));
            if (Thread.currentThread().isInterrupted()) {
                // asked to stop (Ctrl-C, a cancel): before a batch, never inside one
                throw fail(b, "backfill of " + t.relation() + " stopped " + (last == null ? "before its first batch"
                        : "after batch " + batches + " (" + BackfillRange.row(t.keys()) + " <= " + shown(last) + ")")
                        + "; the next run resumes after it", null);
            }
            Batch done = batchWithRetries(step, b, t, progress, last, end, retries);
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
                lastBatchTick = now;
                listener.backfillProgress(step, tick(t, rows, batches, estimated, rowsThisRun, batchesThisRun, now - started, false));
            } else if (now - lastBatchTick >= BATCH_TICK_NANOS) {
                lastBatchTick = now;
                listener.backfillBatch(step, tick(t, rows, batches, estimated, rowsThisRun, batchesThisRun, now - started, false));
            }
            throttle.pause();
        }
        listener.backfillProgress(step, tick(t, rows, batches, estimated, rowsThisRun, batchesThisRun,
                System.nanoTime() - started, true));
    }

    private static BackfillTick tick(BackfillTarget t, long rows, int batches, long estimated, long rowsThisRun, int batchesThisRun,
                                     long elapsedNanos, boolean done) {
        double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
        long eta = -1;
        if (!done && estimated >= 0 && batchesThisRun > 0) {
            eta = Math.round(Math.max(0, estimated - batches) * seconds / batchesThisRun);
        }
        return new BackfillTick(t.relation(), rows, batches, estimated, rowsThisRun / seconds, eta, done, null);
    }

    /** One batch's upper key and rows changed; a null upper key: no key left, the backfill is done. */
    private record Batch(List<String> upper, long rows) {
    }

    private Batch batchWithRetries(Step step, Action.Backfill b, BackfillTarget t, BackfillProgress progress, List<String> last,
                                   List<String> end, int retries) throws SQLException, StepFailedException {
        for (int attempt = 1; ; attempt++) {
            List<List<String>> upper = new ArrayList<>(1);
            try {
                return batch(b, t, progress, step, last, end, upper);
            } catch (SQLException e) {
                rollbackQuietly();
                String range = range(t, last, upper.isEmpty() ? null : upper.get(0));
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

    /** The table's highest key now, or null when it has no row. */
    private List<String> highest(BackfillTarget t) throws SQLException {
        List<String> texts = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < t.keys().size(); i++) {
            texts.add(t.keys().get(i) + "::text AS t" + i);   // not named as the key: ORDER BY would take the text
            order.add(t.keys().get(i) + " DESC");
        }
        try (var st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + String.join(", ", texts) + " FROM " + t.relation()
                     + " ORDER BY " + String.join(", ", order) + " LIMIT 1")) {
            if (!rs.next()) {
                return null;
            }
            List<String> key = new ArrayList<>();
            for (int i = 1; i <= t.keys().size(); i++) {
                key.add(rs.getString(i));
            }
            return key;
        }
    }

    /**
     * One batch in its transaction, after {@code last} and up to {@code end} (null: no row at the
     * start, so none to do); {@code upper} receives the batch's upper key once known, for a failure to name.
     */
    private Batch batch(Action.Backfill b, BackfillTarget t, BackfillProgress progress, Step step, List<String> last,
                        List<String> end, List<List<String>> upper) throws SQLException {
        connection.setAutoCommit(false);
        List<String> casts = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> descending = new ArrayList<>();
        for (int i = 0; i < t.keys().size(); i++) {
            casts.add("CAST(? AS " + t.types().get(i) + ")");
            aliases.add(t.keys().get(i) + " AS k" + i);
            texts.add("k" + i + "::text");
            descending.add("s.k" + i + " DESC");   // s.: the column, not the text output of the same name
        }
        String key = BackfillRange.row(t.keys());
        String bound = BackfillRange.row(casts);
        String order = String.join(", ", t.keys());
        try (PreparedStatement ps = connection.prepareStatement("SELECT " + String.join(", ", texts) + " FROM (SELECT "
                + String.join(", ", aliases) + " FROM " + t.relation() + " WHERE " + (last == null ? "" : key + " > " + bound + " AND ")
                + key + " <= " + bound + " ORDER BY " + order + " LIMIT " + b.batchSize() + ") s ORDER BY "
                + String.join(", ", descending) + " LIMIT 1")) {
            bind(ps, bind(ps, 1, last), end);
            try (ResultSet rs = end == null ? null : ps.executeQuery()) {
                if (rs != null && rs.next()) {
                    List<String> found = new ArrayList<>();
                    for (int i = 1; i <= t.keys().size(); i++) {
                        found.add(rs.getString(i));
                    }
                    upper.add(found);
                }
            }
        }
        if (upper.isEmpty()) {
            progress.advance(connection, plan, step.name(), null, 0);
            connection.commit();
            return new Batch(null, 0);
        }
        List<String> high = upper.get(0);
        long changed;
        if (b.statement() != null) {
            try (var st = connection.createStatement()) {
                changed = st.executeLargeUpdate(BackfillRange.expand(b.statement(), t.keys(), t.types(), last, high));
            }
        } else {
            try (PreparedStatement ps = connection.prepareStatement("UPDATE " + t.relation() + " SET " + b.set() + " WHERE "
                    + (last == null ? "" : key + " > " + bound + " AND ") + key + " <= " + bound
                    + (b.where() == null ? "" : " AND (" + b.where() + ")"))) {
                bind(ps, bind(ps, 1, last), high);
                changed = ps.executeLargeUpdate();
            }
        }
        progress.advance(connection, plan, step.name(), BackfillKey.encode(high), changed);
        connection.commit();
        return new Batch(high, changed);
    }

    /** Binds a key's values from parameter {@code at}; returns the next parameter's index. */
    private static int bind(PreparedStatement ps, int at, List<String> key) throws SQLException {
        if (key == null) {
            return at;
        }
        for (String value : key) {
            ps.setString(at++, value);
        }
        return at;
    }

    /** {@code ("id" > 1000 AND "id" <= 2000)}, {@code (("a", "b") > (7, 'x') AND ...)}, as the failure names a batch. */
    private static String range(BackfillTarget t, List<String> last, List<String> upper) {
        String key = BackfillRange.row(t.keys());
        String lo = last == null ? "" : key + " > " + shown(last);
        String hi = upper == null ? "" : key + " <= " + shown(upper);
        String both = lo.isEmpty() || hi.isEmpty() ? lo + hi : lo + " AND " + hi;
        return "(" + (both.isEmpty() ? "first batch" : both) + ")";
    }

    /** A key's values as a message shows them: {@code 5000}, or {@code (7, 'acme')} (numbers bare, other values quoted). */
    private static String shown(List<String> key) {
        if (key.size() == 1) {
            return key.get(0);
        }
        List<String> values = new ArrayList<>();
        key.forEach(v -> values.add(v.matches("-?\\d+(\\.\\d+)?") ? v : "'" + v.replace("'", "''") + "'"));
        return BackfillRange.row(values);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: the failure already says so
        }
    }

    static StepFailedException fail(Action.Backfill b, String message, SQLException cause) {
        return new StepFailedException(new StepFailure(message, b.location(), null, null,
                cause == null ? null : cause.getSQLState(), null, null, cause));
    }
}
