package dev.mig.cli;

import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.run.BackfillEstimate;
import dev.mig.run.Backfills;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C while {@code mig run} (one database) runs a plan with a backfill (docs/DSL.md, "Batched
 * backfills"). During a backfill's batches, the first Ctrl-C lets the batch in progress commit and
 * stops the backfill there (its thread is interrupted, {@link Backfills}): the step fails saying
 * where it stopped, the run ends with exit 130, and the next run resumes after that batch. A
 * second Ctrl-C, or one outside a backfill, ends the process at once with exit 130, as the JVM
 * does by itself: the transaction in progress rolls back. A plan without a backfill keeps the
 * JVM's own handling ({@link #install} installs nothing).
 */
final class RunInterrupts implements AutoCloseable {

    static final String STOPPING = "mig: interrupted: the backfill stops once its batch in progress commits;"
            + " the next run resumes after it (Ctrl-C again quits at once, rolling that batch back)";
    /** After the summary, whose exit code is the run's (1: the stopped backfill's step failed). */
    static final String ENDED = "interrupted (Ctrl-C): the process exits 130; run the same command again: the backfill resumes"
            + " after its last batch";

    private final Thread runner;
    private final PrintStream err;
    private final AtomicInteger interrupts = new AtomicInteger();
    private final Runnable onSigint = this::signalled;

    private RunInterrupts(Thread runner, PrintStream err) {
        this.runner = runner;
        this.err = err;
    }

    /** Listens from now until {@link #close()} when the plan has a backfill (and the run is no dry run); else does nothing. */
    static RunInterrupts install(Plan plan, boolean dryRun, PrintStream err) {
        RunInterrupts interrupts = new RunInterrupts(Thread.currentThread(), err);
        if (dryRun || !hasBackfill(plan)) {
            return interrupts;
        }
        // with -Xrs the JVM keeps SIGINT and ends the process, as for a plan without a backfill
        Sigint.listen(interrupts.onSigint);
        return interrupts;
    }

    /** Whether a Ctrl-C stopped a backfill: the run exits 130. */
    boolean interrupted() {
        return interrupts.get() > 0;
    }

    private void signalled() {
        if (interrupts.incrementAndGet() == 1 && Backfills.runningOn(runner)) {
            err.println(STOPPING);
            err.flush();
            runner.interrupt();
            return;
        }
        // outside a backfill, or a second Ctrl-C: what the JVM does without a handler
        System.exit(130);
    }

    @Override
    public void close() {
        Sigint.stop(onSigint);
        // a Ctrl-C that came as the backfill ended must not stay on the thread
        Thread.interrupted();
    }

    /** Whether any step of the plan is a backfill. */
    private static boolean hasBackfill(Plan plan) {
        for (Step step : plan.steps()) {
            if (BackfillEstimate.in(step) != null) {
                return true;
            }
        }
        return false;
    }
}
