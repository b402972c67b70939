package dev.mig.result;

import dev.mig.model.Expectation;

/** One expectation that did not hold, and a message that says what was expected and what was found. */
public record VerifyFailure(Expectation expectation, String message) {

    @Override
    public String toString() {
        return message;
    }
}
