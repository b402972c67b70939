package dev.mig.plan;

import dev.mig.api.SourceLocation;

/** One thing wrong with a plan, found while loading or validating it. */
public record PlanProblem(SourceLocation location, String message, String hint) {

    @Override
    public String toString() {
        String text = location + ": " + message;
        return hint == null ? text : text + "\n    hint: " + hint;
    }
}
