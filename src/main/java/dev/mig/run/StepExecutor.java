package dev.mig.run;

import dev.mig.api.SourceLocation;
import dev.mig.catalog.Catalog;
import dev.mig.catalog.CatalogView;
import dev.mig.diagnose.Diagnostician;
import dev.mig.diagnose.ServerError;
import dev.mig.journal.Journal;
import dev.mig.journal.StepStatus;
import dev.mig.model.Action;
import dev.mig.model.Guard;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.verify.Verifier;
import dev.mig.verify.VerifyFailure;
import groovy.json.JsonOutput;
import groovy.lang.Closure;
import groovy.sql.Sql;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs one step. A transactional step is one transaction: timeouts, guards, cleanup, SQL and
 * code, verify, journal rows, COMMIT; any error or failed expectation rolls back all of it and
 * the failed attempt is then recorded on its own. After a lock timeout, deadlock or serialization
 * failure it is tried again, whole, as often as its {@code retries} allow, after a pause
 * ({@link Backoff}); each such attempt is a {@code retried} row in the history. A
 * non-transactional step records {@code running} first, runs in autocommit, and records its
 * outcome after; it is never retried. While any statement runs, a {@link BlockerWatch} notes who
 * blocks it.
 */
final class StepExecutor {

    private final Connection connection;
    private final Journal journal;
    private final Plan plan;
    private final UUID runId;
    private final List<String> searchPath;
    private final BlockerWatch watch;
    private final RunListener listener;
    private final Backoff backoff;

    private Catalog catalog;

    StepExecutor(Connection connection, Journal journal, Plan plan, UUID runId, List<String> searchPath,
                 BlockerWatch watch, RunListener listener, Backoff backoff) {
        this.connection = connection;
        this.journal = journal;
        this.plan = plan;
        this.runId = runId;
        this.searchPath = searchPath;
        this.watch = watch;
        this.listener = listener;
        this.backoff = backoff;
    }

    /**
     * Runs the step; {@code before} is its state in the journal (null for a step never tried).
     * When the connection dies under it, the step fails with the server's cause and nothing more
     * is tried on the connection ({@link ConnectionLoss}); the caller sees it closed.
     */
    StepResult execute(Step step, StepStatus before) throws SQLException {
        long started = System.nanoTime();
        try {
            return attempts(step, before, started);
        } catch (SQLException | RuntimeException e) {
            if (ConnectionLoss.of(e) == null && !ConnectionLoss.gone(connection)) {
                throw e;
            }
            return lost(step, started, failureOf(e, step.location()), false);
        }
    }

    private StepResult attempts(Step step, StepStatus before, long started) throws SQLException {
        int allowed = plan.settingsFor(step).retries().value();
        List<Retry> retries = new ArrayList<>();
        while (true) {
            // one reading of the catalog per attempt, shared by its guards and verify, read again
            // after anything that can change the schema
            catalog = new Catalog(connection, searchPath);
            if (!step.transactional()) {
                return inAutocommit(step, before);
            }
            Attempt attempt = new Attempt(step);
            StepResult result = inTransaction(step, attempt, retries.size() < allowed);
            if (result != null) {
                return retries.isEmpty() ? result : result.afterRetries(retries, (System.nanoTime() - started) / 1_000_000);
            }
            StepFailure failure = attempt.retryable;
            Retry retry = new Retry(retries.size() + 1, allowed, failure.sqlState(), failure.message(), failure.location(),
                    backoff.delayMs(retries.size() + 1), failure.blockers());
            retries.add(retry);
            listener.stepRetrying(step, retry);
            pause(retry.delayMs());
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // asked to stop: the next attempt starts at once, and whoever interrupted sees the flag
            Thread.currentThread().interrupt();
        }
    }

    /** The step's outcome, or null when the attempt failed in a way to retry (then {@code attempt.retryable} says how). */
    private StepResult inTransaction(Step step, Attempt attempt, boolean mayRetry) throws SQLException {
        try {
            applySettings(step, true);
            Guard.OnFalse skipped = watchedGuards(step, attempt);
            if (skipped != null) {
                record(step, StepStatus.SKIPPED, "skipped", attempt, null);
                connection.commit();
                return attempt.result(StepOutcome.SKIPPED, attempt.reason, null, List.of());
            }
            runBody(step, attempt);
            List<String> failures = verify(step);
            if (!failures.isEmpty()) {
                collectNotices(attempt);
                connection.rollback();
                recordAfterRollback(step, StepStatus.FAILED, "verify-failed", attempt, String.join("\n", failures), null);
                return attempt.result(StepOutcome.VERIFY_FAILED, "verify failed, rolled back", null, failures);
            }
            collectNotices(attempt);
            record(step, StepStatus.APPLIED, "applied", attempt, null);
            connection.commit();
            return attempt.result(StepOutcome.APPLIED, null, null, List.of());
        } catch (StepFailedException e) {
            if (isLoss(e)) {
                return lost(step, attempt.startNanos, e.failure(), false);
            }
            connection.rollback();
            StepFailure failure = e.failure().withBlockers(watch.lastSeen());
            if (mayRetry && Retry.retryable(failure.sqlState())) {
                attempt.retryable = failure;
                recordRetried(step, attempt, failure);
                return null;
            }
            failure = withMigHint(step, failure);
            recordAfterRollback(step, StepStatus.FAILED, "failed", attempt, failure.message(), failure.sqlState());
            return attempt.result(StepOutcome.FAILED, "rolled back", failure, List.of());
        }
    }

    private StepResult inAutocommit(Step step, StepStatus before) throws SQLException {
        Attempt attempt = new Attempt(step);
        record(step, StepStatus.RUNNING, "running", attempt, null);
        connection.commit();
        connection.setAutoCommit(true);
        try {
            applySettings(step, false);
            if (before == StepStatus.RUNNING || before == StepStatus.FAILED) {
                repair(step, before == StepStatus.RUNNING ? "interrupted" : "failed", attempt);
            }
            Guard.OnFalse skipped = watchedGuards(step, attempt);
            if (skipped != null) {
                connection.setAutoCommit(false);
                record(step, StepStatus.SKIPPED, "skipped", attempt, null);
                connection.commit();
                return attempt.result(StepOutcome.SKIPPED, attempt.reason, null, List.of());
            }
            runBody(step, attempt);
            List<String> failures = verify(step);
            connection.setAutoCommit(false);
            if (!failures.isEmpty()) {
                record(step, StepStatus.FAILED, "verify-failed", attempt, String.join("\n", failures));
                connection.commit();
                return attempt.result(StepOutcome.VERIFY_FAILED, "verify failed; a step without a transaction cannot be rolled back", null, failures);
            }
            record(step, StepStatus.APPLIED, "applied", attempt, null);
            connection.commit();
            return attempt.result(StepOutcome.APPLIED, null, null, List.of());
        } catch (StepFailedException e) {
            if (isLoss(e)) {
                return lost(step, attempt.startNanos, e.failure(), false);
            }
            connection.setAutoCommit(false);
            StepFailure failure = withMigHint(step, e.failure());
            attempt.error = failure.message();
            attempt.sqlState = failure.sqlState();
            String invalid = Repair.leftBehind(connection, failure.statement());
            record(step, StepStatus.FAILED, "failed", attempt, failure.message());
            connection.commit();
            String effect = "statements before the failing one stay applied (no transaction)" + (invalid == null ? ""
                    : "; the failed build left index " + invalid + " INVALID, and the next run drops it before building it again");
            return attempt.result(StepOutcome.FAILED, effect, failure, List.of());
        } finally {
            if (!ConnectionLoss.gone(connection) && connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
            resetSettings(step);
        }
    }

    /**
     * Runs the step's undo block as the step ran: in one transaction with its timeouts, or in
     * autocommit for a step with {@code transaction false}; never retried. When it succeeds the
     * step's journal row is deleted (a later run applies it again) and the history gets an
     * {@code undone} row; when it fails the row stays {@code applied} and the history gets
     * {@code undo-failed}.
     */
    StepResult undo(Step step) throws SQLException {
        long started = System.nanoTime();
        try {
            return undoOnce(step);
        } catch (SQLException | RuntimeException e) {
            if (ConnectionLoss.of(e) == null && !ConnectionLoss.gone(connection)) {
                throw e;
            }
            return lost(step, started, failureOf(e, step.location()), true);
        }
    }

    private StepResult undoOnce(Step step) throws SQLException {
        catalog = new Catalog(connection, searchPath);
        Attempt attempt = new Attempt(step);
        boolean transactional = step.transactional();
        try {
            if (!transactional) {
                connection.setAutoCommit(true);
            }
            applySettings(step, transactional);
            runActions(step.undo(), attempt);
            connection.setAutoCommit(false);
            collectNotices(attempt);
            journal.forget(connection, plan.name(), step.name());
            recordHistory(step, "undone", attempt, null);
            connection.commit();
            return attempt.result(StepOutcome.UNDONE, null, null, List.of());
        } catch (StepFailedException e) {
            if (isLoss(e)) {
                return lost(step, attempt.startNanos, e.failure(), true);
            }
            if (transactional) {
                connection.rollback();
            }
            connection.setAutoCommit(false);
            StepFailure failure = withMigHint(step, e.failure().withBlockers(watch.lastSeen()));
            attempt.sqlState = failure.sqlState();
            recordHistory(step, "undo-failed", attempt, failure.message());
            connection.commit();
            return attempt.result(StepOutcome.FAILED, transactional ? "the undo was rolled back; the step stays applied"
                    : "statements of the undo before the failing one stay done (no transaction); the step stays applied",
                    failure, List.of());
        } finally {
            if (!ConnectionLoss.gone(connection) && connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
            resetSettings(step);
        }
    }

    private boolean isLoss(StepFailedException e) {
        return ConnectionLoss.of(e.failure().cause()) != null || ConnectionLoss.gone(connection);
    }

    /**
     * The step failed because its connection died: the server's cause, what became of the step's
     * work, and no journal write (the server rolled back a transaction's rows with it; a step
     * without one stays 'running', which the next run repairs).
     */
    private static StepResult lost(Step step, long startNanos, StepFailure failure, boolean undo) {
        SQLException cause = ConnectionLoss.of(failure.cause());
        String sqlState = failure.sqlState() != null ? failure.sqlState() : cause == null ? null : cause.getSQLState();
        String message = failure.sqlState() == null && cause != null ? ConnectionLoss.message(cause) : failure.message();
        StepFailure why = new StepFailure(message, failure.location(), failure.statement(), failure.caret(), sqlState,
                failure.detail(), failure.hint(), failure.cause()).withMigHint(ConnectionLoss.hint(sqlState));
        return new StepResult(step, StepOutcome.FAILED, (System.nanoTime() - startNanos) / 1_000_000,
                ConnectionLoss.effect(step.transactional(), undo), List.of(), List.of(), List.of(), List.of(), why, List.of());
    }

    /** A failure outside any statement of the step (its journal write, its COMMIT). */
    private static StepFailure failureOf(Exception e, SourceLocation at) {
        SQLException cause = ConnectionLoss.of(e);
        if (cause == null) {
            return StepFailure.of(e.getMessage(), at, e);
        }
        return new StepFailure(ConnectionLoss.message(cause), at, null, null, cause.getSQLState(), null, null, cause);
    }

    private void recordHistory(Step step, String outcome, Attempt attempt, String error) throws SQLException {
        journal.appendHistory(connection, new Journal.HistoryRecord(runId, plan.name(), step.name(), step.checksum(),
                outcome, attempt.started, attempt.elapsedMs(), attempt.sqlState, error, attempt.noticesText(), null));
    }

    /**
     * mig's hint for a failure the server raised, read from the catalog after the rollback, on
     * this connection, with no transaction open (docs/DSL.md section 10, "mig hints").
     */
    private StepFailure withMigHint(Step step, StepFailure failure) {
        if (failure.sqlState() == null) {
            return failure;
        }
        ServerError error = ServerError.from(failure.cause(), failure.statement());
        return failure.withMigHint(new Diagnostician(connection, plan, searchPath)
                .diagnose(step, error, failure.location(), failure.blockers()));
    }

    private void applySettings(Step step, boolean local) throws SQLException {
        StepSettings.apply(connection, plan.settingsFor(step), local);
    }

    private void resetSettings(Step step) {
        if (!step.transactional()) {
            StepSettings.reset(connection);
        }
    }

    private void repair(Step step, String earlier, Attempt attempt) throws StepFailedException {
        watch.begin();
        boolean failed = true;
        try {
            attempt.repairs.addAll(Repair.run(connection, step, earlier));
            failed = false;
        } finally {
            watch.end(failed);
            catalog.refresh();
        }
    }

    private Guard.OnFalse watchedGuards(Step step, Attempt attempt) throws StepFailedException {
        watch.begin();
        boolean failed = true;
        try {
            Guard.OnFalse skipped = checkGuards(step, attempt);
            failed = false;
            return skipped;
        } finally {
            watch.end(failed);
        }
    }

    /** Returns non-null when a guard says the step is skipped; throws for a failed precondition. */
    private Guard.OnFalse checkGuards(Step step, Attempt attempt) throws StepFailedException {
        if (step.guards().isEmpty()) {
            return null;
        }
        CatalogView view = view();
        for (Guard guard : step.guards()) {
            boolean answer;
            view.startRecording();
            try {
                answer = DefaultTypeTransformation.castToBoolean(callWithDelegate(guard.condition(), view));
            } catch (Exception e) {
                // Groovy code may throw checked exceptions (SQLException from db.execute) undeclared
                attempt.guardEvidence.add(evidence(guard, null, view.stopRecording()));
                throw new StepFailedException(codeFailure("guard", e, guard.location()));
            }
            attempt.guardEvidence.add(evidence(guard, answer, view.stopRecording()));
            if (answer) {
                continue;
            }
            String because = guard.message() != null ? guard.message() : "guard is false";
            switch (guard.onFalse()) {
                case SKIP -> {
                    attempt.reason = because + " (" + guard.location() + ")";
                    return Guard.OnFalse.SKIP;
                }
                case FAIL -> throw new StepFailedException(StepFailure.of(
                        guard.message() != null ? "precondition failed: " + guard.message() : "precondition failed: guard is false",
                        guard.location(), null));
                case WARN -> attempt.warnings.add(because + " (" + guard.location() + "); running the step anyway");
            }
        }
        return null;
    }

    /** What one guard read and answered, as the journal keeps it (docs/DSL.md section 10, "Guard evidence"). */
    private static Map<String, Object> evidence(Guard guard, Boolean answer, List<String> readings) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", guard.location().toString());
        e.put("onFalse", guard.onFalse().name().toLowerCase(java.util.Locale.ROOT));
        if (guard.message() != null) {
            e.put("message", guard.message());
        }
        e.put("answer", answer == null ? "error" : answer);
        e.put("read", readings);
        return e;
    }

    private void runBody(Step step, Attempt attempt) throws StepFailedException {
        CleanupExecutor cleanup = new CleanupExecutor(connection, searchPath);
        for (Action action : step.cleanup()) {
            Action.Cleanup c = (Action.Cleanup) action;
            catalog.refresh();
            watch.begin();
            boolean failed = true;
            try {
                attempt.cleanupReport.addAll(cleanup.run(c));
                failed = false;
            } catch (CleanupSql.StatementFailed e) {
                throw new StepFailedException(cleanupFailure(c, e));
            } catch (SQLException | RuntimeException e) {
                String what = c.name() == null ? c.kind() : c.kind() + " '" + c.name() + "'";
                throw new StepFailedException(StepFailure.of(what + " failed: " + e.getMessage(), c.location(), e));
            } finally {
                watch.end(failed);
            }
        }
        runActions(step.actions(), attempt);
    }

    /** SQL and groovy blocks, in order: a step's body or its undo block. */
    private void runActions(List<Action> actions, Attempt attempt) throws StepFailedException {
        SqlExecutor sql = new SqlExecutor(connection, attempt.notices, watch, text -> listener.statementStarting(attempt.step, text));
        for (Action action : actions) {
            catalog.refresh();
            if (action instanceof Action.Sql s) {
                sql.run(s);
            } else if (action instanceof Action.Code code) {
                watch.begin();
                boolean failed = true;
                try {
                    runCode(code);
                    failed = false;
                } finally {
                    watch.end(failed);
                }
            }
        }
        catalog.refresh();
    }

    /** A DROP the server refused fails the step like any SQL error: its statement, SQL State, message, detail, hint. */
    private static StepFailure cleanupFailure(Action.Cleanup c, CleanupSql.StatementFailed e) {
        SQLException cause = (SQLException) e.getCause();
        var server = cause instanceof PSQLException pe ? pe.getServerErrorMessage() : null;
        String message = server != null && server.getMessage() != null ? server.getMessage() : cause.getMessage();
        return new StepFailure(message, c.location(), e.statement(), null, cause.getSQLState(),
                server == null ? null : server.getDetail(), server == null ? null : server.getHint(), cause);
    }

    private void runCode(Action.Code code) throws StepFailedException {
        Sql db = new CatalogRefreshingSql(connection, catalog);
        try {
            CatalogRefreshingSql.quietly(() -> callWithDelegate(code.body(), view(), db));
        } catch (Exception e) {
            // groovy.sql.Sql throws SQLException undeclared: it is the block's failure, not the run's
            throw new StepFailedException(codeFailure("groovy block", e, code.location()));
        }
    }

    private StepFailure codeFailure(String what, Exception e, SourceLocation fallback) {
        // a closure from a recipe file is found in that file's frames, one from the plan in the plan's
        SourceLocation at = PlanFrames.locate(e, fallback.file() != null ? fallback.file() : plan.file(), fallback);
        Throwable sqlCause = e;
        while (sqlCause != null && !(sqlCause instanceof SQLException)) {
            sqlCause = sqlCause.getCause();
        }
        if (sqlCause instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
            var m = pe.getServerErrorMessage();
            return new StepFailure(m.getMessage(), at, null, null, pe.getSQLState(), m.getDetail(), m.getHint(), e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return StepFailure.of(what + " threw " + e.getClass().getSimpleName() + ": " + message, at, e);
    }

    private List<String> verify(Step step) throws StepFailedException {
        if (step.verify().isEmpty()) {
            return List.of();
        }
        try {
            return new Verifier().check(step.verify(), catalog, new CatalogView(catalog)).stream()
                    .map(f -> f.message() + " (" + f.expectation().location() + ")")
                    .toList();
        } catch (RuntimeException e) {
            throw new StepFailedException(codeFailure("verify", e, step.location()));
        }
    }

    private CatalogView view() {
        return new CatalogView(catalog);
    }

    /** Calls a plan closure on a copy (the model stays untouched) with {@code delegate} first. */
    static Object callWithDelegate(Closure<?> closure, Object delegate, Object... args) {
        Closure<?> copy = (Closure<?>) closure.clone();
        copy.setResolveStrategy(Closure.DELEGATE_FIRST);
        copy.setDelegate(delegate);
        return copy.call(args);
    }

    private void collectNotices(Attempt attempt) throws SQLException {
        SqlExecutor.collectNotices(connection.getWarnings(), attempt.notices);
        connection.clearWarnings();
    }

    private void record(Step step, StepStatus status, String outcome, Attempt attempt, String error) throws SQLException {
        String evidence = attempt.guardEvidence.isEmpty() ? null : JsonOutput.toJson(attempt.guardEvidence);
        journal.setState(connection, plan.name(), step.name(), step.index(), step.checksum(), status, attempt.elapsedMs(),
                evidence);
        journal.appendHistory(connection, new Journal.HistoryRecord(runId, plan.name(), step.name(), step.checksum(),
                outcome, attempt.started, attempt.elapsedMs(), attempt.sqlState, error, attempt.noticesText(), evidence));
    }

    /** A failed attempt that will be tried again: a history row only, the step's state stays as it was. */
    private void recordRetried(Step step, Attempt attempt, StepFailure failure) throws SQLException {
        String evidence = attempt.guardEvidence.isEmpty() ? null : JsonOutput.toJson(attempt.guardEvidence);
        StringBuilder error = new StringBuilder(failure.message());
        for (var blocker : failure.blockers()) {
            error.append("\nblocked by ").append(blocker.describe());
        }
        journal.appendHistory(connection, new Journal.HistoryRecord(runId, plan.name(), step.name(), step.checksum(),
                "retried", attempt.started, attempt.elapsedMs(), failure.sqlState(), error.toString(), attempt.noticesText(),
                evidence));
        connection.commit();
    }

    private void recordAfterRollback(Step step, StepStatus status, String outcome, Attempt attempt, String error,
                                     String sqlState) throws SQLException {
        attempt.sqlState = sqlState;
        record(step, status, outcome, attempt, error);
        connection.commit();
    }

    /** The mutable state of one attempt while it runs. */
    private static final class Attempt {
        final Step step;
        final long startNanos = System.nanoTime();
        final OffsetDateTime started = OffsetDateTime.now();
        final List<String> notices = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> cleanupReport = new ArrayList<>();
        /** What was cleared of an earlier attempt before this one (a step without a transaction). */
        final List<String> repairs = new ArrayList<>();
        final List<Map<String, Object>> guardEvidence = new ArrayList<>();
        String reason;
        String error;
        String sqlState;
        /** Set when the attempt failed with an error worth another attempt. */
        StepFailure retryable;

        Attempt(Step step) {
            this.step = step;
        }

        long elapsedMs() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        /** The server's notices for the history, after the repairs mig made first, if any. */
        String noticesText() {
            List<String> lines = new ArrayList<>(repairs);
            lines.addAll(notices);
            return lines.isEmpty() ? null : String.join("\n", lines);
        }

        StepResult result(StepOutcome outcome, String why, StepFailure failure, List<String> verifyFailures) {
            return new StepResult(step, outcome, elapsedMs(), why, notices, warnings, cleanupReport, verifyFailures, failure,
                    guardEvidence).withRepairs(repairs);
        }
    }
}
