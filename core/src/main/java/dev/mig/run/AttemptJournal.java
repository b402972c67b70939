package dev.mig.run;

import java.util.stream.Collectors;
import java.util.List;
import dev.mig.result.VerifyFailure;
import dev.mig.journal.HistoryOutcome;
import dev.mig.result.StepFailure;
import dev.mig.journal.Journal;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;

import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** The journal rows of an attempt: the step's state and its history row, on the attempt's connection. */
final class AttemptJournal {

    private final Connection connection;
    private final Journal journal;
    private final Plan plan;
    private final UUID runId;

    AttemptJournal(Connection connection, Journal journal, Plan plan, UUID runId) {
        this.connection = connection;
        this.journal = journal;
        this.plan = plan;
        this.runId = runId;
    }

    /** The step's state and a history row, in the caller's transaction (one statement: {@link Journal#record}). */
    void record(Attempt attempt, StepStatus status, HistoryOutcome outcome, String error) throws SQLException {
        write(attempt, status, outcome, error, false);
    }

    /**
     * As {@link #record}, then the transaction committed: on a pgJDBC connection the COMMIT goes
     * in the rows' round trip; on any other (the dry run's, whose commit is a savepoint) through
     * {@link Connection#commit()}.
     */
    void recordAndCommit(Attempt attempt, StepStatus status, HistoryOutcome outcome, String error) throws SQLException {
        boolean inRoundTrip = connection instanceof PGConnection && !connection.getAutoCommit();
        write(attempt, status, outcome, error, inRoundTrip);
        if (!inRoundTrip) {
            connection.commit();
        }
    }

    private void write(Attempt attempt, StepStatus status, HistoryOutcome outcome, String error, boolean commit)
            throws SQLException {
        Step step = attempt.step;
        String evidence = attempt.evidenceJson();
        long stateMs = attempt.elapsedMs();
        journal.record(connection, step.index(), status, stateMs, evidence, new Journal.HistoryRecord(runId, plan.name(),
                step.name(), step.checksum(), outcome, attempt.started, attempt.elapsedMs(), attempt.sqlState, error,
                attempt.noticesText(), evidence), commit);
    }

    /** As {@link #record}, committed, after the attempt's own work was rolled back. */
    void recordAfterRollback(Attempt attempt, StepStatus status, HistoryOutcome outcome, String error, String sqlState)
            throws SQLException {
        attempt.sqlState = sqlState;
        recordAndCommit(attempt, status, outcome, error);
    }

    /** The {@code error} of a failed verify: one failure a line, as the console prints them. */
    static String verifyText(List<VerifyFailure> failures) {
        return failures.stream().map(VerifyFailure::text).collect(Collectors.joining("\n"));
    }

    /** A failed attempt that will be tried again: a history row only, the step's state stays as it was. */
    void recordRetried(Attempt attempt, StepFailure failure) throws SQLException {
        Step step = attempt.step;
        StringBuilder error = new StringBuilder(failure.message());
        for (var blocker : failure.blockers()) {
            error.append("\nblocked by ").append(blocker.describe());
        }
        journal.appendHistory(connection, new Journal.HistoryRecord(runId, plan.name(), step.name(), step.checksum(),
                HistoryOutcome.RETRIED, attempt.started, attempt.elapsedMs(), failure.sqlState(), error.toString(), attempt.noticesText(),
                attempt.evidenceJson()));
        connection.commit();
    }

    /**
     * An undo's outcome: when it succeeded ({@code failure} null) the step's row is deleted, so a
     * later run applies it again, and the history gets {@code undone}; else the row stays and the
     * history gets {@code undo-failed}.
     */
    void recordUndo(Attempt attempt, StepFailure failure) throws SQLException {
        Step step = attempt.step;
        if (failure == null) {
            journal.forget(connection, plan.name(), step.name());
        }
        journal.appendHistory(connection, new Journal.HistoryRecord(runId, plan.name(), step.name(), step.checksum(),
                failure == null ? HistoryOutcome.UNDONE : HistoryOutcome.UNDO_FAILED, attempt.started, attempt.elapsedMs(), attempt.sqlState,
                failure == null ? null : failure.message(), attempt.noticesText(), null));
    }
}
