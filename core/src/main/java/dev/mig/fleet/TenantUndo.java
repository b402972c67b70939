package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.lifecycle.Undoer;
import dev.mig.model.Plan;
import dev.mig.report.Printable;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.run.RunListener;
import dev.mig.run.Runner;
import dev.mig.target.Connections;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * {@code mig undo PLAN --fleet NAME}: one tenant's undo as a {@link FleetRunner} task, an ordinary
 * {@link Undoer} (its own plan lock, each undo block in its own transaction), silent. A tenant
 * whose undo failed, or that {@code Undoer} refused (nothing applied, no undo block, drift, no
 * connection), is a failed tenant with that exit code.
 */
public final class TenantUndo implements FleetRunner.TenantTask {

    private final Plan plan;
    private final String journalSchema;
    private final Duration lockWait;
    private final int steps;
    private final String to;
    private final Map<String, Undoer.Result> results = new ConcurrentHashMap<>();

    private TenantUndo(Plan plan, String journalSchema, Duration lockWait, int steps, String to) {
        this.plan = plan;
        this.journalSchema = journalSchema;
        this.lockWait = lockWait;
        this.steps = steps;
        this.to = to;
    }

    /** {@code --steps N}: the last N applied steps of each tenant. */
    public static TenantUndo steps(Plan plan, String journalSchema, Duration lockWait, int steps) {
        return new TenantUndo(plan, journalSchema, lockWait, steps, null);
    }

    /** {@code --to STEP}: STEP and the steps applied after it, on each tenant where STEP is applied (checked now: exit 2). */
    public static TenantUndo to(Plan plan, String journalSchema, Duration lockWait, String step) {
        new Undoer(plan, journalSchema, lockWait, RunListener.NONE, MigVersion.get()).checkTo(step);
        return new TenantUndo(plan, journalSchema, lockWait, 0, step);
    }

    @Override
    public TenantResult run(Tenant tenant) {
        long start = System.nanoTime();
        Undoer undoer = new Undoer(plan.withPlaceholders(tenant.placeholders(), dev.mig.MigRunner.TENANT_SOURCE), journalSchema,
                lockWait, RunListener.NONE, MigVersion.get()).forTenant(tenant.schema());
        Runner.Connector connector = () -> Connections.open(tenant.target());
        try {
            Undoer.Result result = to == null ? undoer.undo(connector, tenant.target().display(), steps)
                    : undoer.undoTo(connector, tenant.target().display(), to);
            results.put(tenant.id(), result);
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (result.exitCode() == ExitCode.OK) {
                return new TenantResult(tenant, TenantResult.Outcome.SUCCEEDED, 0, ms, null, null, null);
            }
            return TenantResult.stopped(tenant, failure(result), ms);
        } catch (MigException e) {
            return TenantResult.stopped(tenant, e, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The steps undone on a tenant that succeeded (0: {@code --to}'s step was not applied there). */
    public long undone(TenantResult result) {
        Undoer.Result undone = results.get(result.tenant().id());
        return undone == null ? 0 : undone.undone();
    }

    /**
     * The line printed when a tenant finishes: {@code tenant a: undone 'b', 'a' (0.1 s)},
     * {@code tenant a: nothing to undo, 'a' is not applied (0.0 s)}, else as a run's tenant line.
     */
    public String line(TenantResult result) {
        Undoer.Result undone = results.get(result.tenant().id());
        if (result.outcome() != TenantResult.Outcome.SUCCEEDED || undone == null) {
            return result.line();
        }
        String head = "tenant " + result.tenant().id() + ": ";
        String time = " (" + TenantResult.seconds(result.durationMs()) + ")";
        if (undone.undone() == 0) {
            return head + "nothing to undo, '" + Printable.name(to) + "' is not applied" + time;
        }
        return head + "undone " + names(undone) + time;
    }

    private static MigException failure(Undoer.Result result) {
        StepResult failed = result.steps().stream().filter(s -> s.outcome() == StepOutcome.FAILED).findFirst().orElseThrow();
        String why = failed.failure() == null ? failed.outcome().word() : TenantResult.firstLine(failed.failure().message());
        return new MigException(ExitCode.STEP_FAILED, (result.undone() == 0 ? "" : "after undoing " + names(result) + ", ")
                + "the undo of '" + Printable.name(failed.step().name()) + "' failed: " + why);
    }

    private static String names(Undoer.Result result) {
        return result.steps().stream().filter(s -> s.outcome() == StepOutcome.UNDONE)
                .map(s -> "'" + Printable.name(s.step().name()) + "'").collect(Collectors.joining(", "));
    }
}
