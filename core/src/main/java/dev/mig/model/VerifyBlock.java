package dev.mig.model;

import java.util.List;

/**
 * The expectations of a step's {@code verify { }} blocks, in the order written.
 *
 * @param whenSkipped the expectations also checked when a guard skips the step (docs/DSL.md
 *                    section 6, "Verify of skipped steps"): those of blocks written
 *                    {@code verify(whenSkipped: true) { }}
 */
public record VerifyBlock(List<Expectation> expectations, String source, List<Expectation> whenSkipped) {

    public static final VerifyBlock EMPTY = new VerifyBlock(List.of(), "");

    public VerifyBlock {
        expectations = List.copyOf(expectations);
        whenSkipped = List.copyOf(whenSkipped);
    }

    /** Expectations checked only where the step runs. */
    public VerifyBlock(List<Expectation> expectations, String source) {
        this(expectations, source, List.of());
    }

    public boolean isEmpty() {
        return expectations.isEmpty();
    }

    /** The block a skipped step checks: its {@link #whenSkipped} expectations. */
    public VerifyBlock forSkippedStep() {
        return new VerifyBlock(whenSkipped, source, whenSkipped);
    }

    /** This block, then {@code more} (a recipe's block after the step's own, say). */
    public VerifyBlock plus(VerifyBlock more) {
        if (source.isEmpty() && isEmpty()) {
            return more;
        }
        List<Expectation> all = new java.util.ArrayList<>(expectations);
        all.addAll(more.expectations);
        List<Expectation> skipped = new java.util.ArrayList<>(whenSkipped);
        skipped.addAll(more.whenSkipped);
        return new VerifyBlock(all, source + '\n' + more.source, skipped);
    }
}
