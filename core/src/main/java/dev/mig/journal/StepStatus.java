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

    /** The status a journal word names, or null for a word mig never writes (an edited journal). */
    public static StepStatus parse(String word) {
        for (StepStatus s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        return null;
    }

    /** The words mig writes, for messages. */
    public static String words() {
        return java.util.Arrays.stream(values()).map(StepStatus::word).collect(java.util.stream.Collectors.joining(", "));
    }
}
