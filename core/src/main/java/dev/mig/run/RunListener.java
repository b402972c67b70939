package dev.mig.run;

import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.HookResult;
import dev.mig.result.Retry;
import dev.mig.result.RunResult;
import dev.mig.result.SelectedSteps;
import dev.mig.result.StepResult;

/** Receives a run's progress as it happens: the console prints it, reports collect it. */
public interface RunListener {

    default void started(Plan plan, String target) {
    }

    default void waitingForLock(String holder) {
    }

    /**
     * The steps the run takes, told before the first runs when {@code --tags}, {@code --until} or
     * {@code --skip-tags} narrowed it: what they select, the steps taken because those require them.
     */
    default void selected(SelectedSteps selection) {
    }

    default void stepStarting(Step step) {
    }

    /** A SQL statement of the step is about to be sent to the server. */
    default void statementStarting(Step step, String sql) {
    }

    /** An attempt of the step failed and was rolled back; the next starts after {@code retry.delayMs()}. */
    default void stepRetrying(Step step, Retry retry) {
    }

    /** A backfill step's progress: every few batches or seconds, when it waits for replication, and when it is done. */
    default void backfillProgress(Step step, BackfillTick tick) {
    }

    /**
     * Where a backfill stands after a batch, at most four times a second: for a display that redraws
     * it in place (the live line on a terminal); {@link #backfillProgress} is the one for lines.
     */
    default void backfillBatch(Step step, BackfillTick tick) {
    }

    default void stepFinished(StepResult result) {
    }

    /** A plan-level hook ({@code beforeRun}, {@code afterStep}, {@code afterRun}, {@code onFailure}) ran, or failed. */
    default void hookFinished(HookResult result) {
    }

    default void finished(RunResult result) {
    }

    RunListener NONE = new RunListener() {
    };
}
