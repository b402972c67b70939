package dev.mig.run;

import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A connection that died under a run: its backend was terminated ({@code pg_terminate_backend},
 * SQL State 57P01), the server shut down or restarted (57P02, 57P03), or the network failed
 * (class 08). Nothing more can run on it, so the step that was running is reported with the
 * real cause and what the server did with its work, and the run stops; rolling back or writing
 * the journal on it would only fail again with "This connection has been closed".
 */
final class ConnectionLoss {

    private static final List<String> TERMINATED = List.of("57P01", "57P02", "57P03");

    private ConnectionLoss() {
    }

    /** The SQLException in {@code t}'s causes that says the connection is gone, or null. */
    static SQLException of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || TERMINATED.contains(e.getSQLState()))) {
                return e;
            }
        }
        return null;
    }

    /** Whether the connection can no longer be used; a closed connection is never asked twice. */
    static boolean gone(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** The server's own message when it sent one (57P01's "terminating connection due to administrator command"). */
    static String message(SQLException e) {
        if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null && pe.getServerErrorMessage().getMessage() != null) {
            return pe.getServerErrorMessage().getMessage();
        }
        return e.getMessage();
    }

    /** mig's hint: what the SQL State means and what to do. */
    static List<String> hint(String sqlState) {
        String cause = switch (sqlState == null ? "" : sqlState) {
            case "57P01" -> "the session was ended by pg_terminate_backend or an administrator (or the server is shutting down)";
            case "57P02", "57P03" -> "the server crashed, restarted or is starting up";
            default -> "the connection to the server was lost (server restart, network, or a proxy closed it)";
        };
        return List.of("the database connection was lost: " + cause,
                "once the server is reachable, run mig again: it carries on from the journal");
    }

    /** What became of the step's work, as the Effect row says it. */
    static String effect(boolean transactional, boolean undo) {
        if (undo) {
            return transactional ? "connection lost: the server rolled back the undo's transaction; the step stays applied"
                    : "connection lost: statements of the undo before the one that was running stay done (no transaction);"
                    + " the step stays applied";
        }
        return transactional
                ? "connection lost: the server rolled back the step's transaction, its journal rows with it;"
                + " the step is not applied and the next run runs it again"
                : "connection lost: statements before the one that was running stay applied (no transaction);"
                + " the journal says 'running', so the next run drops an INVALID index the step left and runs the step"
                + " again from its first statement (which is why such a step is written rerunnable: IF NOT EXISTS)";
    }
}
