package dev.mig.run;

import dev.mig.model.Action;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * How fast a backfill goes: the pause after each batch, an upper bound on batches per second, and
 * a wait before a batch while replication lags more than the plan allows (the replay lag of
 * {@code pg_stat_replication}'s slowest standby, or the plan's query, in seconds).
 */
final class BackfillThrottle {

    /** How often the lag is asked again while it is too high. */
    static final long LAG_POLL_MS = 1_000;
    static final String REPLICATION_LAG = "SELECT coalesce(extract(epoch FROM max(replay_lag)), 0) FROM pg_stat_replication";

    private final Connection connection;
    private final Action.Backfill backfill;
    private final Consumer<BackfillTick> report;
    private long lastStart;

    BackfillThrottle(Connection connection, Action.Backfill backfill, Consumer<BackfillTick> report) {
        this.connection = connection;
        this.backfill = backfill;
        this.report = report;
    }

    /** Waits as the rate bound and the lag bound ask, before a batch; {@code now} says where the backfill stands. */
    void before(BackfillTick now) throws SQLException {
        if (backfill.maxBatchesPerSecond() > 0 && lastStart != 0) {
            long gapNanos = (long) (1e9 / backfill.maxBatchesPerSecond());
            long wait = lastStart + gapNanos - System.nanoTime();
            if (wait > 0) {
                sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        if (backfill.lagQuery() != null) {
            boolean told = false;
            for (double lag = lagSeconds(); lag * 1000 > backfill.maxLagMs(); lag = lagSeconds()) {
                if (!told) {
                    told = true;
                    report.accept(new BackfillTick(now.table(), now.rows(), now.batches(), now.batchesEstimated(), 0, -1, false,
                            "waiting: replication lag " + Math.round(lag * 10) / 10.0 + "s is above " + backfill.maxLagMs() + "ms"));
                }
                sleep(LAG_POLL_MS);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
        lastStart = System.nanoTime();
    }

    private double lagSeconds() throws SQLException {
        String query = "replication".equals(backfill.lagQuery()) ? REPLICATION_LAG : backfill.lagQuery();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(query)) {
            return rs.next() ? rs.getDouble(1) : 0;
        }
    }

    /** The pause after a batch. */
    void pause() {
        if (backfill.pauseMs() > 0) {
            sleep(backfill.pauseMs());
        }
    }

    static void sleep(long ms) {
        sleep(ms, 0);
    }

    private static void sleep(long ms, int nanos) {
        try {
            Thread.sleep(ms, nanos);
        } catch (InterruptedException e) {
            // asked to stop: the backfill stops after the batch it is in, and whoever interrupted sees the flag
            Thread.currentThread().interrupt();
        }
    }
}
