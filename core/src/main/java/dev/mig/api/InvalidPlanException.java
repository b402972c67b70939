package dev.mig.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A plan that cannot run: every problem found while compiling and validating it, each with its
 * file and line, found before anything connects (exit code 2).
 */
public class InvalidPlanException extends MigException {

    /** One thing wrong with a plan: where, what, and (may be null) what to do. */
    public record Problem(SourceLocation location, String message, String hint) {

        @Override
        public String toString() {
            String text = location + ": " + message;
            return hint == null ? text : text + "\n    hint: " + hint;
        }
    }

    private final List<Problem> planProblems;

    protected InvalidPlanException(List<Problem> problems) {
        super(ExitCode.PLAN_ERROR, summary(problems), problems.get(0).location(), null, null);
        this.planProblems = List.copyOf(problems);
    }

    /** Every problem, the plan's own in line order first, then those of its recipe files. */
    public List<Problem> planProblems() {
        return planProblems;
    }

    private static String summary(List<Problem> problems) {
        String head = problems.size() == 1 ? "the plan has 1 problem" : "the plan has " + problems.size() + " problems";
        return head + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
    }
}
