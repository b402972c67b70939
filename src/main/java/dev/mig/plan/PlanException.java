package dev.mig.plan;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a plan, reported together before anything connects (exit 2). */
public final class PlanException extends MigException {

    private final List<PlanProblem> problems;

    public PlanException(List<PlanProblem> problems) {
        super(ExitCode.PLAN_ERROR, summary(problems), problems.get(0).location(), null, null);
        this.problems = List.copyOf(problems);
    }

    public List<PlanProblem> problems() {
        return problems;
    }

    private static String summary(List<PlanProblem> problems) {
        String head = problems.size() == 1 ? "the plan has 1 problem" : "the plan has " + problems.size() + " problems";
        return head + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
