package dev.mig.journal;

/**
 * What one row of the journal's append-only {@code history} says happened: the vocabulary every
 * writer of that table uses. {@link #word()} is the value stored in {@code history.outcome}; the
 * words are those of every earlier mig, so existing journals read the same.
 *
 * <p>Three enums describe a step, each for its own question:
 * <ul>
 *   <li>{@link StepStatus}: the step's current state, one row per step in {@code steps};</li>
 *   <li>{@code dev.mig.result.StepOutcome}: what one run did with the step, for the reports;</li>
 *   <li>this: one event in the step's life, one row per attempt or command in {@code history}.</li>
 * </ul>
 * Each outcome below says which state it leaves in {@code steps} and which step outcome the run
 * reports with it.
 */
public enum HistoryOutcome {
    /** The step's changes are committed. State {@code applied}; the run reports {@code APPLIED}. */
    APPLIED("applied"),
    /** A guard was false. State {@code skipped}; the run reports {@code SKIPPED}. */
    SKIPPED("skipped"),
    /** The step raised an error (rolled back, or stopped for a step without a transaction). State {@code failed}; {@code FAILED}. */
    FAILED("failed"),
    /** The body ran but an expectation did not hold. State {@code failed}; {@code VERIFY_FAILED}. */
    VERIFY_FAILED("verify-failed"),
    /** An attempt failed in a way worth trying again (lock timeout, deadlock, serialization); the state is unchanged. */
    RETRIED("retried"),
    /** A step without a transaction started; written and committed before its body. State {@code running}. */
    RUNNING("running"),
    /** {@code mig undo} ran the step's undo block; its row in {@code steps} is deleted. The run reports {@code UNDONE}. */
    UNDONE("undone"),
    /** {@code mig undo} failed for the step; the state stays {@code applied}; the run reports {@code FAILED}. */
    UNDO_FAILED("undo-failed"),
    /** {@code mig baseline} found the step's verify holding and marked it applied without running it. State {@code applied}. */
    BASELINED("baselined"),
    /**
     * {@code mig import --adopt} found the step recorded as applied in another tool's history table
     * (the row named in {@code notices}) and marked it applied without running it. State {@code applied}.
     */
    ADOPTED("adopted"),
    /** {@code mig reset} dropped the plan's objects and its rows in {@code steps}; a row for the plan, with no step. */
    RESET("reset");

    private final String word;

    HistoryOutcome(String word) {
        this.word = word;
    }

    /** The value in {@code history.outcome}. */
    public String word() {
        return word;
    }
}
