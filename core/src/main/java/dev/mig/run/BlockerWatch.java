package dev.mig.run;

import dev.mig.result.Blocker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Names the sessions that block the step's statement while it waits. {@code pg_blocking_pids}
 * answers only during the wait, and after a lock timeout the statement no longer waits, so a
 * watcher asks it from another connection (the plan lock's, which is idle in autocommit while the
 * run holds the lock) every {@value #EVERY_MS} ms once a statement has run {@value #FIRST_LOOK_MS}
 * ms, and keeps the latest non-empty answer.
 *
 * <p>It can neither block nor break a run: its queries run with a 1 s {@code statement_timeout}
 * on a single daemon thread, one at a time; any error is swallowed (after a broken connection it
 * stops asking); {@link #close()} stops the thread. A statement that ends within
 * {@value #FIRST_LOOK_MS} ms costs no query at all.
 */
final class BlockerWatch implements AutoCloseable {

    static final long FIRST_LOOK_MS = 100;
    static final long EVERY_MS = 200;

    private static final String QUERY = """
            SELECT a.pid, a.usename::text, a.application_name,
                   coalesce(host(a.client_addr), CASE WHEN a.client_port = -1 THEN 'local socket' END),
                   a.state, extract(epoch FROM now() - a.state_change)::bigint,
                   extract(epoch FROM now() - a.xact_start)::bigint,
                   left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200)
              FROM unnest(pg_blocking_pids(?)) AS b(pid)
              JOIN pg_stat_activity a ON a.pid = b.pid
             ORDER BY a.xact_start NULLS LAST, a.pid""";

    /** Watches nothing: for code that runs steps without a second connection. */
    static final BlockerWatch NONE = new BlockerWatch();

    private final Connection connection;
    private final int watchedPid;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> polling;
    /** Which section a poll belongs to, so that a late answer never lands in the next one. */
    private volatile long section;
    private volatile List<Blocker> seen = List.of();
    private volatile boolean broken;

    private BlockerWatch() {
        this.connection = null;
        this.watchedPid = 0;
        this.scheduler = null;
    }

    /** Watches the backend {@code watchedPid} through {@code connection}, which it uses alone until closed. */
    BlockerWatch(Connection connection, int watchedPid) {
        this.connection = connection;
        this.watchedPid = watchedPid;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            // named by the backend it watches: a thread dump (and a test) tells the runs apart
            Thread t = new Thread(r, "mig-blocker-watch " + watchedPid);
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::prepare);
    }

    private void prepare() {
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT set_config('statement_timeout', '1s', false), set_config('lock_timeout', '1s', false)");
        } catch (SQLException | RuntimeException e) {
            broken = true;
        }
    }

    /** A statement (or cleanup action, guard, groovy block) starts: forget earlier blockers, look soon. */
    synchronized void begin() {
        seen = List.of();
        if (scheduler == null || broken) {
            return;
        }
        long mine = ++section;
        try {
            polling = scheduler.scheduleWithFixedDelay(() -> poll(mine), FIRST_LOOK_MS, EVERY_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            polling = null;
        }
    }

    /**
     * The section ended: stop looking. With {@code failed} false the blockers are forgotten, so
     * that {@link #lastSeen()} only ever names those of a section that failed.
     */
    synchronized void end(boolean failed) {
        section++;
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
        if (!failed) {
            seen = List.of();
        }
    }

    /** The blockers last seen during the section that failed last; empty when none were seen. */
    List<Blocker> lastSeen() {
        return seen;
    }

    private void poll(long mine) {
        if (broken || section != mine) {
            return;
        }
        try {
            List<Blocker> found = blockers();
            if (!found.isEmpty() && section == mine) {
                seen = found;
            }
        } catch (SQLException e) {
            // a query that timed out is tried again next time; a closed connection is not
            broken = isClosed();
        } catch (RuntimeException e) {
            broken = true;
        }
    }

    private List<Blocker> blockers() throws SQLException {
        List<Blocker> found = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
            ps.setInt(1, watchedPid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new Blocker(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), (Long) rs.getObject(6, Long.class), (Long) rs.getObject(7, Long.class),
                            rs.getString(8)));
                }
            }
        }
        return found;
    }

    private boolean isClosed() {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Stops the thread, waiting for a query in flight, so that the connection is the caller's again. */
    @Override
    public void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
