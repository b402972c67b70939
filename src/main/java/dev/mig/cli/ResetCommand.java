package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.journal.Journal;
import dev.mig.model.Plan;
import dev.mig.report.ConsoleReporter;
import dev.mig.lifecycle.Reset;
import dev.mig.run.RunOptions;
import dev.mig.run.Runner;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code mig reset PLAN}: drop the schemas the plan owns and its journal state, then run it again. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = "Drop the schemas the plan declares it owns (owns 'kb', 'core') and its journal rows, then run the plan"
                + " again. Refuses without --yes, and a database not on this machine without --i-mean-it.")
final class ResetCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--yes", description = "Really drop the owned schemas (without it, reset says what it would drop).")
    boolean yes;

    @Option(names = "--i-mean-it", description = "Allow a database that is not on this machine.")
    boolean iMeanIt;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for a run of the plan to finish (default: ${DEFAULT-VALUE}).")
    String lockWait;

    @Mixin
    OutputOptions output;

    ResetCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws SQLException {
        Plan plan = common.withPlaceholders(Mig.plan(planFile).model());
        if (plan.settings().owns().isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "plan '" + plan.name() + "' declares no schemas it owns, so reset has"
                    + " nothing it may drop", "declare them in the plan: owns 'kb', 'core' (reset drops exactly those schemas)");
        }
        if (plan.settings().owns().contains(common.journalSchema)) {
            throw new MigException(ExitCode.PLAN_ERROR, "plan '" + plan.name() + "' owns schema " + common.journalSchema
                    + ", which holds the journal of every plan", "remove it from owns, or keep the journal elsewhere (--journal-schema)");
        }
        Target target = common.requireTarget(context, "reset", null);
        if (!target.local() && !iMeanIt) {
            throw new MigException(ExitCode.PLAN_ERROR, "reset refuses " + target.display() + ": host " + target.host()
                    + " is not this machine (localhost, 127.0.0.1, ::1, a unix socket or the embedded server)",
                    "reset drops schemas with everything in them; if you really mean to do that there, add --i-mean-it");
        }
        Duration wait = RunCommand.parseDuration(lockWait);
        Reset reset = new Reset(plan, new Journal(common.journalSchema, MigVersion.get()));
        if (!yes) {
            Reset.Survey survey;
            try (Connection connection = Connections.open(target)) {
                survey = reset.survey(connection);
            }
            throw new MigException(ExitCode.PLAN_ERROR, "reset would drop " + survey.describe() + " on " + target.display()
                    + ", then run the plan again; nothing was dropped", "run again with --yes to do it");
        }
        Reset.Survey dropped = reset.apply(() -> Connections.open(target), target.display(), wait,
                holder -> context.out().println("waiting for the plan lock, held by " + holder), MigVersion.get());
        context.out().println("mig reset: dropped " + dropped.describe() + " on " + target.display());
        context.out().flush();
        RunOptions options = new RunOptions(common.journalSchema, wait, false, Set.of(), null, false);
        Runner runner = new Runner(plan, options, new ConsoleReporter(context.out(), output.display(context), false), MigVersion.get());
        return runner.run(() -> Connections.open(target), target.display()).exitCode().code();
    }
}
