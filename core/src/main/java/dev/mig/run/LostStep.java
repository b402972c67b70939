package dev.mig.run;

import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.api.SourceLocation;
import dev.mig.model.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A step (or undo) whose connection died under it: the server's cause, what became of the
 * step's work, and no journal write (the server rolled back a transaction's rows with it; a
 * step without one stays 'running', which the next run repairs).
 */
final class LostStep {

    private LostStep() {
    }

    static boolean isLoss(StepFailedException e, Connection connection) {
        return ConnectionLoss.of(e.failure().cause()) != null || ConnectionLoss.gone(connection);
    }

    static StepResult result(Step step, long startNanos, StepFailure failure, boolean undo) {
        SQLException cause = ConnectionLoss.of(failure.cause());
        String sqlState = failure.sqlState() != null ? failure.sqlState() : cause == null ? null : cause.getSQLState();
        String message = failure.sqlState() == null && cause != null ? ConnectionLoss.message(cause) : failure.message();
        StepFailure why = new StepFailure(message, failure.location(), failure.statement(), failure.caret(), sqlState,
                failure.detail(), failure.hint(), failure.cause()).withMigHint(ConnectionLoss.hint(sqlState));
        return new StepResult(step, StepOutcome.FAILED, (System.nanoTime() - startNanos) / 1_000_000,
                ConnectionLoss.effect(step.transactional(), undo), List.of(), List.of(), List.of(), List.of(), why, List.of());
    }

    /** A failure outside any statement of the step (its journal write, its COMMIT). */
    static StepFailure outsideStatements(Exception e, SourceLocation at) {
        SQLException cause = ConnectionLoss.of(e);
        if (cause == null) {
            return StepFailure.of(e.getMessage(), at, e);
        }
        return new StepFailure(ConnectionLoss.message(cause), at, null, null, cause.getSQLState(), null, null, cause);
    }
}
