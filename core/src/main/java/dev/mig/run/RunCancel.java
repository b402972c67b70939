package dev.mig.run;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancels a run from another thread (a fleet's second Ctrl-C, a workflow engine's cancel): the
 * run's connections are aborted, then the statement in flight is cancelled on the server
 * (PostgreSQL's cancel request, what psql sends on Ctrl-C). The running step's transaction rolls
 * back with its journal rows, and the run can do nothing more. Both are needed, in this order: an
 * aborted socket alone leaves a long statement running on the server until it next talks to the
 * client (or {@code client_connection_check_interval} notices), and a cancel alone would let the
 * run go on: record the step as failed, run its onFailure hooks. pgjdbc's own cancelQuery refuses
 * a closed connection, so the cancel goes through the connection's query executor, which keeps the
 * backend's cancel key. A step without a transaction keeps what its statements committed before,
 * as after kill -9. Once cancelled it stays so: a connection asked for afterwards is refused.
 */
public final class RunCancel {

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    /** {@code connector}, its connections kept until {@link #forget()} so that {@link #cancel()} reaches them. */
    public Runner.Connector watching(Runner.Connector connector) {
        return () -> {
            refuseIfCancelled();
            Connection c = connector.open();
            open.add(c);
            if (cancelled) {
                // cancel() came while this one opened and did not see it
                abort(c);
                refuseIfCancelled();
            }
            return c;
        };
    }

    /** The run is over: its connections are closed, nothing is left to cancel. */
    public void forget() {
        open.clear();
    }

    public boolean cancelled() {
        return cancelled;
    }

    public void cancel() {
        cancelled = true;
        for (Connection c : List.copyOf(open)) {
            QueryExecutor server = executor(c);
            abort(c);
            if (server != null) {
                try {
                    server.sendQueryCancel();
                } catch (SQLException | RuntimeException unreachable) {
                    // the server's side ends when it next talks to the closed socket
                }
            }
        }
    }

    /** pgjdbc's executor of {@code c}, which can send a cancel request after the connection is closed; null when not pgjdbc. */
    private static QueryExecutor executor(Connection c) {
        try {
            return c.isWrapperFor(BaseConnection.class) ? c.unwrap(BaseConnection.class).getQueryExecutor() : null;
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private void refuseIfCancelled() {
        if (cancelled) {
            throw new MigException(ExitCode.STEP_FAILED, "the run was cancelled before it connected",
                    "run it again: it goes on from the journal");
        }
    }

    private static void abort(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // already closed
        }
    }
}
