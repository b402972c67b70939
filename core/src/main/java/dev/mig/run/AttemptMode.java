package dev.mig.run;

import dev.mig.journal.HistoryOutcome;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.journal.StepStatus;
import dev.mig.model.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What each mode of running an attempt ({@link InTransaction}, {@link InAutocommit},
 * {@link UndoAttempt}) works with: the attempt's parts, its journal rows and its connection.
 */
abstract class AttemptMode {

    final StepAttempt parts;
    final AttemptJournal journal;
    final Connection connection;

    AttemptMode(StepAttempt parts, AttemptJournal journal) {
        this.parts = parts;
        this.journal = journal;
        this.connection = parts.connection;
    }

    /** The reason of a step a guard skipped but whose verify does not hold, before the guard's own reason. */
    static final String SKIPPED_BUT_FAILS = "its guard skips it, but its verify does not hold: ";

    /** A guard said skip: the step's rows, committed. */
    StepResult skipped(Attempt attempt) throws SQLException {
        journal.recordAndCommit(attempt, StepStatus.SKIPPED, HistoryOutcome.SKIPPED, null);
        return attempt.result(StepOutcome.SKIPPED, attempt.reason, null, List.of());
    }

    /** The step did its work and its verify holds: its rows, committed. */
    StepResult applied(Attempt attempt) throws SQLException {
        journal.recordAndCommit(attempt, StepStatus.APPLIED, HistoryOutcome.APPLIED, null);
        return attempt.result(StepOutcome.APPLIED, null, null, List.of());
    }

    /** After work that may have left autocommit on: in a transaction again, with the session's own timeouts. */
    void backInTransaction(Step step) throws SQLException {
        if (!ConnectionLoss.gone(connection) && connection.getAutoCommit()) {
            connection.setAutoCommit(false);
        }
        parts.resetSettings(step);
    }
}
