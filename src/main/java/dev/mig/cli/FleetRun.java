package dev.mig.cli;

import dev.mig.LoadedPlan;
import dev.mig.MigRunner;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.config.ConfigFile;
import dev.mig.fleet.FleetReports;
import dev.mig.fleet.FleetResult;
import dev.mig.fleet.FleetRunner;
import dev.mig.fleet.Shard;
import dev.mig.fleet.Tenant;
import dev.mig.fleet.TenantResult;
import dev.mig.fleet.Tenants;
import dev.mig.fleet.Waves;
import dev.mig.report.ConsoleReporter;
import dev.mig.report.ReportRequest;
import dev.mig.target.TargetResolver;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code mig run PLAN --fleet NAME} / {@code --fleet-file PATH}: the plan, loaded once, run on
 * every tenant of the fleet by a {@link FleetRunner}; a line per tenant as it finishes, a summary
 * grouped by outcome, and the fleet's exit code.
 */
final class FleetRun {

    private final CliContext context;
    private final FleetOptions options;
    private final boolean quiet;
    private ConsoleReporter.Display display;

    FleetRun(CliContext context, FleetOptions options, boolean quiet) {
        this.context = context;
        this.options = options;
        this.quiet = quiet;
    }

    /** How the run is shown: live on a terminal (the fleet's view under the tenants' lines), else plain lines. */
    FleetRun display(ConsoleReporter.Display shown) {
        this.display = shown;
        return this;
    }

    /**
     * The tenants of {@code --fleet NAME} (mig.groovy beside the plan, or --config), of each
     * {@code --fleet-file} and of {@code --fleet-schemas} (schemas of {@code database}, the --url).
     */
    List<Tenant> tenants(String fleet, Path config, Path planFile, Supplier<java.util.Optional<dev.mig.target.Target>> database) {
        List<Tenant> tenants = new ArrayList<>(fleet == null && options.files.isEmpty() ? List.of()
                : tenants(context, fleet, options.files, config, planFile));
        if (!options.schemas.isEmpty()) {
            dev.mig.target.Target target = database.get().orElseThrow(() -> new MigException(ExitCode.PLAN_ERROR,
                    "--fleet-schemas needs the database that holds the schemas", "give it with --url (or --env, MIG_URL)"));
            tenants.addAll(Tenants.fromSchemas(target, options.schemas, "--fleet-schemas"));
        }
        return Tenants.checked(tenants);
    }

    /** The display name of the fleet: --fleet's name, else the files and globs that list its tenants. */
    String name(String fleet) {
        return fleet != null ? fleet : FleetCommands.name(null, options.files) + (options.files.isEmpty() || options.schemas.isEmpty()
                ? "" : ", ") + String.join(", ", options.schemas);
    }

    static List<Tenant> tenants(CliContext context, String fleet, List<Path> files, Path config, Path planFile) {
        Tenants.Resolver resolver = (url, source) -> new TargetResolver().parse(url, source, context.env(), context.home());
        List<Tenant> tenants = new ArrayList<>();
        if (fleet != null) {
            ConfigFile.Fleet declared = ConfigFile.loadFleet(ConfigFile.locate(config, planFile), fleet, context.env());
            tenants.addAll(Tenants.fromUrls(declared.urls(), "fleet '" + fleet + "' of " + declared.file(), resolver));
            declared.files().forEach(f -> tenants.addAll(Tenants.fromFile(f, resolver)));
            for (ConfigFile.Query query : declared.queries()) {
                tenants.addAll(Tenants.fromQuery(resolver.resolve(query.url(), query.urlSource()), query.sql(), resolver));
            }
            for (ConfigFile.Schemas schemas : declared.schemas()) {
                tenants.addAll(Tenants.fromSchemas(resolver.resolve(schemas.url(), schemas.urlSource()), schemas.globs(),
                        schemas.urlSource()));
            }
        }
        files.forEach(f -> tenants.addAll(Tenants.fromFile(f, resolver)));
        return Tenants.checked(tenants);
    }

    /** {@code mig status PLAN --fleet NAME}: a line per tenant, a count per state; exit 0, else the highest tenant's (5 drift, 6 unreachable). */
    static int status(CliContext context, dev.mig.model.Plan plan, String fleetName, List<Tenant> all, String shardText,
                      Integer parallel, String journalSchema, boolean quiet) {
        Shard shard = shardText == null ? Shard.ALL : Shard.parse(shardText);
        List<Tenant> tenants = all.stream().filter(t -> shard.contains(t.id())).toList();
        PrintStream out = context.out();
        out.println("fleet " + fleetName + ": " + count(tenants.size())
                + (shard.count() > 1 ? " (shard " + shard + " of " + count(all.size()) + ")" : "") + ", plan '" + plan.name() + "'");
        List<dev.mig.fleet.FleetStatus.TenantStatus> statuses = dev.mig.fleet.FleetStatus.read(plan, tenants, journalSchema,
                parallel == null ? FleetOptions.DEFAULT_PARALLEL : parallel);
        int upToDate = 0;
        int toRun = 0;
        int drifted = 0;
        int unreadable = 0;
        for (dev.mig.fleet.FleetStatus.TenantStatus s : statuses) {
            boolean settled = s.error() == null && s.drifted() == 0 && s.toRun() == 0;
            if (!quiet || !settled) {
                out.println(s.line());
            }
            if (s.error() != null) {
                unreadable++;
            } else if (s.drifted() > 0) {
                drifted++;
            } else if (s.toRun() > 0) {
                toRun++;
            } else {
                upToDate++;
            }
        }
        int code = statuses.stream().mapToInt(dev.mig.fleet.FleetStatus.TenantStatus::exitCode).max().orElse(0);
        out.println("fleet: " + upToDate + " up to date, " + toRun + " with steps to run, " + drifted + " drifted, "
                + unreadable + " unreadable" + (code == 0 ? "" : " (exit " + code + ")"));
        return code;
    }

    int run(LoadedPlan loaded, String fleetName, List<Tenant> all, Supplier<MigRunner> runner, List<ReportRequest> reports) {
        Shard shard = options.shard == null ? Shard.ALL : Shard.parse(options.shard);
        List<Tenant> tenants = all.stream().filter(t -> shard.contains(t.id())).toList();
        int parallel = options.parallel == null ? FleetOptions.DEFAULT_PARALLEL : options.parallel;
        FleetRunner fleet = new FleetRunner(parallel, options.maxFailures == null ? 0 : options.maxFailures);
        List<Waves.Wave> waves = Waves.of(tenants, options.canary == null ? 0 : options.canary, options.waves);
        PrintStream out = context.out();
        out.println("fleet " + fleetName + ": " + count(tenants.size())
                + (shard.count() > 1 ? " (shard " + shard + " of " + count(all.size()) + ")" : "")
                + ", " + waves.size() + (waves.size() == 1 ? " wave" : " waves") + ", " + parallel + " at a time");
        out.flush();
        boolean live = display != null && display.live() && !display.quiet();
        FleetOutput output = live ? FleetOutput.live(out, tenants.size(), display.color(), FleetOutput.width(context.env()))
                : FleetOutput.plain(out, quiet);
        try (FleetInterrupts interrupts = FleetInterrupts.install(fleet, output, context.err())) {
            FleetResult result;
            try (output) {
                output.start();
                result = fleet.run(waves, FleetRunner.runs(output.runners(runner)), output);
            }
            // 128 + SIGINT, as a shell reports a process Ctrl-C ended; SIGTERM's 143 comes from the JVM's own exit,
            // which waits for the reports (FleetInterrupts' hook returns when this block ends)
            int code = interrupts.interrupted() ? 130 : result.exitCode();
            summary(out, result, code);
            MigException reportError = ReportRequest.writeAll(reports,
                    r -> FleetReports.write(r, loaded.model(), fleetName, result, waves));
            if (reportError != null) {
                int reportCode = ErrorPrinter.print(reportError, context.err(), false);
                return code == 0 ? reportCode : code;
            }
            return code;
        }
    }

    private void summary(PrintStream out, FleetResult result, int code) {
        List<TenantResult> succeeded = result.with(TenantResult.Outcome.SUCCEEDED);
        List<TenantResult> failed = result.with(TenantResult.Outcome.FAILED);
        List<TenantResult> cancelled = result.with(TenantResult.Outcome.CANCELLED);
        List<TenantResult> notStarted = result.with(TenantResult.Outcome.NOT_STARTED);
        long applied = succeeded.stream().filter(t -> t.applied() > 0).count();
        out.println();
        out.println("succeeded: " + succeeded.size() + " (" + applied + " applied their steps, " + (succeeded.size() - applied)
                + " already up to date)");
        if (!failed.isEmpty()) {
            out.println("failed: " + failed.size());
            failed.forEach(t -> out.println("  " + t.tenant().id() + ": " + t.failure()));
        }
        if (!cancelled.isEmpty()) {
            out.println("cancelled: " + cancelled.size() + " (interrupted twice: stopped while they ran); run the same command"
                    + " again to continue them");
            cancelled.forEach(t -> out.println("  " + t.tenant().id() + ": " + t.cancelledWhere()));
        }
        if (!notStarted.isEmpty()) {
            String why = notStarted.stream().map(TenantResult::notStarted).distinct().collect(Collectors.joining("; "));
            out.println("not started: " + notStarted.size() + " (" + why + "); run the same command again to go on");
        }
        out.println(String.format(Locale.ROOT, "fleet: %d of %d tenants succeeded in %.1f s (exit %d)", succeeded.size(),
                result.tenants().size(), result.durationMs() / 1000.0, code));
        out.flush();
    }

    private static String count(int n) {
        return n + (n == 1 ? " tenant" : " tenants");
    }
}
