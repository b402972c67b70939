package dev.mig.lifecycle;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.run.PlanLock;
import dev.mig.run.PlanSession;
import dev.mig.run.RunListener;
import dev.mig.run.Runner;
import dev.mig.run.StepExecutor;
import dev.mig.run.TenantSchema;
import dev.mig.text.DidYouMean;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mig undo}: runs the undo blocks of the last N applied steps of a plan, newest first,
 * each isolated as a step is, under the plan lock. Every one of the N is checked before anything
 * runs (in the plan, has an undo block, not drifted); the first undo that fails stops the rest.
 * A runAlways step without an undo block is passed over (reported as skipped) and not counted:
 * the next run applies it again anyway. {@link #undoTo} names the oldest step to undo instead of a
 * count, and undoes nothing where that step is not applied.
 */
public final class Undoer {

    /** The undo blocks that ran (or failed, or were not run after a failure), newest first. */
    public record Result(List<StepResult> steps, long durationMs) {

        public Result {
            steps = List.copyOf(steps);
        }

        public long undone() {
            return steps.stream().filter(s -> s.outcome() == StepOutcome.UNDONE).count();
        }

        public ExitCode exitCode() {
            return steps.stream().anyMatch(s -> s.outcome().failed()) ? ExitCode.STEP_FAILED : ExitCode.OK;
        }
    }

    static final String PASSED_OVER = "runs always and has no undo block: not undone, not counted in --steps;"
            + " the next run applies it again";

    private Plan plan;
    private final String journalSchema;
    /** The schema of a schema-per-tenant fleet's tenant this undo is for, else null. */
    private String tenantSchema;
    private final Duration lockWait;
    private final RunListener listener;
    private final String migVersion;

    public Undoer(Plan plan, String journalSchema, Duration lockWait, RunListener listener, String migVersion) {
        this.plan = plan;
        this.journalSchema = journalSchema;
        this.lockWait = lockWait;
        this.listener = listener;
        this.migVersion = migVersion;
    }

    /** Undoes on one tenant of a schema-per-tenant fleet: its journal rows and lock, its schema first on the search path. */
    public Undoer forTenant(String schema) {
        this.tenantSchema = schema;
        return this;
    }

    public Result undo(Runner.Connector connector, String targetDisplay, int count) {
        return undo(connector, targetDisplay, count, null);
    }

    /**
     * Undoes {@code step} and every step applied after it, newest first ({@code mig undo --to STEP}).
     * Where {@code step} is not applied there is nothing to undo: the result is empty, exit 0, so
     * that the same command run again (on a fleet, after a stop) undoes nothing twice.
     */
    public Result undoTo(Runner.Connector connector, String targetDisplay, String step) {
        checkTo(step);
        return undo(connector, targetDisplay, 0, step);
    }

    /** {@code --to STEP} names a step of the plan that can be undone: else exit 2, before any connection. */
    public void checkTo(String step) {
        if (plan.step(step).isEmpty()) {
            List<String> names = plan.steps().stream().map(Step::name).toList();
            throw new MigException(ExitCode.PLAN_ERROR, "--to '" + step + "': plan '" + plan.name() + "' has no such step; nothing was undone",
                    DidYouMean.suggest(step, names).map(s -> "did you mean '" + s + "'? ").orElse("")
                            + "name a step exactly as the plan writes it");
        }
        if (rerunWithoutUndo(step)) {
            throw new MigException(ExitCode.PLAN_ERROR, "--to '" + step + "': the step runs always and has no undo block;"
                    + " nothing was undone", "name the oldest step to undo, one with an undo block");
        }
    }

    private Result undo(Runner.Connector connector, String targetDisplay, int count, String to) {
        long started = System.nanoTime();
        listener.started(plan, targetDisplay);
        Journal journal = new Journal(journalSchema, migVersion, tenantSchema);
        plan = TenantSchema.onPath(plan, tenantSchema);
        journal.recordPlaceholders(plan.placeholders().shownJson());
        try (PlanSession session = PlanSession.open(connector, targetDisplay, journal, plan.name(), lockWait,
                listener::waitingForLock, PlanLock.Holder.UNDO)) {
            if (tenantSchema != null) {
                TenantSchema.setPath(session.connection(), plan);
            }
            plan = dev.mig.run.SessionPlaceholders.apply(plan, session.connection());
            List<StepResult> results = undoLocked(session, count, to);
            return new Result(results, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            throw Runner.outsideAnyStep(e, "undo", journalSchema);
        }
    }

    private List<StepResult> undoLocked(PlanSession session, int asked, String to) throws SQLException {
        Connection connection = session.connection();
        Journal journal = session.journal();
        List<String> applied = new ArrayList<>();
        Map<String, JournalEntry> entries = Map.of();
        if (journal.exists(connection)) {
            journal.ensure(connection);
            applied = journal.appliedNewestFirst(connection, plan.name());
            entries = journal.read(connection, plan.name());
        }
        connection.commit();
        if (to != null && !applied.contains(to)) {
            return List.of();
        }
        if (applied.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "no step of plan '" + plan.name() + "' is applied on this database;"
                    + " nothing was undone", "mig status shows what the journal holds");
        }
        // a runAlways step without an undo block is run again by every run: there is nothing to undo,
        // so it is passed over and does not count towards --steps
        List<String> undoable = applied.stream().filter(name -> !rerunWithoutUndo(name)).toList();
        if (undoable.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "the applied steps of plan '" + plan.name() + "' all run always"
                    + " and have no undo block; nothing was undone", "the next mig run applies them again; there is nothing to undo");
        }
        int count = to == null ? asked : undoable.indexOf(to) + 1;
        if (count > undoable.size()) {
            throw new MigException(ExitCode.PLAN_ERROR, "--steps " + count + " asks for more than the " + undoable.size()
                    + " applied step" + (undoable.size() == 1 ? "" : "s") + " of plan '" + plan.name() + "'"
                    + (undoable.size() < applied.size()
                            ? " that can be undone (steps that run always without an undo block are not counted)" : "")
                    + "; nothing was undone", "pass --steps " + undoable.size() + " or less");
        }
        // the applied steps down to the count-th undoable one, newest first, the passed-over among them
        List<String> chosen = applied.subList(0, applied.indexOf(undoable.get(count - 1)) + 1);
        List<Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean drift = false;
        for (String name : chosen) {
            Optional<Step> step = plan.step(name);
            if (rerunWithoutUndo(name)) {
                steps.add(step.get());
            } else if (step.isEmpty()) {
                problems.add("step '" + name + "' is applied but is not in the plan, so it has no undo block");
            } else if (!step.get().hasUndo()) {
                problems.add("step '" + name + "' has no undo block (" + step.get().location() + ")");
            } else if (!step.get().runAlways() && !step.get().checksum().equals(entries.get(name).checksum())) {
                problems.add("step '" + name + "' has changed since it was applied (" + step.get().location()
                        + "), so its undo block may not fit what was applied");
                drift = true;
            } else {
                steps.add(step.get());
            }
        }
        if (!problems.isEmpty()) {
            throw new MigException(drift ? ExitCode.DRIFT : ExitCode.PLAN_ERROR,
                    String.join("\n", problems) + "\nnothing was undone",
                    drift ? "restore the step as it was applied, then undo it"
                            : "add an undo { } block to the step, or undo fewer steps with --steps");
        }
        StepExecutor executor = session.executor(plan, listener);
        List<StepResult> results = new ArrayList<>();
        boolean failed = false;
        for (Step step : steps) {
            StepResult result;
            if (step.runAlways() && !step.hasUndo()) {
                result = StepResult.simple(step, StepOutcome.SKIPPED, PASSED_OVER);
            } else if (failed) {
                result = StepResult.simple(step, StepOutcome.NOT_RUN, session.lost()
                        ? "the database connection was lost" : "an earlier undo failed");
            } else {
                listener.stepStarting(step);
                result = executor.undo(step);
                failed = result.outcome().failed();
            }
            results.add(result);
            listener.stepFinished(result);
        }
        return results;
    }

    private boolean rerunWithoutUndo(String name) {
        return plan.step(name).map(s -> s.runAlways() && !s.hasUndo()).orElse(false);
    }
}
