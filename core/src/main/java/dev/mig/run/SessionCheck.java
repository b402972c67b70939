package dev.mig.run;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes sure each of mig's connections is one PostgreSQL session, before the plan lock is asked
 * for. Behind a transaction-pooling proxy (PgBouncer with {@code pool_mode = transaction}) a
 * connection's statements run in whichever backend is free: the plan lock, a session advisory
 * lock, would be taken in a backend that then serves other clients, and session settings would
 * leak to them. Such a target is refused (exit 6).
 *
 * <p>The check: the lock connection asks for its backend pid in autocommit; the working
 * connection opens a transaction and asks for its own, which pins its backend while the
 * transaction lasts; the lock connection asks again. A proxy that hands out free backends gives the
 * working connection the one the lock connection just released (PgBouncer reuses the most recently
 * used first), or gives the lock connection another one the second time. Directly, or through a
 * session-pooling proxy, the two pids of the lock connection are equal and differ from the working
 * one. The transaction is rolled back at once, so nothing waits with it open.
 */
final class SessionCheck {

    static final String HINT = "mig needs session-level locks; connect directly to PostgreSQL or to a session-pooling"
            + " PgBouncer (pool_mode = session)";

    private SessionCheck() {
    }

    /** Returns the working connection's backend pid; throws (exit 6) behind a transaction pooler. */
    static int check(Connection lock, Connection working, String target) throws SQLException {
        lock.setAutoCommit(true);
        working.setAutoCommit(false);
        int lockPid = pid(lock);
        int workingPid;
        try {
            workingPid = pid(working);
        } catch (SQLException e) {
            // PgBouncer in statement mode refuses the transaction itself
            if (String.valueOf(e.getMessage()).contains("pooling mode")) {
                throw refuse(target, "it does not allow a transaction (" + e.getMessage().replaceFirst("^ERROR: ", "") + ")");
            }
            throw e;
        }
        try {
            if (workingPid == lockPid) {
                throw refuse(target, "two connections of mig ran in the same backend (pid " + lockPid + ")");
            }
            int again = pid(lock);
            if (again != lockPid) {
                throw refuse(target, "one connection ran its statements in two backends (pid " + lockPid + ", then " + again + ")");
            }
        } finally {
            working.rollback();
        }
        return workingPid;
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static MigException refuse(String target, String evidence) {
        return new MigException(ExitCode.CONNECTION_FAILED, "cannot use " + target + ": a connection there is not one"
                + " PostgreSQL session: " + evidence + ", so a transaction-pooling proxy (PgBouncer with pool_mode ="
                + " transaction) is in between; the plan lock, a session advisory lock, would stay in a backend that"
                + " serves other clients; nothing was run", HINT);
    }
}
