package dev.mig.run;

import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.model.Step;

import java.sql.SQLException;
import java.util.List;

/**
 * A step's undo block, run as the step ran: in one transaction with its timeouts, or in
 * autocommit for a step with {@code transaction false}; never retried. Its journal rows:
 * {@link AttemptJournal#recordUndo}.
 */
final class UndoAttempt extends AttemptMode {

    UndoAttempt(StepAttempt parts, AttemptJournal journal) {
        super(parts, journal);
    }

    StepResult run(Step step) throws SQLException {
        parts.begin();
        Attempt attempt = new Attempt(step);
        boolean transactional = step.transactional();
        try {
            if (!transactional) {
                connection.setAutoCommit(true);
            }
            parts.applySettings(step, transactional);
            parts.actions(step.undo(), attempt);
            connection.setAutoCommit(false);
            parts.collectNotices(attempt);
            journal.recordUndo(attempt, null);
            connection.commit();
            return attempt.result(StepOutcome.UNDONE, null, null, List.of());
        } catch (StepFailedException e) {
            if (LostStep.isLoss(e, connection)) {
                return LostStep.result(step, attempt.startNanos, e.failure(), true);
            }
            if (transactional) {
                connection.rollback();
            }
            connection.setAutoCommit(false);
            StepFailure failure = parts.withMigHint(step, e.failure().withBlockers(parts.watch.lastSeen()));
            attempt.sqlState = failure.sqlState();
            journal.recordUndo(attempt, failure);
            connection.commit();
            return attempt.result(StepOutcome.FAILED, transactional ? "the undo was rolled back; the step stays applied"
                    : "statements of the undo before the failing one stay done (no transaction); the step stays applied",
                    failure, List.of());
        } finally {
            backInTransaction(step);
        }
    }
}
