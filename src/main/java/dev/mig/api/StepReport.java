package dev.mig.api;

import dev.mig.result.StepResult;

import java.util.List;
import java.util.Optional;

/**
 * One step of a run.
 *
 * @param reason         why it was skipped, not run or blocked (null otherwise)
 * @param verifyFailures for {@link Outcome#VERIFY_FAILED}: each expectation against what was found
 */
public record StepReport(String name, Outcome outcome, long durationMs, String reason, List<String> notices,
                         List<String> verifyFailures, StepFailureInfo failureInfo) {

    public StepReport {
        notices = List.copyOf(notices);
        verifyFailures = List.copyOf(verifyFailures);
    }

    /** The error of a {@link Outcome#FAILED} step; empty for every other outcome. */
    public Optional<StepFailureInfo> failure() {
        return Optional.ofNullable(failureInfo);
    }

    static StepReport of(StepResult r) {
        return new StepReport(r.step().name(), Outcome.of(r.outcome()), r.durationMs(), r.reason(), r.notices(),
                r.verifyFailures(), StepFailureInfo.of(r.failure()));
    }
}
