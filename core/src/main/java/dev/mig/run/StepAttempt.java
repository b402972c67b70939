package dev.mig.run;

import dev.mig.result.VerifyFailure;
import dev.mig.result.StepFailure;
import dev.mig.catalog.Catalog;
import dev.mig.catalog.CatalogView;
import dev.mig.diagnose.Diagnostician;
import dev.mig.diagnose.ServerError;
import dev.mig.model.Action;
import dev.mig.model.Guard;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import groovy.sql.Sql;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of one attempt at a step, whichever mode it runs in ({@link InTransaction},
 * {@link InAutocommit}, {@link UndoAttempt}, and as far as its guards {@link InPreview}): its
 * settings, guards, cleanup, SQL and code, verify, the repair of an earlier attempt, and mig's
 * hint for a failure. While any of them runs, the
 * {@link BlockerWatch} notes who blocks it. The catalog is read once per attempt, shared by its
 * guards and verify, and read again after anything that can change the schema.
 */
final class StepAttempt {

    final Connection connection;
    private final Plan plan;
    private final List<String> searchPath;
    final BlockerWatch watch;
    private final RunListener listener;
    private Catalog catalog;
    /** Runs a backfill's batches; null where no backfill can run (a preview). */
    private BackfillExecutor backfills;
    /** Whether a backfill resumes from the journal's progress: the step's last attempt was interrupted or failed. */
    private boolean resumeBackfill;
    /** The step's settings as SQL, while they wait for its first statement ({@link #applySettings}). */
    private String pendingSettings;

    StepAttempt(Connection connection, Plan plan, List<String> searchPath, BlockerWatch watch, RunListener listener) {
        this.connection = connection;
        this.plan = plan;
        this.searchPath = searchPath;
        this.watch = watch;
        this.listener = listener;
    }

    StepAttempt withBackfills(BackfillExecutor executor) {
        this.backfills = executor;
        return this;
    }

    /** Set before a step without a transaction runs: true when its journal state was running or failed. */
    void resumeBackfill(boolean resume) {
        this.resumeBackfill = resume;
    }

    /** A fresh reading of the catalog for the next attempt. */
    void begin() {
        catalog = new Catalog(connection, searchPath);
    }

    void applySettings(Step step, boolean local) throws SQLException {
        pendingSettings = null;
        StepSettings.apply(connection, plan.settingsFor(step), local);
    }

    /**
     * {@link #applySettings} for a step's transaction: when nothing runs before its first SQL
     * statement (no guards, no cleanup, SQL first), the settings go in that statement's round trip,
     * sent just before it ({@link SqlExecutor#withPrefix}); else at once.
     */
    void applyLocalSettings(Step step) throws SQLException {
        if (step.guards().isEmpty() && step.cleanup().isEmpty() && !step.actions().isEmpty()
                && step.actions().get(0) instanceof Action.Sql) {
            pendingSettings = StepSettings.localPrefix(plan.settingsFor(step));
            return;
        }
        applySettings(step, true);
    }

    /** The settings not sent yet, for the next statement to send first; null once sent. */
    private String takeSettings() {
        String pending = pendingSettings;
        pendingSettings = null;
        return pending;
    }

    /** The settings on their own, when no statement took them (an action that was not SQL, SQL of comments only). */
    private void flushSettings(Attempt attempt) throws StepFailedException {
        String pending = takeSettings();
        if (pending == null) {
            return;
        }
        try (var st = connection.createStatement()) {
            st.execute(pending);
        } catch (SQLException e) {
            throw new StepFailedException(StepFailure.of("setting the step's timeouts failed: " + e.getMessage(),
                    attempt.step.location(), e));
        }
    }

    void resetSettings(Step step) {
        if (!step.transactional()) {
            StepSettings.reset(connection);
        }
    }

    void repair(Step step, String earlier, Attempt attempt) throws StepFailedException {
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

    /** Returns non-null when a guard says the step is skipped; throws for a failed precondition. */
    Guard.OnFalse guards(Step step, Attempt attempt) throws StepFailedException {
        watch.begin();
        boolean failed = true;
        try {
            Guard.OnFalse skipped = step.guards().isEmpty() ? null : checkGuards(step, attempt);
            failed = false;
            return skipped;
        } finally {
            watch.end(failed);
        }
    }

    private Guard.OnFalse checkGuards(Step step, Attempt attempt) throws StepFailedException {
        Guards.Decision decision = decide(step);
        decision.answers().forEach(a -> attempt.guardEvidence.add(evidence(a)));
        decision.warnings().forEach(w -> attempt.warnings.add(w.because() + "; running the step anyway"));
        return switch (decision.kind()) {
            case RUN -> null;
            case SKIP -> {
                attempt.reason = decision.reason();
                yield Guard.OnFalse.SKIP;
            }
            case FAIL -> throw new StepFailedException(StepFailure.of(decision.reason(), decision.decidedBy().guard().location(), null));
            case THREW -> throw new StepFailedException(PlanCode.failure("guard", decision.decidedBy().error(),
                    decision.decidedBy().guard().location(), plan.file()));
        };
    }

    /** What the step's guards answer on the catalog as read, and what that means for the step: a run's, and {@link InPreview}'s. */
    Guards.Decision decide(Step step) {
        return Guards.decide(Guards.ask(step.guards(), new CatalogView(catalog)));
    }

    /** What one guard read and answered, as the journal keeps it (docs/DSL.md section 4, "Guard evidence"). */
    private static Map<String, Object> evidence(Guards.Answer a) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", a.guard().location().toString());
        e.put("onFalse", a.guard().onFalse().name().toLowerCase(Locale.ROOT));
        if (a.guard().message() != null) {
            e.put("message", a.guard().message());
        }
        e.put("answer", a.answer() == null ? "error" : a.answer());
        e.put("read", a.read());
        return e;
    }

    /** The step's cleanup, then its SQL and code. */
    void body(Step step, Attempt attempt) throws StepFailedException {
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
        actions(step.actions(), attempt);
    }

    /** SQL and groovy blocks, in order: a step's body or its undo block. */
    void actions(List<Action> actions, Attempt attempt) throws StepFailedException {
        SqlExecutor sql = new SqlExecutor(connection, attempt.notices, watch, text -> listener.statementStarting(attempt.step, text))
                .withPrefix(this::takeSettings);
        for (Action action : actions) {
            catalog.refresh();
            if (action instanceof Action.Sql s) {
                sql.run(s);
                flushSettings(attempt);
            } else if (action instanceof Action.Ensure ensure) {
                flushSettings(attempt);
                watch.begin();
                boolean failed = true;
                try {
                    attempt.notices.addAll(new EnsureExecutor(connection, catalog).run(ensure));
                    failed = false;
                } finally {
                    watch.end(failed);
                }
            } else if (action instanceof Action.Backfill backfill) {
                flushSettings(attempt);
                if (backfills == null) {
                    throw new StepFailedException(StepFailure.of("a backfill runs only in mig run", backfill.location(), null));
                }
                Integer retries = attempt.step.retries();
                backfills.run(attempt.step, backfill, retries == null ? Action.Backfill.DEFAULT_RETRIES : retries, resumeBackfill);
            } else if (action instanceof Action.Code code) {
                flushSettings(attempt);
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
        flushSettings(attempt);
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
            CatalogRefreshingSql.quietly(() -> PlanCode.call(code.body(), new CatalogView(catalog), db));
        } catch (Exception e) {
            // groovy.sql.Sql throws SQLException undeclared: it is the block's failure, not the run's
            throw new StepFailedException(PlanCode.failure("groovy block", e, code.location(), plan.file()));
        }
    }

    /** The step's expectations that do not hold; empty without a verify block. */
    List<VerifyFailure> verify(Step step) throws StepFailedException {
        if (step.verify().isEmpty()) {
            return List.of();
        }
        try {
            return Verification.failures(catalog, step.verify());
        } catch (RuntimeException e) {
            throw new StepFailedException(PlanCode.failure("verify", e, step.location(), plan.file()));
        }
    }

    /** What a step a guard skipped still promises: its blocks written {@code verify(whenSkipped: true)}; empty without any. */
    List<VerifyFailure> verifySkipped(Step step) throws StepFailedException {
        if (step.verify().whenSkipped().isEmpty()) {
            return List.of();
        }
        try {
            return Verification.failures(catalog, step.verify().forSkippedStep());
        } catch (RuntimeException e) {
            throw new StepFailedException(PlanCode.failure("verify", e, step.location(), plan.file()));
        }
    }

    void collectNotices(Attempt attempt) throws SQLException {
        SqlExecutor.collectNotices(connection.getWarnings(), attempt.notices);
        connection.clearWarnings();
    }

    /**
     * mig's hint for a failure the server raised, read from the catalog after the rollback, on
     * this connection, with no transaction open (docs/DSL.md section 15, "mig hints").
     */
    StepFailure withMigHint(Step step, StepFailure failure) {
        if (failure.sqlState() == null) {
            return failure;
        }
        ServerError error = ServerError.from(failure.cause(), failure.statement());
        return failure.withMigHint(new Diagnostician(connection, plan, searchPath)
                .diagnose(step, error, failure.location(), failure.blockers()));
    }
}
