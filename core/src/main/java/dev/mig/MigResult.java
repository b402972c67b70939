package dev.mig;

import dev.mig.api.ExitCode;
import dev.mig.result.RunResult;
import dev.mig.result.StepResult;
import dev.mig.result.VerifyFailure;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of one run: each step's, the plan-level verify's, and the exit code {@code mig run}
 * would give. The steps and failures are the same typed results mig's own reports print.
 */
public final class MigResult {

    private final RunResult result;

    MigResult(RunResult result) {
        this.result = result;
    }

    public ExitCode exitCode() {
        return result.exitCode();
    }

    /** No step failed and every verify held. */
    public boolean succeeded() {
        return exitCode() == ExitCode.OK;
    }

    public List<StepResult> steps() {
        return result.steps();
    }

    public Optional<StepResult> step(String name) {
        return steps().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The plan-level verify's failures, each with its plan line; empty when it held or was not checked. */
    public List<VerifyFailure> planVerifyFailures() {
        return result.planVerifyFailures();
    }

    /**
     * The plan-level verify: its number of expectations (0 when the plan has none), whether this run
     * checked them and, when it did not, why ({@code a step failed}, {@code --until runs part of the plan}).
     * It held when it was checked and {@link #planVerifyFailures()} is empty.
     */
    public dev.mig.result.PlanVerifyCheck planVerify() {
        return result.planVerify();
    }

    public long durationMs() {
        return result.durationMs();
    }

    /** The plan-level hooks that ran (beforeRun, afterStep, afterRun, onFailure), in the order they ran. */
    public List<dev.mig.result.HookResult> hooks() {
        return result.hooks();
    }

    public boolean dryRun() {
        return result.dryRun();
    }

    /** The steps that failed, each with its error or its verify failures, one per line; "" when none did. */
    public String failureSummary() {
        StringBuilder sb = new StringBuilder();
        for (StepResult s : steps()) {
            if (s.outcome().failed()) {
                sb.append("step '").append(s.name()).append("' ").append(s.outcome()).append('\n');
                if (s.failure() != null) {
                    var f = s.failure();
                    sb.append("    ").append(f.location() == null ? "" : f.location() + ": ").append(f.message())
                            .append(f.sqlState() == null ? "" : " (SQL State " + f.sqlState() + ")").append('\n');
                }
                s.verifyFailures().forEach(v -> sb.append("    verify: ").append(v.text()).append('\n'));
            }
        }
        planVerifyFailures().forEach(v -> sb.append("plan verify: ").append(v.text()).append('\n'));
        hooks().stream().filter(dev.mig.result.HookResult::failed).forEach(h -> sb.append("hook ").append(h.label()).append(' ')
                .append(h.hook().location()).append(": ").append(h.failure().message()).append('\n'));
        return sb.toString();
    }

    /** One line: the counts of each outcome and the exit code. */
    public String summary() {
        return steps().stream().collect(Collectors.groupingBy(StepResult::outcome, java.util.TreeMap::new, Collectors.counting()))
                .entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', ' '))
                .collect(Collectors.joining(", ")) + " (exit " + exitCode().code() + ")";
    }

    /** The whole run, with the plan and target, as the reports take it. */
    public RunResult details() {
        return result;
    }
}
