package dev.mig.run;

import dev.mig.model.Step;

import java.util.List;
import java.util.Map;

/**
 * One step's outcome in one run, with everything the reports print.
 *
 * @param guardEvidence what each guard read and answered, as the journal keeps it
 */
public record StepResult(Step step,
                         StepOutcome outcome,
                         long durationMs,
                         String reason,
                         List<String> notices,
                         List<String> warnings,
                         List<String> cleanupReport,
                         List<String> verifyFailures,
                         StepFailure failure,
                         List<Map<String, Object>> guardEvidence) {

    public StepResult {
        notices = List.copyOf(notices);
        warnings = List.copyOf(warnings);
        cleanupReport = List.copyOf(cleanupReport);
        verifyFailures = List.copyOf(verifyFailures);
        guardEvidence = List.copyOf(guardEvidence);
    }

    public static StepResult simple(Step step, StepOutcome outcome, String reason) {
        return new StepResult(step, outcome, 0, reason, List.of(), List.of(), List.of(), List.of(), null, List.of());
    }
}
