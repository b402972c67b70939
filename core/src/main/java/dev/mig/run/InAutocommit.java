package dev.mig.run;

import dev.mig.result.VerifyFailure;
import dev.mig.journal.HistoryOutcome;
import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.journal.StepStatus;
import dev.mig.model.Guard;
import dev.mig.model.Step;

import java.sql.SQLException;
import java.util.List;

/**
 * A step with {@code transaction false}: it records {@code running} first, runs in autocommit
 * (first clearing what an interrupted or failed earlier attempt left, {@link Repair}), and
 * records its outcome after. What ran before a failure stays; it is never retried.
 */
final class InAutocommit extends AttemptMode {

    InAutocommit(StepAttempt parts, AttemptJournal journal) {
        super(parts, journal);
    }

    /** Runs the step; {@code before} is its state in the journal (null for a step never tried). */
    StepResult run(Step step, StepStatus before) throws SQLException {
        Attempt attempt = new Attempt(step);
        journal.record(attempt, StepStatus.RUNNING, HistoryOutcome.RUNNING, null);
        connection.commit();
        connection.setAutoCommit(true);
        try {
            parts.applySettings(step, false);
            parts.resumeBackfill(before == StepStatus.RUNNING || before == StepStatus.FAILED);
            if (before == StepStatus.RUNNING || before == StepStatus.FAILED) {
                parts.repair(step, before == StepStatus.RUNNING ? "interrupted" : "failed", attempt);
            }
            Guard.OnFalse skipped = parts.guards(step, attempt);
            if (skipped != null) {
                List<VerifyFailure> failures = parts.verifySkipped(step);
                connection.setAutoCommit(false);
                if (!failures.isEmpty()) {
                    journal.record(attempt, StepStatus.FAILED, HistoryOutcome.VERIFY_FAILED, AttemptJournal.verifyText(failures));
                    connection.commit();
                    return attempt.result(StepOutcome.VERIFY_FAILED, SKIPPED_BUT_FAILS + attempt.reason, null, failures);
                }
                return skipped(attempt);
            }
            parts.body(step, attempt);
            List<VerifyFailure> failures = parts.verify(step);
            connection.setAutoCommit(false);
            if (!failures.isEmpty()) {
                journal.record(attempt, StepStatus.FAILED, HistoryOutcome.VERIFY_FAILED, AttemptJournal.verifyText(failures));
                connection.commit();
                return attempt.result(StepOutcome.VERIFY_FAILED, "verify failed; a step without a transaction cannot be rolled back",
                        null, failures);
            }
            return applied(attempt);
        } catch (StepFailedException e) {
            if (LostStep.isLoss(e, connection)) {
                return LostStep.result(step, attempt.startNanos, e.failure(), false);
            }
            connection.setAutoCommit(false);
            StepFailure failure = parts.withMigHint(step, e.failure());
            attempt.sqlState = failure.sqlState();
            String invalid = Repair.leftBehind(connection, failure.statement());
            journal.record(attempt, StepStatus.FAILED, HistoryOutcome.FAILED, failure.message());
            connection.commit();
            String effect = "statements before the failing one stay applied (no transaction)" + (invalid == null ? ""
                    : "; the failed build left index " + invalid + " INVALID, and the next run drops it before building it again");
            return attempt.result(StepOutcome.FAILED, effect, failure, List.of());
        } finally {
            backInTransaction(step);
        }
    }
}
