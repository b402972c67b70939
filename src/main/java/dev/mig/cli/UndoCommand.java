package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.fleet.TenantUndo;
import dev.mig.fleet.Tenant;
import dev.mig.model.Plan;
import dev.mig.report.ConsoleReporter;
import dev.mig.report.Printable;
import dev.mig.result.StepOutcome;
import dev.mig.lifecycle.Undoer;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code mig undo PLAN --steps N} (or {@code --to STEP}): run the undo blocks of the last N applied
 * steps, newest first; with {@code --fleet}, on every tenant (docs/DSL.md, "Fleets").
 */
@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Run the undo blocks of the last N applied steps, newest first, each in its own transaction.")
final class UndoCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--steps", paramLabel = "N", description = "How many applied steps to undo, the newest first (default: 1).")
    Integer steps;

    @Option(names = "--to", paramLabel = "STEP", description = "Undo this step and every step applied after it;"
            + " where it is not applied, nothing is undone (so the same command can run again).")
    String to;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for a run of the plan to finish (default: ${DEFAULT-VALUE}).")
    String lockWait;

    @Mixin
    OutputOptions output;

    @Mixin
    FleetOptions fleetOptions;

    String fleet;

    /** Set while parsing, so that --config is read for the fleet without --env. */
    @Option(names = "--fleet", paramLabel = "NAME",
            description = "Undo on every tenant database of this fleet of mig.groovy, in waves as mig run --fleet.")
    void fleet(String name) {
        this.fleet = name;
        common.configReadElsewhere = true;
    }

    UndoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (steps != null && to != null) {
            throw new MigException(ExitCode.PLAN_ERROR, "--steps and --to both say which steps to undo: give one",
                    "--steps N undoes the last N applied steps; --to STEP undoes STEP and the steps applied after it");
        }
        int count = steps == null ? 1 : steps;
        if (count < 1) {
            throw new MigException(ExitCode.PLAN_ERROR, "--steps must be 1 or more, not " + count, "mig undo --steps 1 undoes the last applied step");
        }
        boolean onFleet = fleet != null || fleetOptions.any();
        if (onFleet && fleetOptions.schemas.isEmpty()) {
            FleetCommands.refuseUrl(common);
        } else {
            FleetCommands.refuseStray(fleetOptions.strayOption());
        }
        Duration wait = RunCommand.parseDuration(lockWait);
        List<Tenant> tenants = onFleet ? new FleetRun(context, fleetOptions, output.quiet)
                .tenants(fleet, common.config, planFile, () -> common.resolve(context)) : null;
        Plan plan = onFleet ? common.forFleet(Mig.plan(planFile).model(), tenants) : common.withPlaceholders(Mig.plan(planFile).model());
        if (onFleet) {
            TenantUndo task = to == null ? TenantUndo.steps(plan, common.journalSchema, wait, count)
                    : TenantUndo.to(plan, common.journalSchema, wait, to);
            String what = to != null ? "'" + Printable.name(to) + "' and the steps applied after it"
                    : count == 1 ? "the last applied step" : "the last " + count + " applied steps";
            return new FleetUndo(context, fleetOptions, output.quiet).undo(task, what, new FleetRun(context, fleetOptions, output.quiet).name(fleet),
                    tenants, to, count);
        }
        Target target = common.requireTarget(context, "mig undo", null);
        Undoer undoer = new Undoer(plan, common.journalSchema, wait,
                new ConsoleReporter(context.out(), output.display(context), false), MigVersion.get());
        Undoer.Result result = to == null ? undoer.undo(() -> Connections.open(target), target.display(), count)
                : undoer.undoTo(() -> Connections.open(target), target.display(), to);
        long undone = result.undone();
        String time = String.format("%.1f s", result.durationMs() / 1000.0);
        if (result.steps().isEmpty()) {
            context.out().println("nothing to undo: '" + Printable.name(to) + "' is not applied on this database (exit 0)");
        } else if (result.exitCode() == ExitCode.OK) {
            context.out().println("undone " + undone + " step" + (undone == 1 ? "" : "s") + " in " + time
                    + "; a later mig run applies " + (undone == 1 ? "it" : "them") + " again (exit 0)");
        } else {
            String failed = result.steps().stream().filter(s -> s.outcome() == StepOutcome.FAILED)
                    .findFirst().orElseThrow().step().name();
            failed = Printable.name(failed);
            context.out().println("stopped: the undo of '" + failed + "' failed in " + time + "; " + undone + " step"
                    + (undone == 1 ? "" : "s") + " undone before it stay" + (undone == 1 ? "s" : "") + " undone (exit 1)");
        }
        context.out().flush();
        return result.exitCode().code();
    }
}
