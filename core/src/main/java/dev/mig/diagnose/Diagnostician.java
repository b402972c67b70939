package dev.mig.diagnose;

import dev.mig.api.SourceLocation;
import dev.mig.catalog.Catalog;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.Blocker;
import dev.mig.sql.SqlTokens;
import dev.mig.sql.StatementSplitter;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mig's hint for a failed step: what the catalog says about the cause of the server's error,
 * read right after the step's transaction is rolled back, on the same connection, in a short
 * transaction of its own that is rolled back too (docs/DSL.md section 15, "mig hints").
 *
 * <p>Reading after the rollback sees what the step found, not what it did before it failed; the
 * blockers of a lock timeout still hold their locks, and leftovers, missing extensions and bad rows
 * are still there. Where the step's own earlier statements explain the error, the hint says so.
 *
 * <p>A diagnosis never fails the run: its queries run under short timeouts, and any error while
 * diagnosing becomes one line, {@code (mig could not diagnose this: ...)}.
 */
public final class Diagnostician {

    /** How long one diagnosis query may run, and wait for a lock, before the hint gives up on it. */
    static final String QUERY_TIMEOUT = "5s";
    static final String LOCK_TIMEOUT = "1s";

    private static final Pattern NOT_IN_TRANSACTION = Pattern.compile("(.+) cannot run inside a transaction block");

    private final Connection connection;
    private final Plan plan;
    private final List<String> searchPath;

    public Diagnostician(Connection connection, Plan plan, List<String> searchPath) {
        this.connection = connection;
        this.plan = plan;
        this.searchPath = searchPath;
    }

    /**
     * The hint's lines for this failure (empty when mig has nothing to add). The connection must
     * not be in autocommit and must have no transaction in progress; it is left that way.
     */
    public List<String> diagnose(Step step, ServerError error, SourceLocation failedAt) {
        return diagnose(step, error, failedAt, List.of());
    }

    /**
     * The same, knowing the sessions a watcher saw blocking the statement while it waited: a lock
     * timeout then names exactly those, instead of every session holding a lock on the relations.
     */
    public List<String> diagnose(Step step, ServerError error, SourceLocation failedAt, List<Blocker> blockers) {
        if (error == null || error.sqlState() == null) {
            return List.of();
        }
        try {
            Catalog catalog = new Catalog(connection, searchPath);
            String sessionStatementTimeout = (String) catalog.value("SELECT current_setting('statement_timeout')");
            catalog.value("SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)",
                    QUERY_TIMEOUT, LOCK_TIMEOUT);
            Context ctx = new Context(catalog, plan, step, error, failedAt, sessionStatementTimeout, blockers);
            return List.copyOf(dispatch(ctx));
        } catch (RuntimeException e) {
            return List.of("(mig could not diagnose this: " + reason(e) + ")");
        } finally {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; recording the step fails next, with the real error
            }
        }
    }

    private static List<String> dispatch(Context ctx) {
        return switch (ctx.error().sqlState()) {
            case "42P07", "42710", "42P06" -> NameClash.diagnose(ctx);
            case "42601" -> SyntaxError.diagnose(ctx);
            case "42704" -> MissingObject.undefinedObject(ctx);
            case "42P01" -> MissingObject.relation(ctx);
            case "42883" -> MissingObject.function(ctx);
            case "3F000" -> MissingObject.schema(ctx);
            case "23503" -> DataCheck.foreignKey(ctx);
            case "23505" -> DataCheck.unique(ctx);
            case "23502" -> DataCheck.notNull(ctx);
            case "23514" -> CheckViolation.diagnose(ctx);
            case "25001" -> notInTransaction(ctx);
            case "55P03", "57014" -> LockWait.diagnose(ctx);
            case "40P01", "40001" -> LockWait.conflict(ctx);
            case "42501" -> Privileges.diagnose(ctx);
            default -> List.of();
        };
    }

    /** 25001: the statement needs autocommit, so it needs a step with {@code transaction false}. */
    static List<String> notInTransaction(Context ctx) {
        Matcher m = ctx.match(NOT_IN_TRANSACTION);
        if (m == null) {
            return List.of();
        }
        Step step = ctx.step();
        long statements = step.actions().stream()
                .filter(a -> a instanceof dev.mig.model.Action.Sql s && s.text() != null)
                .mapToLong(a -> StatementSplitter.split(((dev.mig.model.Action.Sql) a).text()).size())
                .sum();
        String what = m.group(1);
        List<SqlTokens.Token> t = ctx.tokens();
        if (what.isBlank() && !t.isEmpty()) {
            what = t.get(0).upper();
        }
        return List.of(
                what + " cannot run inside a transaction, and step '" + step.name() + "' (" + step.location()
                        + ") runs in one: write it as step(" + Names.literal(step.name()) + ") { transaction false; ... }",
                statements > 1
                        ? "give the statement a step of its own, the step's " + (statements - 1) + " other statement"
                        + (statements == 2 ? "" : "s") + " in another: a step without a transaction is not rolled back"
                        + " on failure, so write it to be rerunnable (IF NOT EXISTS, cleanup { dropIndexIfInvalid ... })"
                        : "a step without a transaction is not rolled back on failure, so write it to be rerunnable"
                        + " (IF NOT EXISTS, cleanup { dropIndexIfInvalid ... })");
    }

    static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.replaceFirst("^catalog query failed: ", "").replaceFirst("^ERROR: ", "");
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
