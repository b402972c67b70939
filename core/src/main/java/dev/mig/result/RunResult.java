package dev.mig.result;

import dev.mig.api.ExitCode;
import dev.mig.model.Plan;

import java.util.List;

/**
 * The whole run: every step's result, the plan-level verify, and the exit code they add up to.
 *
 * @param keepGoing  whether the run went on past failures ({@code --keep-going})
 * @param dryRun     whether it was a dry run, rolled back at the end ({@code --dry-run})
 * @param selection  the steps the run took ({@code --tags}, {@code --until}, {@code --skip-tags} and the steps they require)
 * @param planVerify whether the plan-level verify was checked, and of how many expectations
 */
public record RunResult(Plan plan,
                        String target,
                        List<StepResult> steps,
                        List<VerifyFailure> planVerifyFailures,
                        long durationMs,
                        boolean keepGoing,
                        boolean dryRun,
                        List<HookResult> hooks,
                        SelectedSteps selection,
                        PlanVerifyCheck planVerify) {

    public RunResult {
        steps = List.copyOf(steps);
        planVerifyFailures = List.copyOf(planVerifyFailures);
        hooks = List.copyOf(hooks);
        selection = selection == null ? SelectedSteps.every(steps.stream().map(StepResult::name).toList()) : selection;
        planVerify = planVerify == null ? PlanVerifyCheck.NONE : planVerify;
    }

    /** A run of every step of its plan, whose plan-level verify is not described (checked or not, it says nothing about it). */
    public RunResult(Plan plan, String target, List<StepResult> steps, List<VerifyFailure> planVerifyFailures, long durationMs,
                     boolean keepGoing, boolean dryRun, List<HookResult> hooks) {
        this(plan, target, steps, planVerifyFailures, durationMs, keepGoing, dryRun, hooks, null, PlanVerifyCheck.NONE);
    }

    /** The plan-level verify was checked and held: every expectation of it held. */
    public boolean planVerifyHeld() {
        return planVerify.checked() && planVerifyFailures.isEmpty();
    }

    /** A run of a plan without hooks. */
    public RunResult(Plan plan, String target, List<StepResult> steps, List<VerifyFailure> planVerifyFailures, long durationMs,
                     boolean keepGoing, boolean dryRun) {
        this(plan, target, steps, planVerifyFailures, durationMs, keepGoing, dryRun, List.of());
    }

    public RunResult(Plan plan, String target, List<StepResult> steps, List<VerifyFailure> planVerifyFailures, long durationMs) {
        this(plan, target, steps, planVerifyFailures, durationMs, false, false);
    }

    /**
     * 1 when a step or a hook (other than {@code onFailure}, which runs because something failed already)
     * failed with an error, else 3 when only expectations failed (a step's verify
     * or the plan-level verify), else 0. Blocked steps add nothing: they follow from a failure.
     */
    public ExitCode exitCode() {
        if (steps.stream().anyMatch(s -> s.outcome() == StepOutcome.FAILED) || hooks.stream().anyMatch(HookResult::failed)) {
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

    public long failedCount() {
        return steps.stream().filter(s -> s.outcome().failed()).count();
    }
}
