package dev.mig.run;

import dev.mig.result.Retry;
import dev.mig.result.StepFailure;
import dev.mig.result.StepResult;
import dev.mig.journal.Journal;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.ResolvedSettings;
import dev.mig.model.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Runs one step, or its undo, choosing the mode: {@link InTransaction} for a step with a
 * transaction, tried again after a lock timeout, deadlock or serialization failure as often as
 * its {@code retries} allow, after a pause ({@link Backoff}), each such attempt a {@code retried}
 * row in the history; when nothing sets a lockTimeout, a lock timeout is tried again on
 * {@link LockRetrySchedule} instead, deadlocks and serialization failures still as {@code retries}
 * allow; {@link InAutocommit} for one without; {@link UndoAttempt} for an undo block.
 * The parts of an attempt are {@link StepAttempt}'s, its journal rows {@link AttemptJournal}'s.
 */
public final class StepExecutor {

    private final Connection connection;
    private final Plan plan;
    private final RunListener listener;
    private final Backoff backoff;
    private final LockRetrySchedule schedule = new LockRetrySchedule(new Random());
    private final StepAttempt parts;
    private final AttemptJournal journal;

    StepExecutor(Connection connection, Journal journal, Plan plan, UUID runId, List<String> searchPath,
                 BlockerWatch watch, RunListener listener, Backoff backoff) {
        this.connection = connection;
        this.plan = plan;
        this.listener = listener;
        this.backoff = backoff;
        this.parts = new StepAttempt(connection, plan, searchPath, watch, listener)
                .withBackfills(new BackfillExecutor(connection, journal, plan.name(), backoff, listener));
        this.journal = new AttemptJournal(connection, journal, plan, runId);
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
            return LostStep.result(step, started, LostStep.outsideStatements(e, step.location()), false);
        }
    }

    private StepResult attempts(Step step, StepStatus before, long started) throws SQLException {
        ResolvedSettings settings = plan.settingsFor(step);
        int allowed = settings.retries().value();
        boolean onSchedule = step.transactional() && settings.lockRetrySchedule();
        long budgetMs = onSchedule ? settings.lockRetryForMs() : 0;
        List<Retry> retries = new ArrayList<>();
        int counted = 0;
        int scheduled = 0;
        while (true) {
            parts.begin();
            if (!step.transactional()) {
                return new InAutocommit(parts, journal).run(step, before);
            }
            Attempt attempt = new Attempt(step);
            long schedulePause = onSchedule ? schedule.delayMs(scheduled + 1) : 0;
            boolean countedLeft = counted < allowed;
            // a lock timeout on the schedule: another attempt while the schedule's time lasts; else one of `retries`
            Predicate<String> mayRetry = sqlState -> onSchedule && "55P03".equals(sqlState)
                    ? LockRetrySchedule.fits(elapsedMs(started), schedulePause, budgetMs) : countedLeft;
            StepResult result = new InTransaction(parts, journal).run(step, attempt, mayRetry);
            if (result != null) {
                return retries.isEmpty() ? result : result.afterRetries(retries, elapsedMs(started));
            }
            StepFailure failure = attempt.retryable;
            Retry retry;
            if (onSchedule && "55P03".equals(failure.sqlState())) {
                scheduled++;
                retry = new Retry(scheduled, Retry.ON_SCHEDULE, failure.sqlState(), failure.message(), failure.location(),
                        schedulePause, failure.blockers());
            } else {
                counted++;
                retry = new Retry(counted, allowed, failure.sqlState(), failure.message(), failure.location(),
                        backoff.delayMs(counted), failure.blockers());
            }
            retries.add(retry);
            listener.stepRetrying(step, retry);
            pause(retry.delayMs());
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // asked to stop: the next attempt starts at once, and whoever interrupted sees the flag
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the step's undo block ({@link UndoAttempt}); a lost connection as in {@link #execute}. */
    public StepResult undo(Step step) throws SQLException {
        long started = System.nanoTime();
        try {
            return new UndoAttempt(parts, journal).run(step);
        } catch (SQLException | RuntimeException e) {
            if (ConnectionLoss.of(e) == null && !ConnectionLoss.gone(connection)) {
                throw e;
            }
            return LostStep.result(step, started, LostStep.outsideStatements(e, step.location()), true);
        }
    }
}
