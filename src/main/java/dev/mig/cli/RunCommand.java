package dev.mig.cli;

import dev.mig.LoadedPlan;
import dev.mig.Mig;
import dev.mig.MigRunner;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.embedded.EmbeddedServer;
import dev.mig.fleet.Tenant;
import dev.mig.lifecycle.AppliedVerify;
import dev.mig.model.Plan;
import dev.mig.report.ReverifyFailure;
import dev.mig.report.ReportRequest;
import dev.mig.result.RunResult;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import dev.mig.text.PgDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** {@code mig run PLAN}: apply the pending steps. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Apply the pending steps of a plan, each in its own transaction.")
final class RunCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for another run of the plan to finish: 60s, 5m, 500ms, 0 (default: ${DEFAULT-VALUE}).")
    String lockWait;

    @Option(names = "--accept-drift", description = "Record changed applied steps as applied with their new text, without running them.")
    boolean acceptDrift;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--keep-going", description = "After a failed step, still try every later step whose requires did not fail;"
            + " the others are reported as blocked.")
    boolean keepGoing;

    @Option(names = "--dry-run", description = "Run the plan in one transaction and roll it back at the end, the journal included;"
            + " steps without a transaction are listed, not run.")
    boolean dryRun;

    @Option(names = "--reverify", description = "Before running, check the verify blocks of the steps applied earlier"
            + " (as mig verify does); stop with exit 3, running nothing, when one no longer holds.")
    boolean reverify;

    @Option(names = "--report", paramLabel = "FORMAT:PATH", description = "Write a report, whole or not at all; repeatable: json:out.json, junit:out.xml, md:summary.md.")
    List<String> reports = new ArrayList<>();

    @Mixin
    OutputOptions output;

    @Mixin
    FleetOptions fleetOptions;

    String fleet;

    /** Set while parsing, so that --config is read for the fleet without --env. */
    @Option(names = "--fleet", paramLabel = "NAME",
            description = "Run the plan on every tenant database of this fleet of mig.groovy (beside the plan, or --config).")
    void fleet(String name) {
        this.fleet = name;
        common.configReadElsewhere = true;
    }

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<ReportRequest> requests = reports.stream().map(ReportRequest::parse).toList();
        // before the plan's code runs and before connecting: a report that cannot be written fails now, not after the run
        requests.forEach(ReportRequest::check);
        Duration wait = parseDuration(lockWait);
        boolean onFleet = fleet != null || fleetOptions.any();
        if (onFleet) {
            checkFleetOptions();
        } else if (fleetOptions.strayOption() != null) {
            throw new MigException(ExitCode.PLAN_ERROR, fleetOptions.strayOption() + " is for a fleet, and no fleet was given",
                    "add --fleet NAME (a fleet of mig.groovy) or --fleet-file PATH");
        }
        LoadedPlan loaded = Mig.plan(planFile);
        Plan plan = loaded.model();
        FleetRun fleetRun = onFleet ? new FleetRun(context, fleetOptions, output.quiet) : null;
        List<Tenant> tenants = onFleet ? fleetRun.tenants(fleet, common.config, planFile, () -> common.resolve(context)) : null;
        // an undefined placeholder is exit 2 now, before an embedded server starts or a target is reached
        if (onFleet) {
            common.forFleet(plan, tenants);
        } else {
            common.withPlaceholders(plan);
        }
        Supplier<MigRunner> runners = () -> selection.applyTo(loaded.runner())
                .placeholders(common.environmentPlaceholders, common.environmentSource).placeholders(common.placeholders, "--set")
                .journalSchema(common.journalSchema).lockWait(wait)
                .acceptDrift(acceptDrift).keepGoing(keepGoing).dryRun(dryRun).reverify(reverify && onFleet)
                .defaultTimeouts(common.lockTimeout, common.statementTimeout, common.timeoutsSource)
                .lockRetryFor(common.lockRetryFor, common.timeoutsSource);
        if (onFleet) {
            return fleetRun.display(output.display(context)).run(loaded, fleetRun.name(fleet), tenants, runners, requests);
        }
        MigRunner runner = runners.get().printTo(context.out(), output.display(context));
        Optional<Target> resolved = common.resolve(context);
        RunResult result;
        RunInterrupts interrupts = RunInterrupts.install(plan, dryRun, context.err());
        try (interrupts) {
            if (resolved.isPresent()) {
                if (reverify) {
                    reverify(plan, resolved.get());
                }
                result = runner.run(resolved.get()).details();
            } else {
                context.out().println("mig: no database given (--url, MIG_URL, DATABASE_URL or PG* variables): "
                        + "running on an embedded throwaway PostgreSQL, discarded at exit");
                context.out().flush();
                try (EmbeddedServer server = EmbeddedServer.start()) {
                    result = runner.run(server.target()).details();
                }
            }
        } catch (MigException stopped) {
            String target = resolved.map(Target::display).orElse("embedded");
            MigException reportError = ReportRequest.writeAll(requests, r -> r.writeStopped(plan, target, stopped));
            if (reportError != null) {
                // the error that stopped the run keeps its exit code; the missing report is said too
                ErrorPrinter.print(reportError, context.err(), common.stacktrace);
            }
            throw stopped;
        }
        MigException reportError = ReportRequest.writeAll(requests, r -> r.write(result));
        // Ctrl-C stopped a backfill after its batch in progress: 130, as the JVM's own exit on Ctrl-C
        int interrupted = interrupts.interrupted() ? 130 : 0;
        if (interrupted != 0) {
            context.out().println(RunInterrupts.ENDED);
            context.out().flush();
        }
        if (reportError == null) {
            return interrupted != 0 ? interrupted : result.exitCode().code();
        }
        int code = ErrorPrinter.print(reportError, context.err(), common.stacktrace);
        return interrupted != 0 ? interrupted : result.exitCode() == ExitCode.OK ? code : result.exitCode().code();
    }

    /** What a fleet run does not take: one --url. */
    private void checkFleetOptions() {
        if (common.url != null && common.urlSource.equals("--url") && fleetOptions.schemas.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "--url and a fleet both name targets: give one",
                    "drop --url to run on the fleet's tenants, or drop --fleet / --fleet-file to run on one database");
        }
    }

    /**
     * {@code --reverify}: the applied steps' verify blocks, asked as {@code mig verify} asks them
     * (read only, no lock); one that fails stops the run before it starts. An embedded throwaway
     * server has nothing applied, so it is not asked.
     */
    private void reverify(Plan plan, Target target) {
        AppliedVerify.Result checked;
        try (Connection connection = Connections.open(target)) {
            checked = new AppliedVerify(plan, common.journalSchema, MigVersion.get()).check(connection);
        } catch (SQLException e) {
            throw new MigException(ExitCode.CONNECTION_FAILED, "--reverify could not read the target: " + e.getMessage(),
                    "run without --reverify to see whether the run itself can reach it");
        }
        MigException failure = ReverifyFailure.of(checked);
        if (failure != null) {
            throw failure;
        }
        long held = checked.count(AppliedVerify.State.HOLDS);
        if (!output.quiet) {
            context.out().println("reverify: " + held + (held == 1 ? " applied step still holds its verify"
                    : " applied steps still hold their verify"));
        }
    }

    /** {@code --lock-wait}, in the grammar plans use ({@link PgDuration}); a bare number is seconds, as it always was here. */
    static Duration parseDuration(String text) {
        try {
            return Duration.ofMillis(PgDuration.parse(text, PgDuration.Bare.SECONDS).millis());
        } catch (PgDuration.Invalid e) {
            throw new MigException(ExitCode.PLAN_ERROR, "--lock-wait " + e.getMessage(), e.hint());
        }
    }
}
