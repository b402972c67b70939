package dev.mig.run;

import dev.mig.api.ExitCode;
import dev.mig.model.Plan;

import java.util.List;

/** The whole run: every step's result, the plan-level verify, and the exit code they add up to. */
public record RunResult(Plan plan,
                        String target,
                        List<StepResult> steps,
                        List<String> planVerifyFailures,
                        long durationMs) {

    public RunResult {
        steps = List.copyOf(steps);
        planVerifyFailures = List.copyOf(planVerifyFailures);
    }

    public ExitCode exitCode() {
        if (steps.stream().anyMatch(s -> s.outcome() == StepOutcome.FAILED)) {
            return ExitCode.STEP_FAILED;
        }
        if (steps.stream().anyMatch(s -> s.outcome() == StepOutcome.VERIFY_FAILED) || !planVerifyFailures.isEmpty()) {
            return ExitCode.VERIFY_FAILED;
        }
        return ExitCode.OK;
    }

    public long count(StepOutcome outcome) {
        return steps.stream().filter(s -> s.outcome() == outcome).count();
    }
}
