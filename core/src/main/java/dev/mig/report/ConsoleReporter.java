package dev.mig.report;

import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.Retry;
import dev.mig.result.RunResult;
import dev.mig.result.SelectedSteps;
import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.result.VerifyFailure;
import dev.mig.run.BackfillTick;
import dev.mig.run.RunListener;

import java.io.PrintStream;
import java.util.List;

/**
 * Prints a run as it happens: a line per step (name, outcome, time) and per hook, notices with the outcome of their
 * transaction, and a failure block that reads like a report. <p>On a terminal ({@link Display#live()}) the running
 * step has one live line, rewritten in place with {@code \r} and an ANSI erase: counter, "running…", step name and
 * elapsed time; it becomes the step's ordinary line when the step ends. A table of the run closes it.
 */
public final class ConsoleReporter implements RunListener {

    /**
     * How the run is shown. {@code live}: the rewritten line and the closing table (a terminal); {@code color}: ANSI
     * colours on outcomes; {@code quiet}: only failures and the last line; {@code verbose}: steps applied earlier
     * listed, each statement echoed before it runs, and the closing table in plain mode too; {@code width}: the
     * terminal's columns, which a backfill's live line ({@link BackfillLive}) does not pass.
     */
    public record Display(boolean live, boolean color, boolean quiet, boolean verbose, int width) {
        public static final Display PLAIN = new Display(false, false, false, false);

        public Display(boolean live, boolean color, boolean quiet, boolean verbose) {
            this(live, color, quiet, verbose, 80);
        }

        public static Display plain(boolean verbose) {
            return new Display(false, false, false, verbose);
        }
    }

    static final String ERASE_LINE = "\r\u001b[2K";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final boolean verbose;
    private final boolean dryRun;
    private final Display display;
    private int alreadyApplied;
    private int total;
    private int done;
    private Step running;
    private long runningSince;
    private boolean liveShown;
    private Thread ticker;
    private final BackfillLive backfill;

    public ConsoleReporter(PrintStream out, boolean verbose) {
        this(out, verbose, false);
    }

    /** With {@code dryRun}, says so first and last, and marks what steps did as rolled back. */
    public ConsoleReporter(PrintStream out, boolean verbose, boolean dryRun) {
        this(out, Display.plain(verbose), dryRun);
    }

    public ConsoleReporter(PrintStream out, Display display, boolean dryRun) {
        this.out = out;
        this.display = display;
        this.verbose = display.verbose();
        this.dryRun = dryRun;
        this.backfill = new BackfillLive(display);
    }

    @Override
    public synchronized void started(Plan plan, String target) {
        total = plan.steps().size();
        if (display.live() && !display.quiet()) {
            ticker = new Thread(this::tick, "mig-live-line");
            ticker.setDaemon(true);
            ticker.start();
        }
        if (display.quiet()) {
            return;
        }
        out.println("plan '" + Printable.name(plan.name()) + "' (" + Printable.name(plan.location().displayFile()) + "), " + plan.steps().size()
                + " step" + (plan.steps().size() == 1 ? "" : "s") + ", on " + target);
        if (dryRun) {
            out.println("dry run: one transaction, rolled back at the end; steps without a transaction are not run");
        }
        out.flush();
    }

    @Override
    public synchronized void selected(SelectedSteps selection) {
        if (!display.quiet()) {
            out.println(SelectionLine.of(selection));
            out.flush();
        }
    }

    @Override
    public synchronized void waitingForLock(String holder) {
        if (display.quiet()) {
            return;
        }
        eraseLive();
        out.println("waiting for the plan lock, held by " + Printable.name(holder));
        out.flush();
    }

    /** As it happens, since the pause and the next attempt may take a while: the step's line comes after. */
    @Override
    public synchronized void stepRetrying(Step step, Retry retry) {
        if (display.quiet()) {
            return;
        }
        eraseLive();
        List<String> lines = RetryLines.of(retry).stream().map(Printable::text).toList();
        String head = lines.get(0);
        // "retry 1/3" stands where a step's outcome stands, then the step, then why
        int space = head.indexOf(' ', "retry ".length());
        out.println("  " + pad(head.substring(0, space), 15) + ' ' + Printable.name(step.name()) + "  " + head.substring(space + 1));
        for (String more : lines.subList(1, lines.size())) {
            out.println("      " + more);
        }
        drawLive();
        out.flush();
    }

    @Override // a backfill's progress: a plain line; on a terminal in the live line (BackfillLive), but for the last and a wait
    public synchronized void backfillProgress(Step step, BackfillTick tick) {
        if (!display.quiet() && !backfill.take(step, tick)) {
            eraseLive();
            out.println("  " + pad("", 15) + ' ' + Printable.name(step.name()) + "  " + Printable.text(tick.text()));
        }
        drawLive();
        out.flush();
    }

    @Override // on a terminal, where the backfill stands after each batch, in the live line
    public synchronized void backfillBatch(Step step, BackfillTick tick) {
        if (backfill.take(step, tick)) {
            drawLive();
            out.flush();
        }
    }

    @Override
    public synchronized void stepStarting(Step step) {
        running = step;
        runningSince = System.nanoTime();
        drawLive();
        out.flush();
    }

    @Override
    public synchronized void statementStarting(Step step, String sql) {
        if (!verbose || display.quiet()) {
            return;
        }
        eraseLive();
        String[] lines = Printable.text(sql.strip()).split("\n");
        out.println("      " + paint(BOLD, "sql>") + " " + lines[0]);
        for (int i = 1; i < lines.length; i++) {
            out.println("           " + lines[i]);
        }
        drawLive();
        out.flush();
    }

    /** Redraws the live line every half second, so that a long step's elapsed time moves. */
    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(500);
                synchronized (this) {
                    if (running != null) {
                        drawLive();
                        out.flush();
                    }
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private void drawLive() {
        if (!display.live() || display.quiet() || running == null) {
            return;
        }
        String counter = counter(done + 1) + " ";
        String rest = " " + Printable.name(running.name()) + "  " + elapsed((System.nanoTime() - runningSince) / 1_000_000_000L);
        out.print(ERASE_LINE + counter + paint(BOLD, pad("running…", 15)) + rest + backfill.suffix(running, counter.length() + 15 + rest.length()));
        liveShown = true;
    }

    private void eraseLive() {
        if (liveShown) {
            out.print(ERASE_LINE);
            liveShown = false;
        }
    }

    private String counter(int n) {
        String width = String.valueOf(total);
        String count = String.valueOf(Math.min(n, total));
        return "[" + " ".repeat(Math.max(0, width.length() - count.length())) + count + "/" + total + "]";
    }

    private static String elapsed(long seconds) {
        return seconds < 60 ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
    }

    private String paint(String colour, String text) {
        return display.color() ? colour + text + RESET : text;
    }

    private String outcomeWord(StepOutcome outcome, int width) {
        String word = pad(outcome.word(), width);
        if (!display.color()) {
            return word;
        }
        String colour = outcome == StepOutcome.APPLIED || outcome == StepOutcome.UNDONE ? GREEN
                : outcome.failed() ? RED
                : outcome == StepOutcome.SKIPPED || outcome == StepOutcome.BLOCKED ? YELLOW : null;
        return colour == null ? word : colour + word + RESET;
    }

    @Override
    public synchronized void stepFinished(StepResult r) {
        if (running != null && running.equals(r.step())) {
            running = null;
        }
        done++;
        eraseLive();
        if (display.quiet() && !r.outcome().failed()) {
            if (r.outcome() == StepOutcome.ALREADY_APPLIED) {
                alreadyApplied++;
            }
            return;
        }
        if (r.outcome() == StepOutcome.ALREADY_APPLIED && !verbose) {
            alreadyApplied++;
            return;
        }
        if (r.outcome() == StepOutcome.NOT_RUN && !verbose && SelectedSteps.isSelectionReason(r.reason())) {
            return;
        }
        StringBuilder line = new StringBuilder(display.live() ? counter(done) + " " : "  ")
                .append(outcomeWord(r.outcome(), 15)).append(' ').append(Printable.name(r.step().name()));
        if (r.outcome() == StepOutcome.APPLIED || r.outcome().failed() || r.outcome() == StepOutcome.SKIPPED
                || r.outcome() == StepOutcome.UNDONE) {
            line.append("  (").append(r.durationMs()).append(" ms)");
        }
        if (r.reason() != null && r.outcome() != StepOutcome.FAILED) {
            line.append("  ").append(Printable.text(r.reason()));
        }
        if (!r.retries().isEmpty()) {
            int attempts = r.retries().size() + 1;
            line.append("  after ").append(attempts).append(" attempts");
        }
        if (r.outcome() == StepOutcome.APPLIED && r.step().insteadOf() != null) {
            line.append("  instead of '").append(Printable.name(r.step().insteadOf())).append("', which its guard skipped");
        }
        out.println(line);
        String txOutcome = dryRun ? "rolled back"
                : r.outcome() == StepOutcome.APPLIED || r.outcome() == StepOutcome.SKIPPED
                        || r.outcome() == StepOutcome.UNDONE ? "committed"
                : r.step().transactional() ? "rolled back" : "no transaction";
        for (String repaired : r.repairs()) {
            out.println("      " + Printable.text(repaired));
        }
        for (String c : r.cleanupReport()) {
            out.println("      cleanup (" + txOutcome + "): " + Printable.text(c));
        }
        for (String w : r.warnings()) {
            out.println("      warning: " + Printable.text(w));
        }
        for (String n : r.notices()) {
            out.println("      " + Printable.text(n) + "  [" + txOutcome + "]");
        }
        for (VerifyFailure v : r.verifyFailures()) {
            out.println("      verify: " + Printable.text(v));
        }
        if (r.failure() != null) {
            printFailure(r.step(), r.failure(), r.reason());
        }
        out.flush();
    }

    @Override
    public synchronized void hookFinished(dev.mig.result.HookResult r) {
        eraseLive();
        HookLines.of(r).forEach(l -> out.println(Printable.text(l)));
        out.flush();
    }

    private void printFailure(Step step, StepFailure f, String consequence) {
        for (String line : FailureBlock.lines(step, f, consequence)) {
            out.println("      " + Printable.text(line));
        }
    }

    @Override
    public void finished(RunResult result) {
        Thread t;
        synchronized (this) {
            t = ticker;
            ticker = null;
            running = null;
            eraseLive();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            printFinished(result);
        }
    }

    private void printFinished(RunResult result) {
        if (display.quiet()) {
            PlanVerifyLine.console(result, true).forEach(l -> out.println("  " + l));
            out.println(SummaryLine.of(result, display.color()));
            out.flush();
            return;
        }
        if (alreadyApplied > 0) {
            out.println("  " + alreadyApplied + " step" + (alreadyApplied == 1 ? "" : "s") + " applied earlier");
        }
        PlanVerifyLine.console(result, false).forEach(l -> out.println("  " + l));
        if (result.keepGoing()) {
            KeepGoingTable.lines(result).forEach(out::println);
        } else if (display.live() || verbose) {
            summaryTable(result);
        }
        out.println(SummaryLine.of(result, display.color()));
        if (result.dryRun()) {
            out.println("dry run: rolled back, nothing was changed");
        }
        out.flush();
    }

    /** step | outcome | time, for the steps this run tried: on a terminal, and with --verbose. */
    private void summaryTable(RunResult result) {
        List<StepResult> rows = result.steps().stream()
                .filter(r -> r.outcome() != StepOutcome.NOT_RUN && (verbose || r.outcome() != StepOutcome.ALREADY_APPLIED))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        int width = Math.max(4, Math.min(40, rows.stream().mapToInt(r -> Printable.name(r.step().name()).length()).max().orElse(0)));
        out.println();
        out.println("  " + pad("step", width) + "  " + pad("outcome", 15) + "  time");
        out.println("  " + "-".repeat(width) + "  " + "-".repeat(15) + "  " + "-".repeat(8));
        for (StepResult r : rows) {
            String time = r.outcome() == StepOutcome.ALREADY_APPLIED || r.outcome() == StepOutcome.BLOCKED ? ""
                    : r.durationMs() + " ms";
            out.println(("  " + pad(Printable.name(r.step().name()), width) + "  " + outcomeWord(r.outcome(), 15) + "  " + time).stripTrailing());
        }
        out.println();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
