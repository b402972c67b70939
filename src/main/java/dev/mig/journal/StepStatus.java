package dev.mig.journal;

import java.util.Locale;

/** What the journal can say of a step. */
public enum StepStatus {
    /** Its changes are committed. */
    APPLIED,
    /** Its guard was false on the last run; asked again on the next. */
    SKIPPED,
    /** Its last attempt failed and was rolled back (or, for a non-transactional step, stopped). */
    FAILED,
    /** A non-transactional step started and did not report back: the run was interrupted. */
    RUNNING;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StepStatus of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
