package dev.mig.run;

import dev.mig.catalog.Identifiers;
import dev.mig.model.Action;
import dev.mig.model.Step;
import dev.mig.result.StepFailure;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.SqlTokens;
import dev.mig.sql.StatementSplitter;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Clears what an earlier attempt of a step without a transaction left half done, before the step
 * runs again: the INVALID index of each {@code CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS]
 * name ON table} the step holds. A concurrent build that was interrupted (mig killed, the backend
 * terminated) or failed (duplicate keys) leaves its index behind, INVALID: a plain rerun would fail
 * on the name, and with {@code IF NOT EXISTS} would quietly keep the useless index.
 *
 * <p>Only names the step's own statements create are looked at, and only on the table each
 * statement names; a valid index is never touched. The drop is {@code DROP INDEX CONCURRENTLY},
 * which does not take an ACCESS EXCLUSIVE lock on the table, under the step's lock timeout.
 */
final class Repair {

    private static final String INVALID = "SELECT n.nspname, c.relname FROM pg_index i"
            + " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE i.indrelid = to_regclass(?) AND c.relname = ? AND NOT i.indisvalid";

    /** The index a statement builds concurrently, and the table as the statement writes it (quoted for to_regclass). */
    record ConcurrentIndex(String name, String table) {
    }

    private Repair() {
    }

    /**
     * Drops the leftovers of the step's earlier attempt ({@code earlier} says how it ended:
     * "interrupted", "failed") in autocommit; returns one report line per index dropped.
     */
    static List<String> run(Connection connection, Step step, String earlier) throws StepFailedException {
        List<String> report = new ArrayList<>();
        for (Action action : step.actions()) {
            if (!(action instanceof Action.Sql sql)) {
                continue;
            }
            for (SqlStatement statement : StatementSplitter.split(sql.text())) {
                ConcurrentIndex index = concurrentIndex(SqlTokens.of(statement.text()));
                if (index != null) {
                    String dropped = dropIfInvalid(connection, step, index);
                    if (dropped != null) {
                        report.add("repaired: dropped invalid index " + dropped + " left by the " + earlier + " run");
                    }
                }
            }
        }
        return report;
    }

    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] [schema.]table}; null otherwise or without a name. */
    static ConcurrentIndex concurrentIndex(List<SqlTokens.Token> t) {
        int i = 0;
        if (!is(t, i++, "CREATE")) {
            return null;
        }
        if (is(t, i, "UNIQUE")) {
            i++;
        }
        if (!is(t, i++, "INDEX") || !is(t, i++, "CONCURRENTLY")) {
            return null;
        }
        if (is(t, i, "IF") && is(t, i + 1, "NOT") && is(t, i + 2, "EXISTS")) {
            i += 3;
        }
        if (is(t, i, "ON") || i >= t.size() || !t.get(i).isName()) {
            return null; // no name: the server makes one up, which mig cannot know
        }
        String name = t.get(i++).identifier();
        if (!is(t, i++, "ON")) {
            return null;
        }
        if (is(t, i, "ONLY")) {
            i++;
        }
        if (i >= t.size() || !t.get(i).isName()) {
            return null;
        }
        String table = Identifiers.quote(t.get(i).identifier());
        if (i + 2 < t.size() && t.get(i + 1).isPunctuation('.') && t.get(i + 2).isName()) {
            table = table + "." + Identifiers.quote(t.get(i + 2).identifier());
        }
        return new ConcurrentIndex(name, table);
    }

    /**
     * The index a failed {@code CREATE INDEX CONCURRENTLY} statement left INVALID, as
     * {@code schema.name}; null when it left none, or when that cannot be read.
     */
    static String leftBehind(Connection connection, String statement) {
        ConcurrentIndex index = statement == null ? null : concurrentIndex(SqlTokens.of(statement));
        if (index == null) {
            return null;
        }
        try (PreparedStatement ps = connection.prepareStatement(INVALID)) {
            ps.setString(1, index.table());
            ps.setString(2, index.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? CleanupSql.display(rs.getString(1), rs.getString(2)) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private static String dropIfInvalid(Connection connection, Step step, ConcurrentIndex index) throws StepFailedException {
        String drop = null;
        try {
            String schema;
            String name;
            try (PreparedStatement ps = connection.prepareStatement(INVALID)) {
                ps.setString(1, index.table());
                ps.setString(2, index.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    schema = rs.getString(1);
                    name = rs.getString(2);
                }
            }
            drop = "DROP INDEX CONCURRENTLY IF EXISTS " + Identifiers.qualified(schema, name);
            try (Statement st = connection.createStatement()) {
                st.execute(drop);
            }
            return CleanupSql.display(schema, name);
        } catch (SQLException e) {
            var server = e instanceof PSQLException pe ? pe.getServerErrorMessage() : null;
            String message = server != null && server.getMessage() != null ? server.getMessage() : e.getMessage();
            throw new StepFailedException(new StepFailure("repairing what an earlier run left failed: " + message,
                    step.location(), drop, null, e.getSQLState(), server == null ? null : server.getDetail(),
                    server == null ? null : server.getHint(), e));
        }
    }

    private static boolean is(List<SqlTokens.Token> t, int i, String keyword) {
        return i >= 0 && i < t.size() && t.get(i).is(keyword);
    }
}
