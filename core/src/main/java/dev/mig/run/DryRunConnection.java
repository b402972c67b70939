package dev.mig.run;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The working connection of {@code mig run --dry-run}: one transaction for the whole run, in
 * which each {@code commit()} of a step keeps its changes under a new savepoint and each
 * {@code rollback()} goes back to the last one. So the steps, their journal rows and their
 * failures behave as in a run, and {@link #end} rolls all of it back. Leaving the transaction
 * ({@code setAutoCommit(true)}) is refused: the runner never runs a step without a transaction
 * in a dry run.
 */
final class DryRunConnection implements InvocationHandler {

    private static final String SAVEPOINT = "mig_dry_run";

    private final Connection real;

    private DryRunConnection(Connection real) {
        this.real = real;
    }

    /** Opens the dry run's transaction on {@code real} and returns the connection the run works on. */
    static Connection begin(Connection real) throws SQLException {
        real.setAutoCommit(false);
        execute(real, "SAVEPOINT " + SAVEPOINT);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new DryRunConnection(real));
    }

    /** Rolls back everything the dry run did, the journal included. */
    static void end(Connection real) throws SQLException {
        real.rollback();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        boolean noArgs = args == null || args.length == 0;
        switch (method.getName()) {
            case "commit":
                // a step's SET LOCAL would outlive its savepoint: the next step starts from the session's values
                execute(real, "RELEASE SAVEPOINT " + SAVEPOINT + "; RESET lock_timeout; RESET statement_timeout; SAVEPOINT "
                        + SAVEPOINT);
                return null;
            case "rollback":
                if (noArgs) {
                    execute(real, "ROLLBACK TO SAVEPOINT " + SAVEPOINT);
                    return null;
                }
                break;
            case "setAutoCommit":
                if (Boolean.TRUE.equals(args[0])) {
                    throw new IllegalStateException("a dry run cannot leave its transaction");
                }
                return null;
            case "getAutoCommit":
                return false;
            case "setReadOnly":
                // read-only cannot be switched inside a transaction; what is read is rolled back anyway
                return null;
            case "close":
                return null;
            default:
                break;
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
