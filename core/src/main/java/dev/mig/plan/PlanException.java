package dev.mig.plan;

import dev.mig.api.InvalidPlanException;

import java.util.List;

/** Every problem found in a plan, reported together before anything connects (exit 2). */
public final class PlanException extends InvalidPlanException {

    private final List<PlanProblem> problems;

    public PlanException(List<PlanProblem> problems) {
        super(problems.stream().map(p -> new Problem(p.location(), p.message(), p.hint())).toList());
        this.problems = List.copyOf(problems);
    }

    public List<PlanProblem> problems() {
        return problems;
    }
}
