package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.model.Plan;
import dev.mig.plan.PlanLoader;
import dev.mig.report.ConsoleReporter;
import dev.mig.report.JsonReport;
import dev.mig.run.RunOptions;
import dev.mig.run.RunResult;
import dev.mig.run.Runner;
import dev.mig.target.Connections;
import dev.mig.target.EmbeddedServer;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code mig run PLAN}: apply the pending steps. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Apply the pending steps of a plan, each in its own transaction.")
final class RunCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for another run of the plan to finish: 60s, 5m, 0 (default: ${DEFAULT-VALUE}).")
    String lockWait;

    @Option(names = "--accept-drift", description = "Record changed applied steps as applied with their new text, without running them.")
    boolean acceptDrift;

    @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Run only steps with one of these tags.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--until", paramLabel = "STEP", description = "Stop after this step.")
    String until;

    @Option(names = "--keep-going", description = "After a failed step, still try every later step whose requires did not fail;"
            + " the others are reported as blocked.")
    boolean keepGoing;

    @Option(names = "--dry-run", description = "Run the plan in one transaction and roll it back at the end, the journal included;"
            + " steps without a transaction are listed, not run.")
    boolean dryRun;

    @Option(names = "--report", paramLabel = "FORMAT:PATH", description = "Write a report: json:out.json.")
    List<String> reports = new ArrayList<>();

    @Mixin
    OutputOptions output;

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<Path> jsonReports = parseReports();
        Duration wait = parseDuration(lockWait);
        Plan plan = new PlanLoader().load(planFile);
        if (until != null && plan.step(until).isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "--until names no step of plan '" + plan.name() + "': '" + until + "'",
                    "give a step name exactly as the plan writes it");
        }
        RunOptions options = new RunOptions(common.journalSchema, wait, acceptDrift, new LinkedHashSet<>(tags), until, keepGoing, dryRun);
        Optional<Target> resolved = common.resolve(context);
        RunResult result;
        try {
            if (resolved.isPresent()) {
                result = run(plan, options, resolved.get());
            } else {
                context.out().println("mig: no database given (--url, MIG_URL, DATABASE_URL or PG* variables): "
                        + "running on an embedded throwaway PostgreSQL, discarded at exit");
                context.out().flush();
                try (EmbeddedServer server = EmbeddedServer.start()) {
                    result = run(plan, options, server.target());
                }
            }
        } catch (MigException stopped) {
            for (Path report : jsonReports) {
                try {
                    JsonReport.writeError(report, plan, resolved.map(Target::display).orElse("embedded"), stopped);
                } catch (IOException ignored) {
                    // the error that stopped the run is the one to report
                }
            }
            throw stopped;
        }
        for (Path report : jsonReports) {
            try {
                JsonReport.write(report, result);
            } catch (IOException e) {
                throw new MigException(ExitCode.PLAN_ERROR, "cannot write report " + report + ": " + e.getMessage(),
                        "check that the folder exists and is writable");
            }
        }
        return result.exitCode().code();
    }

    private RunResult run(Plan plan, RunOptions options, Target target) {
        Runner runner = new Runner(plan, options, new ConsoleReporter(context.out(), output.display(context), options.dryRun()), MigVersion.get());
        return runner.run(() -> Connections.open(target), target.display());
    }

    private List<Path> parseReports() {
        List<Path> json = new ArrayList<>();
        for (String report : reports) {
            int colon = report.indexOf(':');
            String format = colon < 0 ? report : report.substring(0, colon);
            String path = colon < 0 ? "" : report.substring(colon + 1);
            if (!format.equals("json") || path.isBlank()) {
                throw new MigException(ExitCode.PLAN_ERROR, "--report '" + report + "' is not FORMAT:PATH with a supported format",
                        "write --report json:out.json (json is the supported format)");
            }
            json.add(Path.of(path));
        }
        return json;
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("min")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 3)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "'" + text + "' is not a duration", "write 30s, 5m, 500ms or 1h");
        }
    }
}
