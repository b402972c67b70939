package dev.mig.report;

import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.run.Retry;
import dev.mig.run.RunListener;
import dev.mig.run.RunResult;
import dev.mig.run.StepFailure;
import dev.mig.run.StepOutcome;
import dev.mig.run.StepResult;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a run as it happens: a line per step (name, outcome, time), notices with the outcome
 * of their transaction, and a failure block that reads like a report.
 */
public final class ConsoleReporter implements RunListener {

    private final PrintStream out;
    private final boolean verbose;
    private final boolean dryRun;
    private int alreadyApplied;

    public ConsoleReporter(PrintStream out, boolean verbose) {
        this(out, verbose, false);
    }

    /** With {@code dryRun}, says so first and last, and marks what steps did as rolled back. */
    public ConsoleReporter(PrintStream out, boolean verbose, boolean dryRun) {
        this.out = out;
        this.verbose = verbose;
        this.dryRun = dryRun;
    }

    @Override
    public void started(Plan plan, String target) {
        out.println("plan '" + plan.name() + "' (" + plan.location().displayFile() + "), " + plan.steps().size()
                + " step" + (plan.steps().size() == 1 ? "" : "s") + ", on " + target);
        if (dryRun) {
            out.println("dry run: one transaction, rolled back at the end; steps without a transaction are not run");
        }
        out.flush();
    }

    @Override
    public void waitingForLock(String holder) {
        out.println("waiting for the plan lock, held by " + holder);
        out.flush();
    }

    /** As it happens, since the pause and the next attempt may take a while: the step's line comes after. */
    @Override
    public void stepRetrying(Step step, Retry retry) {
        List<String> lines = retry.describe();
        String head = lines.get(0);
        // "retry 1/3" stands where a step's outcome stands, then the step, then why
        int space = head.indexOf(' ', "retry ".length());
        out.println("  " + pad(head.substring(0, space), 15) + ' ' + step.name() + "  " + head.substring(space + 1));
        for (String more : lines.subList(1, lines.size())) {
            out.println("      " + more);
        }
        out.flush();
    }

    @Override
    public void stepFinished(StepResult r) {
        if (r.outcome() == StepOutcome.ALREADY_APPLIED && !verbose) {
            alreadyApplied++;
            return;
        }
        if (r.outcome() == StepOutcome.NOT_RUN && !verbose && r.reason() != null && r.reason().startsWith("not selected")) {
            return;
        }
        StringBuilder line = new StringBuilder("  ").append(pad(r.outcome().word(), 15)).append(' ').append(r.step().name());
        if (r.outcome() == StepOutcome.APPLIED || r.outcome().failed() || r.outcome() == StepOutcome.SKIPPED
                || r.outcome() == StepOutcome.UNDONE) {
            line.append("  (").append(r.durationMs()).append(" ms)");
        }
        if (r.reason() != null && r.outcome() != StepOutcome.FAILED) {
            line.append("  ").append(r.reason());
        }
        if (!r.retries().isEmpty()) {
            int attempts = r.retries().size() + 1;
            line.append("  after ").append(attempts).append(" attempts");
        }
        out.println(line);
        String txOutcome = dryRun ? "rolled back"
                : r.outcome() == StepOutcome.APPLIED || r.outcome() == StepOutcome.SKIPPED
                        || r.outcome() == StepOutcome.UNDONE ? "committed"
                : r.step().transactional() ? "rolled back" : "no transaction";
        for (String repaired : r.repairs()) {
            out.println("      " + repaired);
        }
        for (String c : r.cleanupReport()) {
            out.println("      cleanup (" + txOutcome + "): " + c);
        }
        for (String w : r.warnings()) {
            out.println("      warning: " + w);
        }
        for (String n : r.notices()) {
            out.println("      " + n + "  [" + txOutcome + "]");
        }
        for (String v : r.verifyFailures()) {
            out.println("      verify: " + v);
        }
        if (r.failure() != null) {
            printFailure(r.step(), r.failure(), r.reason());
        }
        out.flush();
    }

    private void printFailure(Step step, StepFailure f, String consequence) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"Step", "'" + step.name() + "' (" + step.location() + ")"});
        if (f.location() != null && !f.location().equals(step.location())) {
            rows.add(new String[]{"At", f.location().toString()});
        }
        if (f.statement() != null) {
            rows.add(new String[]{"Statement", f.caret() != null ? f.caret() : firstLines(f.statement())});
        }
        if (f.sqlState() != null) {
            rows.add(new String[]{"SQL State", f.sqlState()});
        }
        rows.add(new String[]{"Message", f.message()});
        if (f.detail() != null) {
            rows.add(new String[]{"Detail", f.detail()});
        }
        if (f.hint() != null) {
            rows.add(new String[]{"Hint", f.hint()});
        }
        if (!f.migHint().isEmpty()) {
            rows.add(new String[]{"mig hint", String.join("\n", f.migHint())});
        }
        if (consequence != null) {
            rows.add(new String[]{"Effect", consequence});
        }
        for (String[] row : rows) {
            String[] lines = row[1].split("\n", -1);
            out.println("      " + pad(row[0] + ":", 11) + lines[0]);
            for (int i = 1; i < lines.length; i++) {
                out.println("      " + pad("", 11) + lines[i]);
            }
        }
    }

    private static String firstLines(String statement) {
        String[] lines = statement.split("\n");
        if (lines.length <= 6) {
            return statement;
        }
        return String.join("\n", java.util.Arrays.copyOf(lines, 6)) + "\n... (" + (lines.length - 6) + " more lines)";
    }

    @Override
    public void finished(RunResult result) {
        if (alreadyApplied > 0) {
            out.println("  " + alreadyApplied + " step" + (alreadyApplied == 1 ? "" : "s") + " applied earlier");
        }
        for (String v : result.planVerifyFailures()) {
            out.println("  plan verify: " + v);
        }
        if (result.keepGoing()) {
            KeepGoingTable.lines(result).forEach(out::println);
        }
        StringBuilder summary = new StringBuilder();
        summary.append(switch (result.exitCode()) {
            case OK -> "done";
            case VERIFY_FAILED -> "verification failed";
            default -> result.keepGoing() ? "kept going: " + failedSteps(result.failedCount()) : "stopped: a step failed";
        });
        summary.append(" in ").append(String.format("%.1f s", result.durationMs() / 1000.0)).append(": ");
        summary.append(result.count(StepOutcome.APPLIED)).append(" applied, ")
                .append(result.count(StepOutcome.SKIPPED)).append(" skipped, ")
                .append(result.count(StepOutcome.ALREADY_APPLIED)).append(" applied earlier");
        long failed = result.count(StepOutcome.FAILED) + result.count(StepOutcome.VERIFY_FAILED);
        if (failed > 0) {
            summary.append(", ").append(failed).append(" failed");
        }
        long blocked = result.count(StepOutcome.BLOCKED);
        if (blocked > 0) {
            summary.append(", ").append(blocked).append(" blocked");
        }
        long notRun = result.count(StepOutcome.NOT_RUN);
        if (notRun > 0) {
            summary.append(", ").append(notRun).append(" not run");
        }
        summary.append(" (exit ").append(result.exitCode().code()).append(')');
        out.println(summary);
        if (result.dryRun()) {
            out.println("dry run: rolled back, nothing was changed");
        }
        out.flush();
    }

    private static String failedSteps(long n) {
        return n + (n == 1 ? " step" : " steps") + " failed";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
