package dev.mig.run;

import dev.mig.catalog.Catalog;
import dev.mig.journal.Journal;
import dev.mig.model.Plan;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The database side of one command that changes a plan's state (run, undo, baseline, reset):
 * two connections, checked to be sessions of their own ({@link SessionCheck}: no transaction
 * pooler), the plan lock taken on the first, the client-death cancel set on the second, the
 * blocker watch on the first (idle while the lock is held), and the journal. Closing it ends
 * the watch, releases the lock and closes both connections, in that order.
 */
public final class PlanSession implements AutoCloseable {

    private final Connection lockConnection;
    private final Connection connection;
    private final Journal journal;
    private PlanLock lock;
    private BlockerWatch watch = BlockerWatch.NONE;

    private PlanSession(Connection lockConnection, Connection connection, Journal journal) {
        this.lockConnection = lockConnection;
        this.connection = connection;
        this.journal = journal;
    }

    /**
     * Opens the session; {@code onWait} hears who holds the plan lock while it waits. Anything
     * that fails on the way closes what was opened before.
     */
    public static PlanSession open(Runner.Connector connector, String targetDisplay, Journal journal, String planName,
                                   Duration lockWait, Consumer<String> onWait) throws SQLException {
        return open(connector, targetDisplay, journal, planName, lockWait, onWait, PlanLock.Holder.RUN);
    }

    /** As above, holding the plan lock for {@code as}: a run waiting for it is told which command holds it. */
    public static PlanSession open(Runner.Connector connector, String targetDisplay, Journal journal, String planName,
                                   Duration lockWait, Consumer<String> onWait, PlanLock.Holder as) throws SQLException {
        Connection lockConnection = connector.open();
        PlanSession session;
        try {
            session = new PlanSession(lockConnection, connector.open(), journal);
        } catch (RuntimeException e) {
            closeQuietly(lockConnection, e);
            throw e;
        }
        try {
            session.start(targetDisplay, planName, lockWait, onWait, as);
            return session;
        } catch (SQLException | RuntimeException e) {
            try {
                session.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void start(String targetDisplay, String planName, Duration lockWait, Consumer<String> onWait, PlanLock.Holder as)
            throws SQLException {
        // before the lock: behind a transaction pooler the lock itself would be taken in a shared backend
        int pid = SessionCheck.check(lockConnection, connection, targetDisplay);
        lock = new PlanLock(lockConnection, journal.schemaName(), planName, journal.tenant(), as);
        lock.acquire(lockWait, onWait);
        cancelWhenClientDies(connection);
        // the lock's connection is idle while the command holds the lock: the watcher may use it
        watch = new BlockerWatch(lockConnection, pid);
    }

    /**
     * PostgreSQL 14+ can notice a vanished client during a long statement and cancel it. Without
     * this, a killed mig's statement runs on to its end holding its locks (and the step's
     * uncommitted rows) while the next run waits for it.
     */
    private static void cancelWhenClientDies(Connection connection) throws SQLException {
        try (var st = connection.createStatement()) {
            st.execute("SELECT set_config('client_connection_check_interval', '2s', false)"
                    + " WHERE current_setting('server_version_num')::int >= 140000");
        }
        connection.commit();
    }

    /** The connection the command works on. */
    public Connection connection() {
        return connection;
    }

    public Journal journal() {
        return journal;
    }

    BlockerWatch watch() {
        return watch;
    }

    /** Runs steps (or their undo blocks) of {@code plan} on this session's connection, as one run of the history. */
    public StepExecutor executor(Plan plan, RunListener listener) {
        return new StepExecutor(connection, journal, plan, UUID.randomUUID(),
                Catalog.parseSearchPath(plan.settings().searchPath()), watch, listener, new Backoff());
    }

    /** Whether the working connection died: nothing more can be tried on it. */
    public boolean lost() {
        return ConnectionLoss.gone(connection);
    }

    @Override
    public void close() throws SQLException {
        watch.close();
        SQLException failed = null;
        if (lock != null) {
            lock.close();
        }
        for (Connection c : new Connection[]{connection, lockConnection}) {
            try {
                c.close();
            } catch (SQLException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private static void closeQuietly(Connection c, Exception into) {
        try {
            c.close();
        } catch (SQLException e) {
            into.addSuppressed(e);
        }
    }
}
