package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.fleet.Tenant;
import dev.mig.model.Plan;
import dev.mig.rehearse.Rehearsal;
import dev.mig.report.ConsoleReporter;
import dev.mig.result.RunResult;
import dev.mig.run.RunOptions;
import dev.mig.target.PgDump;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code mig rehearse PLAN}: run the plan on a throwaway shadow database; with a fleet, a copy of one of its tenants. */
@Command(name = "rehearse", mixinStandardHelpOptions = true,
        description = "Run the plan on a throwaway shadow database; with a target, its roles (without passwords), schema"
                + " and journal are copied into the shadow first, and the embedded shadow runs the target's PostgreSQL"
                + " major version when it is installed on this machine. The target is never written.")
final class RehearseCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--shadow", paramLabel = "embedded|URL", defaultValue = "embedded",
            description = "Where to rehearse: embedded (default), jdbc:tc:postgresql:17:///shadow (Docker), or the URL"
                    + " of an empty throwaway database (never the target).")
    String shadow;

    @Option(names = "--pg-dump", paramLabel = "PATH",
            description = "The pg_dump that copies the target's schema (default: MIG_PG_DUMP, then pg_dump on the PATH).")
    String pgDump;

    @Option(names = "--keep-going", description = "After a failed step, still try every later step whose requires did not fail.")
    boolean keepGoing;

    @Mixin
    OutputOptions output;

    @Option(names = "--fleet-file", paramLabel = "PATH", description = "Rehearse on a tenant of this file (as mig run --fleet-file):"
            + " the first, or --tenant's.")
    List<Path> fleetFiles = new ArrayList<>();

    @Option(names = "--tenant", paramLabel = "ID", description = "With a fleet: the tenant to rehearse on (default: the fleet's first).")
    String tenant;

    String fleet;

    /** Set while parsing, so that --config is read for the fleet without --env. */
    @Option(names = "--fleet", paramLabel = "NAME",
            description = "Rehearse on a tenant of this fleet of mig.groovy: the first (its canary), or --tenant's.")
    void fleet(String name) {
        this.fleet = name;
        common.configReadElsewhere = true;
    }

    RehearseCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        boolean onFleet = FleetCommands.given(fleet, fleetFiles);
        if (onFleet) {
            FleetCommands.refuseUrl(common);
        } else {
            FleetCommands.refuseStray(tenant != null ? "--tenant" : null);
        }
        Plan plan;
        TargetResolver resolver = new TargetResolver();
        Optional<Target> target;
        if (onFleet) {
            List<Tenant> tenants = FleetRun.tenants(context, fleet, fleetFiles, common.config, planFile);
            Tenant chosen = FleetCommands.rehearsed(tenants, tenant);
            if (chosen.schema() != null) {
                throw new MigException(ExitCode.PLAN_ERROR, "mig rehearse does not rehearse a schema tenant yet (tenant " + chosen.id()
                        + " is schema " + chosen.schema() + ")", "rehearse on a copy of the database with mig run --fleet-schemas ..."
                        + " --url COPY, or mig plan --fleet to see what would run");
            }
            plan = common.withPlaceholders(Mig.plan(planFile).model().withPlaceholders(chosen.placeholders(),
                    dev.mig.MigRunner.TENANT_SOURCE));
            context.out().println("fleet " + FleetCommands.name(fleet, fleetFiles) + ": rehearsing on tenant " + chosen.id() + " ("
                    + chosen.target().display() + "), " + (tenant == null ? "the first of " + FleetCommands.count(tenants.size())
                    + "; --tenant ID picks another" : "one of " + FleetCommands.count(tenants.size())));
            context.out().flush();
            target = Optional.of(chosen.target());
        } else {
            plan = common.withPlaceholders(Mig.plan(planFile).model());
            target = common.resolve(context);
        }
        Optional<Target> shadowTarget = shadow.trim().equalsIgnoreCase("embedded")
                ? Optional.empty()
                : Optional.of(resolver.parse(shadow.trim(), "--shadow", context.env(), context.home()));
        RunOptions options = new RunOptions(common.journalSchema, Duration.ofSeconds(60), false, Set.of(), null, keepGoing);
        Rehearsal rehearsal = new Rehearsal(plan, options, new ConsoleReporter(context.out(), output.display(context), false), context.out(),
                MigVersion.get(), context.env());
        RunResult result = rehearsal.rehearse(target, shadowTarget,
                (t, version) -> PgDump.locate(pgDump, context.env()).dumpSchema(t, version));
        return result.exitCode().code();
    }
}
