package dev.mig.run;

import dev.mig.result.StepFailure;

/** Carries a {@link StepFailure} out of the code that runs a step's parts. */
final class StepFailedException extends Exception {

    private final StepFailure failure;

    StepFailedException(StepFailure failure) {
        super(failure.message(), failure.cause());
        this.failure = failure;
    }

    StepFailure failure() {
        return failure;
    }
}
