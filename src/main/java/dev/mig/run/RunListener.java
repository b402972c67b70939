package dev.mig.run;

import dev.mig.model.Plan;
import dev.mig.model.Step;

/** Receives a run's progress as it happens: the console prints it, reports collect it. */
public interface RunListener {

    default void started(Plan plan, String target) {
    }

    default void waitingForLock(String holder) {
    }

    default void stepStarting(Step step) {
    }

    default void stepFinished(StepResult result) {
    }

    default void finished(RunResult result) {
    }

    RunListener NONE = new RunListener() {
    };
}
