package dev.mig.diagnose;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What the server said about a failed statement, with the fields PostgreSQL fills for some
 * errors (schema, table, column, constraint: a foreign key's violation names its table and
 * constraint, SET NOT NULL its column), the statement that failed (null for errors from a
 * Groovy block), and the statement a function or DO block ran when the error is from that one
 * ({@code EXECUTE '...'} in PL/pgSQL; null otherwise).
 */
public record ServerError(String sqlState, String message, String detail, String statement,
                          String schema, String table, String column, String constraint, String internalQuery) {

    public ServerError(String sqlState, String message, String detail, String statement,
                       String schema, String table, String column, String constraint) {
        this(sqlState, message, detail, statement, schema, table, column, constraint, null);
    }

    /** From the first PSQLException in {@code cause}'s chain; null when there is none. */
    public static ServerError from(Throwable cause, String statement) {
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
                ServerErrorMessage m = pe.getServerErrorMessage();
                return new ServerError(pe.getSQLState(), m.getMessage(), m.getDetail(), statement, m.getSchema(),
                        m.getTable(), m.getColumn(), m.getConstraint(), m.getInternalQuery());
            }
        }
        return null;
    }
}
