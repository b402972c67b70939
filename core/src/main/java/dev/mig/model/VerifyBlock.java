package dev.mig.model;

import java.util.List;

/** The expectations of one {@code verify { }} block, in the order written. */
public record VerifyBlock(List<Expectation> expectations, String source) {

    public static final VerifyBlock EMPTY = new VerifyBlock(List.of(), "");

    public VerifyBlock {
        expectations = List.copyOf(expectations);
    }

    public boolean isEmpty() {
        return expectations.isEmpty();
    }
}
