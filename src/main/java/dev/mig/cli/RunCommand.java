package dev.mig.cli;

import dev.mig.LoadedPlan;
import dev.mig.Mig;
import dev.mig.MigRunner;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.embedded.EmbeddedServer;
import dev.mig.lifecycle.AppliedVerify;
import dev.mig.model.Plan;
import dev.mig.report.Printable;
import dev.mig.report.ReportRequest;
import dev.mig.result.RunResult;
import dev.mig.result.VerifyFailure;
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
        boolean onFleet = fleet != null || !fleetOptions.files.isEmpty();
        if (onFleet) {
            checkFleetOptions();
        } else if (fleetOptions.strayOption() != null) {
            throw new MigException(ExitCode.PLAN_ERROR, fleetOptions.strayOption() + " is for a fleet, and no fleet was given",
                    "add --fleet NAME (a fleet of mig.groovy) or --fleet-file PATH");
        }
        LoadedPlan loaded = Mig.plan(planFile);
        Plan plan = loaded.model();
        // an undefined placeholder is exit 2 now, before an embedded server starts or a target is reached
        common.withPlaceholders(plan);
        Supplier<MigRunner> runners = () -> selection.applyTo(loaded.runner())
                .placeholders(common.environmentPlaceholders, common.environmentSource).placeholders(common.placeholders, "--set")
                .journalSchema(common.journalSchema).lockWait(wait)
                .acceptDrift(acceptDrift).keepGoing(keepGoing).dryRun(dryRun)
                .defaultTimeouts(common.lockTimeout, common.statementTimeout, common.timeoutsSource);
        if (onFleet) {
            FleetRun run = new FleetRun(context, fleetOptions, output.quiet).display(output.display(context));
            String name = fleet != null ? fleet : fleetOptions.files.stream().map(Path::toString).collect(Collectors.joining(", "));
            return run.run(loaded, name, run.tenants(fleet, common.config, planFile), runners, requests);
        }
        MigRunner runner = runners.get().printTo(context.out(), output.display(context));
        Optional<Target> resolved = common.resolve(context);
        RunResult result;
        try {
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
        if (reportError == null) {
            return result.exitCode().code();
        }
        int code = ErrorPrinter.print(reportError, context.err(), common.stacktrace);
        return result.exitCode() == ExitCode.OK ? code : result.exitCode().code();
    }

    /** What a fleet run does not take: one --url, --reverify. */
    private void checkFleetOptions() {
        if (common.url != null && common.urlSource.equals("--url")) {
            throw new MigException(ExitCode.PLAN_ERROR, "--url and a fleet both name targets: give one",
                    "drop --url to run on the fleet's tenants, or drop --fleet / --fleet-file to run on one database");
        }
        if (reverify) {
            throw new MigException(ExitCode.PLAN_ERROR, "--reverify is not available with a fleet yet",
                    "run mig verify PLAN --url ... on a tenant, or run the fleet without --reverify");
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
        List<AppliedVerify.StepCheck> failed = checked.steps().stream()
                .filter(c -> c.state() == AppliedVerify.State.FAILS).toList();
        long held = checked.count(AppliedVerify.State.HOLDS);
        if (failed.isEmpty()) {
            if (!output.quiet) {
                context.out().println("reverify: " + held + (held == 1 ? " applied step still holds its verify"
                        : " applied steps still hold their verify"));
            }
            return;
        }
        StringBuilder message = new StringBuilder("--reverify: " + failed.size() + " applied step"
                + (failed.size() == 1 ? " no longer holds its" : "s no longer hold their") + " verify; nothing was run");
        for (AppliedVerify.StepCheck check : failed) {
            for (VerifyFailure f : check.failures()) {
                message.append("\n    ").append(Printable.name(check.step().name())).append(": ").append(Printable.text(f));
            }
        }
        throw new MigException(ExitCode.VERIFY_FAILED, message.toString(),
                "the database changed after those steps were applied (by hand, or by another tool): put it back, or add a"
                        + " step that brings it where the plan needs it; mig verify PLAN lists the same");
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
