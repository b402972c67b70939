package dev.mig.report;

import dev.mig.result.RunResult;
import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The closing table of a {@code --keep-going} run: every step the run applied, skipped, failed or
 * blocked, one line each with the reason, so that all the failures can be read in one place
 * after the step-by-step output has scrolled by. Steps applied earlier and steps not run (outside
 * {@code --tags} or after {@code --until}) are only counted in the summary line.
 */
final class KeepGoingTable {

    private static final int NAME_WIDTH_MAX = 40;

    private KeepGoingTable() {
    }

    static List<String> lines(RunResult result) {
        List<StepResult> rows = result.steps().stream().filter(KeepGoingTable::listed).toList();
        List<String> lines = new ArrayList<>();
        if (rows.isEmpty()) {
            return lines;
        }
        int width = Math.min(NAME_WIDTH_MAX, rows.stream().mapToInt(r -> Printable.name(r.step().name()).length()).max().orElse(0));
        lines.add("steps of this run (--keep-going):");
        for (StepResult r : rows) {
            String why = reason(r);
            lines.add("  " + pad(r.outcome().word(), 15) + " " + (why.isEmpty() ? Printable.name(r.step().name())
                    : pad(Printable.name(r.step().name()), width) + "  " + Printable.text(why)));
        }
        return lines;
    }

    private static boolean listed(StepResult r) {
        return r.outcome() == StepOutcome.APPLIED || r.outcome() == StepOutcome.SKIPPED || r.outcome().failed()
                || r.outcome() == StepOutcome.BLOCKED;
    }

    private static String reason(StepResult r) {
        return switch (r.outcome()) {
            case FAILED -> failure(r.failure());
            case VERIFY_FAILED -> r.verifyFailures().isEmpty() ? "verify failed" : FailureBlock.firstOf(r.verifyFailures());
            case SKIPPED, BLOCKED -> r.reason() == null ? "" : r.reason();
            default -> "";
        };
    }

    /** {@code sql/books.sql:3: column "isbn" does not exist (SQL State 42703)}, on one line. */
    private static String failure(StepFailure f) {
        if (f == null) {
            return "failed";
        }
        String message = f.message() == null ? "failed" : f.message().lines().findFirst().orElse("");
        return (f.location() != null ? f.location() + ": " : "") + message
                + (f.sqlState() != null ? " (SQL State " + f.sqlState() + ")" : "");
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
