package dev.mig.run;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.catalog.Catalog;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Action;
import dev.mig.model.Plan;
import dev.mig.model.Hook;
import dev.mig.model.Step;
import dev.mig.result.HookResult;
import dev.mig.result.PlanVerifyCheck;
import dev.mig.result.RunResult;
import dev.mig.result.SelectedSteps;
import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.result.VerifyFailure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs a plan against a database: checks that its two connections are sessions of their own
 * (no transaction pooler), takes the plan lock, creates the journal, stops on drift,
 * runs each pending step in isolation, stops at the first failure (with keepGoing: goes on with
 * every step whose requirements did not fail, and marks the others blocked), then checks the
 * plan-level verify when no step failed. With dryRun all of it happens in one transaction that is
 * rolled back at the end ({@link DryRunConnection}), and steps without a transaction are not run. Connections come from the caller and are closed here.
 */
public final class Runner {

    /** Opens a new connection to the target, or throws a MigException saying why it cannot. */
    @FunctionalInterface
    public interface Connector {
        Connection open();
    }

    private Plan plan;
    private final RunOptions options;
    private final RunListener listener;
    private final String migVersion;

    public Runner(Plan plan, RunOptions options, RunListener listener, String migVersion) {
        this.plan = plan;
        this.options = options;
        this.listener = listener;
        this.migVersion = migVersion;
    }

    public RunResult run(Connector connector, String targetDisplay) {
        long started = System.nanoTime();
        listener.started(plan, targetDisplay);
        Journal journal = new Journal(options.journalSchema(), migVersion, options.tenantSchema());
        if (options.tenantSchema() != null) {
            plan = TenantSchema.onPath(plan, options.tenantSchema());
        }
        journal.recordPlaceholders(plan.placeholders().shownJson());
        try (PlanSession session = PlanSession.open(connector, targetDisplay, journal, plan.name(), options.lockWait(),
                listener::waitingForLock, options.dryRun() ? PlanLock.Holder.DRY_RUN : PlanLock.Holder.RUN)) {
            Connection connection = session.connection();
            RunResult result;
            if (options.dryRun()) {
                try {
                    result = runLocked(DryRunConnection.begin(connection), journal, session.watch(), targetDisplay, started);
                } finally {
                    if (!ConnectionLoss.gone(connection)) {
                        DryRunConnection.end(connection);
                    }
                }
            } else {
                result = runLocked(connection, journal, session.watch(), targetDisplay, started);
            }
            listener.finished(result);
            return result;
        } catch (SQLException e) {
            throw outsideAnyStep(e, "step", options.journalSchema());
        }
    }

    /**
     * A database error while no step (or undo) ran: reading or writing the journal, taking the
     * lock. It says what the server said; the privileges hint only for a privileges error.
     */
    public static MigException outsideAnyStep(SQLException e, String what, String journalSchema) {
        SQLException loss = ConnectionLoss.of(e);
        if (loss != null) {
            return new MigException(ExitCode.STEP_FAILED, "the database connection was lost while no " + what + " ran (SQL State "
                    + loss.getSQLState() + "): " + ConnectionLoss.message(loss), null,
                    String.join("; ", ConnectionLoss.hint(loss.getSQLState())), e);
        }
        String state = e.getSQLState() == null ? "" : " (SQL State " + e.getSQLState() + ")";
        String hint = "42501".equals(e.getSQLState())
                ? "the role may not read or write the journal: grant it USAGE and CREATE on schema " + journalSchema
                + " and the right to write its tables"
                : "the journal (schema " + journalSchema + ") or the plan lock could not be read or written";
        return new MigException(ExitCode.STEP_FAILED, "database error outside any " + what + state + ": "
                + ConnectionLoss.message(e), null, hint, e);
    }

    private RunResult runLocked(Connection connection, Journal journal, BlockerWatch watch, String targetDisplay,
                                long started) throws SQLException {
        if (options.tenantSchema() != null) {
            TenantSchema.enter(connection, plan, options.tenantSchema());
        }
        plan = SessionPlaceholders.apply(plan, connection);
        Map<String, JournalEntry> entries;
        if (options.dryRun()) {
            // a dry run creates or upgrades the journal only when it must: that holds the creation lock to its end
            if (!journal.isCurrent(connection)) {
                journal.ensure(connection);
            }
            entries = journal.read(connection, plan.name());
        } else {
            entries = journal.ensureAndRead(connection, plan.name());
        }
        connection.commit();
        // before drift is accepted or any step runs: a selection that cannot run is exit 2 and changes nothing
        SelectedSteps selection = options.selection().resolve(plan, entries);
        checkDrift(connection, journal, entries);
        if (selection.narrows()) {
            listener.selected(selection);
        }

        List<String> searchPath = Catalog.parseSearchPath(plan.settings().searchPath());
        UUID runId = UUID.randomUUID();
        StepExecutor executor = new StepExecutor(connection, journal, plan, runId, searchPath, watch, listener, new Backoff());
        List<StepResult> results = new ArrayList<>();
        // hooks run in real runs only: a dry run rolls back what SQL does, not what groovy sends elsewhere
        HookRunner hookRunner = options.dryRun() ? null : new HookRunner(connection, plan, searchPath, watch, listener);
        List<HookResult> hooks = new ArrayList<>();
        Set<String> done = new HashSet<>();
        entries.forEach((name, entry) -> {
            if (entry.status() == StepStatus.APPLIED || entry.status() == StepStatus.SKIPPED) {
                done.add(name);
            }
        });
        boolean anyFailed = hookRunner != null && failed(hooks, hookRunner.run(Hook.When.BEFORE_RUN, null));
        boolean stopped = anyFailed;
        String stoppedBy = anyFailed ? "the beforeRun hook failed" : "an earlier step failed";
        boolean lost = false;
        // with --keep-going: each failed or blocked step, and the failed steps behind it
        Map<String, List<String>> failedBehind = new HashMap<>();
        // in a dry run: the steps without a transaction, and the steps requiring them, which were not run
        Set<String> notRunDry = new HashSet<>();
        for (Step step : plan.steps()) {
            if (stopped || !selection.takes(step.name())) {
                String why = lost ? "the database connection was lost" : stopped ? stoppedBy
                        : selection.leftOut().get(step.name());
                // a step outside this run that an earlier run applied is applied: say so, not "not run"
                JournalEntry earlier = entries.get(step.name());
                boolean applied = earlier != null && earlier.status() == StepStatus.APPLIED;
                results.add(applied ? StepResult.simple(step, StepOutcome.ALREADY_APPLIED, null)
                        : StepResult.simple(step, StepOutcome.NOT_RUN, why));
                listener.stepFinished(results.get(results.size() - 1));
                continue;
            }
            JournalEntry entry = entries.get(step.name());
            StepResult result;
            if (entry != null && entry.status() == StepStatus.APPLIED && !step.runAlways()) {
                result = StepResult.simple(step, StepOutcome.ALREADY_APPLIED, null);
            } else if (step.requires().stream().anyMatch(failedBehind::containsKey)) {
                result = blocked(step, failedBehind);
            } else if (options.dryRun() && !step.transactional()) {
                Action.Backfill backfill = BackfillEstimate.in(step);
                result = StepResult.simple(step, StepOutcome.NOT_RUN, backfill == null ? "would run without a transaction; not run in a dry run"
                        : "would run " + BackfillEstimate.of(connection, backfill) + "; a backfill commits batch by batch, not run in a dry run");
                notRunDry.add(step.name());
            } else if (step.requires().stream().anyMatch(notRunDry::contains)) {
                String required = step.requires().stream().filter(notRunDry::contains).findFirst().orElseThrow();
                result = StepResult.simple(step, StepOutcome.NOT_RUN, "requires '" + required + "', which is not run in a dry run");
                notRunDry.add(step.name());
            } else {
                String missing = missingRequirement(step, done);
                if (missing != null) {
                    result = new StepResult(step, StepOutcome.FAILED, 0, null, List.of(), List.of(), List.of(), List.of(),
                            StepFailure.of("requires '" + missing + "', which is not applied on this database", step.location(), null),
                            List.of());
                } else {
                    listener.stepStarting(step);
                    result = executor.execute(StandIn.decided(step, results, entries), entry == null ? null : entry.status());
                }
            }
            if (result.outcome() == StepOutcome.APPLIED || result.outcome() == StepOutcome.SKIPPED
                    || result.outcome() == StepOutcome.ALREADY_APPLIED) {
                done.add(step.name());
            } else if (result.outcome().failed()) {
                failedBehind.put(step.name(), List.of(step.name()));
                anyFailed = true;
            } else if (result.outcome() == StepOutcome.BLOCKED) {
                failedBehind.put(step.name(), result.blockedBy());
            }
            results.add(result);
            listener.stepFinished(result);
            lost = result.outcome().failed() && ConnectionLoss.gone(connection);
            stopped = result.outcome().failed() && (!options.keepGoing() || lost);
            if (result.outcome().failed() && Thread.currentThread().isInterrupted() && !stopped) {
                // Ctrl-C stopped a backfill: --keep-going does not go on with the next steps
                stopped = true;
                stoppedBy = "the run was interrupted";
            }
            if (result.outcome() == StepOutcome.APPLIED && hookRunner != null
                    && failed(hooks, hookRunner.run(Hook.When.AFTER_STEP, step.name()))) {
                anyFailed = true;
                stopped = true;
                stoppedBy = "the afterStep hook failed";
            }
        }

        List<VerifyFailure> planVerify = List.of();
        PlanVerifyCheck planVerifyCheck = planVerifyCheck(results, anyFailed, lost, stoppedBy, notRunDry, selection);
        if (planVerifyCheck.checked()) {
            planVerify = planVerify(connection, searchPath);
        }
        if (hookRunner != null && !lost) {
            boolean failedSoFar = anyFailed || !planVerify.isEmpty() || results.stream().anyMatch(r -> r.outcome().failed());
            if (!failedSoFar) {
                failedSoFar = failed(hooks, hookRunner.run(Hook.When.AFTER_RUN, null));
            }
            if (failedSoFar) {
                hooks.addAll(hookRunner.run(Hook.When.ON_FAILURE, null));
            }
        }
        return new RunResult(plan, targetDisplay, results, planVerify, (System.nanoTime() - started) / 1_000_000,
                options.keepGoing(), options.dryRun(), hooks, selection, planVerifyCheck);
    }

    /**
     * The plan-level verify describes the end state of the whole plan: checked only when every step
     * of it ran or was applied before, and nothing failed. Otherwise it says why not.
     */
    private PlanVerifyCheck planVerifyCheck(List<StepResult> results, boolean anyFailed, boolean lost, String stoppedBy,
                                            Set<String> notRunDry, SelectedSteps selection) {
        int expectations = plan.verify().expectations().size();
        if (expectations == 0) {
            return PlanVerifyCheck.NONE;
        }
        String why = lost ? "the database connection was lost"
                : results.stream().anyMatch(r -> r.outcome().failed()) ? "a step failed"
                : anyFailed ? stoppedBy
                : !notRunDry.isEmpty() ? "steps without a transaction were not run in this dry run"
                : options.selection().until() != null ? "--until runs part of the plan"
                : !options.selection().tags().isEmpty() ? "--tags runs part of the plan"
                : selection.narrows() ? "--skip-tags runs part of the plan"
                : null;
        return new PlanVerifyCheck(expectations, why);
    }

    /** Adds {@code ran} to {@code all}; true when one of them failed. */
    private static boolean failed(List<HookResult> all, List<HookResult> ran) {
        all.addAll(ran);
        return ran.stream().anyMatch(HookResult::failed);
    }

    /**
     * A step not tried because a step it requires failed or was blocked itself: it names each such
     * requirement and the failed steps behind them all, in plan order.
     */
    private StepResult blocked(Step step, Map<String, List<String>> failedBehind) {
        Set<String> roots = new HashSet<>();
        List<String> because = new ArrayList<>();
        for (String required : step.requires()) {
            List<String> behind = failedBehind.get(required);
            if (behind == null) {
                continue;
            }
            roots.addAll(behind);
            because.add(behind.equals(List.of(required)) ? "'" + required + "', which failed"
                    : "'" + required + "', which is blocked by " + quoted(behind));
        }
        List<String> blockedBy = plan.steps().stream().map(Step::name).filter(roots::contains).toList();
        return StepResult.blocked(step, "requires " + String.join("; ", because), blockedBy);
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private void checkDrift(Connection connection, Journal journal, Map<String, JournalEntry> entries) throws SQLException {
        List<Step> drifted = plan.steps().stream()
                .filter(s -> !s.runAlways())
                .filter(s -> {
                    JournalEntry e = entries.get(s.name());
                    return e != null && e.status() == StepStatus.APPLIED && !e.checksum().equals(s.checksum());
                })
                .toList();
        if (drifted.isEmpty()) {
            return;
        }
        if (!options.acceptDrift()) {
            String list = drifted.stream().map(s -> "  " + s.name() + " (" + s.location() + ")").collect(Collectors.joining("\n"));
            throw new MigException(ExitCode.DRIFT,
                    drifted.size() + " applied step" + (drifted.size() == 1 ? " has" : "s have")
                            + " changed since they ran; nothing was run:\n" + list,
                    "restore the step as it was applied and add a new step for the change, "
                            + "or pass --accept-drift to record the new text as applied without running it");
        }
        for (Step step : drifted) {
            journal.acceptChecksum(connection, plan.name(), step.name(), step.checksum());
        }
        connection.commit();
    }

    private List<VerifyFailure> planVerify(Connection connection, List<String> searchPath) throws SQLException {
        try {
            connection.setReadOnly(true);
            return Verification.failures(new Catalog(connection, searchPath), plan.verify());
        } catch (RuntimeException e) {
            return List.of(VerifyFailure.threw("plan-level verify threw: " + e.getMessage()));
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
        }
    }

    private String missingRequirement(Step step, Set<String> done) {
        return step.requires().stream().filter(r -> !done.contains(r)).findFirst().orElse(null);
    }
}
