package dev.mig.model;

import dev.mig.api.SourceLocation;
import groovy.lang.Closure;

/** {@code guard { bool }}: what happens when the condition is false is {@link OnFalse}. */
public record Guard(Closure<?> condition, OnFalse onFalse, String message, String source, SourceLocation location) {

    public enum OnFalse {
        /** The step is recorded as skipped (the default). */
        SKIP,
        /** A precondition: the step fails with the message. */
        FAIL,
        /** The step runs, and the message is printed as a warning. */
        WARN
    }
}
