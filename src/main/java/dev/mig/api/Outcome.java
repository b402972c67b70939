package dev.mig.api;

import dev.mig.result.StepOutcome;

/** What happened to a step in one run (the words {@code mig run} prints). */
public enum Outcome {
    APPLIED,
    SKIPPED,
    /** Applied by an earlier run: nothing to do. */
    ALREADY_APPLIED,
    FAILED,
    VERIFY_FAILED,
    /** After a failure, or outside {@code until} / {@code tags}, or without a transaction in a dry run. */
    NOT_RUN,
    /** With keepGoing: a step it requires failed, so it was not tried. */
    BLOCKED,
    UNDONE;

    static Outcome of(StepOutcome outcome) {
        return valueOf(outcome.name());
    }

    public boolean failed() {
        return this == FAILED || this == VERIFY_FAILED;
    }
}
