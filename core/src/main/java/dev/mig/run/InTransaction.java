package dev.mig.run;

import dev.mig.result.VerifyFailure;
import dev.mig.journal.HistoryOutcome;
import dev.mig.result.Retry;
import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.journal.StepStatus;
import dev.mig.model.Guard;
import dev.mig.model.Step;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;

/**
 * A step with a transaction, one attempt: timeouts, guards, cleanup, SQL and code, verify,
 * journal rows, COMMIT; any error or failed expectation rolls back all of it and the failed
 * attempt is then recorded on its own. In a dry run the connection is a {@link DryRunConnection},
 * whose commits and rollbacks are savepoints of the run's one transaction.
 */
final class InTransaction extends AttemptMode {

    InTransaction(StepAttempt parts, AttemptJournal journal) {
        super(parts, journal);
    }

    /**
     * The step's outcome, or null when the attempt failed in a way to retry (then {@code attempt.retryable}
     * says how): a retryable SQL State for which {@code mayRetry}, asked when the attempt fails, says yes.
     */
    StepResult run(Step step, Attempt attempt, Predicate<String> mayRetry) throws SQLException {
        try {
            parts.applyLocalSettings(step);
            Guard.OnFalse skipped = parts.guards(step, attempt);
            if (skipped != null) {
                List<VerifyFailure> failures = parts.verifySkipped(step);
                if (!failures.isEmpty()) {
                    parts.collectNotices(attempt);
                    connection.rollback();
                    journal.recordAfterRollback(attempt, StepStatus.FAILED, HistoryOutcome.VERIFY_FAILED, AttemptJournal.verifyText(failures), null);
                    return attempt.result(StepOutcome.VERIFY_FAILED, SKIPPED_BUT_FAILS + attempt.reason, null, failures);
                }
                return skipped(attempt);
            }
            parts.body(step, attempt);
            List<VerifyFailure> failures = parts.verify(step);
            if (!failures.isEmpty()) {
                parts.collectNotices(attempt);
                connection.rollback();
                journal.recordAfterRollback(attempt, StepStatus.FAILED, HistoryOutcome.VERIFY_FAILED, AttemptJournal.verifyText(failures), null);
                return attempt.result(StepOutcome.VERIFY_FAILED, "verify failed, rolled back", null, failures);
            }
            parts.collectNotices(attempt);
            return applied(attempt);
        } catch (StepFailedException e) {
            if (LostStep.isLoss(e, connection)) {
                return LostStep.result(step, attempt.startNanos, e.failure(), false);
            }
            connection.rollback();
            StepFailure failure = e.failure().withBlockers(parts.watch.lastSeen());
            if (Retry.retryable(failure.sqlState()) && mayRetry.test(failure.sqlState())) {
                attempt.retryable = failure;
                journal.recordRetried(attempt, failure);
                return null;
            }
            failure = parts.withMigHint(step, failure);
            journal.recordAfterRollback(attempt, StepStatus.FAILED, HistoryOutcome.FAILED, failure.message(), failure.sqlState());
            return attempt.result(StepOutcome.FAILED, "rolled back", failure, List.of());
        }
    }
}
