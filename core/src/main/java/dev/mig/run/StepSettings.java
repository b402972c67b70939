package dev.mig.run;

import dev.mig.model.ResolvedSettings;

import java.sql.Connection;
import java.sql.Statement;
import java.sql.SQLException;

/**
 * A step's lock_timeout and statement_timeout on the session: for its transaction only
 * ({@code local}), or for the session until {@link #reset} (a step without a transaction). An
 * unset statementTimeout leaves the session's own; an unset lockTimeout is no limit.
 */
public final class StepSettings {

    private StepSettings() {
    }

    public static void apply(Connection connection, ResolvedSettings settings, boolean local) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql(settings, local));
        }
    }

    /**
     * {@link #apply} for the transaction only, as SQL text to send in the same round trip as the
     * step's first statement ({@code SELECT ...; first statement}).
     */
    static String localPrefix(ResolvedSettings settings) {
        return sql(settings, true) + ";";
    }

    /** The two set_config calls, with the values as literals. */
    private static String sql(ResolvedSettings settings, boolean local) {
        String lockTimeout = settings.lockTimeout().value();
        String statementTimeout = settings.statementTimeout().value();
        return "SELECT set_config('lock_timeout', " + literal(lockTimeout == null ? "0" : lockTimeout) + ", " + local + "),"
                + " set_config('statement_timeout', coalesce(" + (statementTimeout == null ? "NULL" : literal(statementTimeout))
                + ", current_setting('statement_timeout')), " + local + ")";
    }

    /** A value as an SQL string literal: {@code it's} as {@code 'it''s'}. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Back to the session's own values after a step without a transaction. */
    static void reset(Connection connection) {
        try (var st = connection.createStatement()) {
            st.execute("RESET lock_timeout; RESET statement_timeout");
        } catch (SQLException ignored) {
            // a broken connection fails the next statement, with a better message
        }
    }
}
