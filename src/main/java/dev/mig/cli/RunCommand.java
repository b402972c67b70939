package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.LoadedPlan;
import dev.mig.api.Mig;
import dev.mig.api.MigException;
import dev.mig.api.MigRunner;
import dev.mig.model.Plan;
import dev.mig.report.ReportRequest;
import dev.mig.run.RunResult;
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
import java.util.List;
import java.util.Optional;
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

    @Option(names = "--report", paramLabel = "FORMAT:PATH", description = "Write a report, whole or not at all; repeatable: json:out.json, junit:out.xml, md:summary.md.")
    List<String> reports = new ArrayList<>();

    @Mixin
    OutputOptions output;

    RunCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<ReportRequest> requests = reports.stream().map(ReportRequest::parse).toList();
        Duration wait = parseDuration(lockWait);
        LoadedPlan loaded = Mig.plan(planFile);
        Plan plan = loaded.model();
        MigRunner runner = loaded.runner().until(until).journalSchema(common.journalSchema).lockWait(wait)
                .acceptDrift(acceptDrift).tags(tags.toArray(String[]::new)).keepGoing(keepGoing).dryRun(dryRun)
                .defaultTimeouts(common.lockTimeout, common.statementTimeout)
                .printTo(context.out(), output.display(context));
        Optional<Target> resolved = common.resolve(context);
        RunResult result;
        try {
            if (resolved.isPresent()) {
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
            for (ReportRequest report : requests) {
                try {
                    report.writeStopped(plan, resolved.map(Target::display).orElse("embedded"), stopped);
                } catch (IOException ignored) {
                    // the error that stopped the run is the one to report
                }
            }
            throw stopped;
        }
        for (ReportRequest report : requests) {
            try {
                report.write(result);
            } catch (IOException e) {
                throw new MigException(ExitCode.PLAN_ERROR, "cannot write report " + report.path() + ": " + e.getMessage(),
                        "check that the folder exists and is writable");
            }
        }
        return result.exitCode().code();
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
