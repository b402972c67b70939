package dev.mig.result;

/** What happened to a step in one run. */
public enum StepOutcome {
    APPLIED("applied"),
    SKIPPED("skipped"),
    /** Applied by an earlier run and not runAlways: nothing to do. */
    ALREADY_APPLIED("applied earlier"),
    FAILED("FAILED"),
    VERIFY_FAILED("VERIFY FAILED"),
    /** After a failure, or outside --until / --tags; a step an earlier run applied is ALREADY_APPLIED there too. */
    NOT_RUN("not run"),
    /** With --keep-going: a step it requires failed (or was blocked itself), so it was not tried. */
    BLOCKED("blocked"),
    /** By {@code mig undo}: its undo block ran and its journal row is gone, so a later run applies it again. */
    UNDONE("undone");

    private final String word;

    StepOutcome(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public boolean failed() {
        return this == FAILED || this == VERIFY_FAILED;
    }
}
