package dev.mig.result;

import dev.mig.model.Step;

import java.util.List;
import java.util.Map;

/**
 * One step's outcome in one run, with everything the reports print.
 *
 * @param guardEvidence what each guard read and answered, as the journal keeps it
 * @param blockedBy     for a {@link StepOutcome#BLOCKED} step, the failed steps it waits on, directly
 *                      or through other blocked steps, in plan order; empty otherwise
 * @param retries       the attempts that failed and were tried again, in order; empty when the
 *                      first attempt decided the outcome
 * @param repairs       what mig cleared of an earlier, interrupted or failed, attempt of a step
 *                      without a transaction before running it again
 */
public record StepResult(Step step,
                         StepOutcome outcome,
                         long durationMs,
                         String reason,
                         List<String> notices,
                         List<String> warnings,
                         List<String> cleanupReport,
                         List<VerifyFailure> verifyFailures,
                         StepFailure failure,
                         List<Map<String, Object>> guardEvidence,
                         List<String> blockedBy,
                         List<Retry> retries,
                         List<String> repairs) {

    public StepResult {
        notices = List.copyOf(notices);
        warnings = List.copyOf(warnings);
        cleanupReport = List.copyOf(cleanupReport);
        verifyFailures = List.copyOf(verifyFailures);
        guardEvidence = List.copyOf(guardEvidence);
        blockedBy = List.copyOf(blockedBy);
        retries = List.copyOf(retries);
        repairs = List.copyOf(repairs);
    }

    /** A step that was tried, or not run for a reason other than a failed requirement. */
    public StepResult(Step step, StepOutcome outcome, long durationMs, String reason, List<String> notices,
                      List<String> warnings, List<String> cleanupReport, List<VerifyFailure> verifyFailures, StepFailure failure,
                      List<Map<String, Object>> guardEvidence) {
        this(step, outcome, durationMs, reason, notices, warnings, cleanupReport, verifyFailures, failure, guardEvidence,
                List.of(), List.of(), List.of());
    }

    /** The step's name, as the plan gives it. */
    public String name() {
        return step.name();
    }

    public static StepResult simple(Step step, StepOutcome outcome, String reason) {
        return new StepResult(step, outcome, 0, reason, List.of(), List.of(), List.of(), List.of(), null, List.of());
    }

    /** Not tried under --keep-going, because of the failed steps named. */
    public static StepResult blocked(Step step, String reason, List<String> blockedBy) {
        return new StepResult(step, StepOutcome.BLOCKED, 0, reason, List.of(), List.of(), List.of(), List.of(), null,
                List.of(), blockedBy, List.of(), List.of());
    }

    /** This outcome of the last attempt, after the retries before it, with the time of them all. */
    public StepResult afterRetries(List<Retry> earlier, long totalMs) {
        return new StepResult(step, outcome, totalMs, reason, notices, warnings, cleanupReport, verifyFailures, failure,
                guardEvidence, blockedBy, earlier, repairs);
    }

    public StepResult withRepairs(List<String> lines) {
        return new StepResult(step, outcome, durationMs, reason, notices, warnings, cleanupReport, verifyFailures, failure,
                guardEvidence, blockedBy, retries, lines);
    }
}
