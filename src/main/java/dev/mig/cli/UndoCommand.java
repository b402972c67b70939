package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
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
import java.util.concurrent.Callable;

/** {@code mig undo PLAN --steps N}: run the undo blocks of the last N applied steps, newest first. */
@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Run the undo blocks of the last N applied steps, newest first, each in its own transaction.")
final class UndoCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1",
            description = "How many applied steps to undo, the newest first (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for a run of the plan to finish (default: ${DEFAULT-VALUE}).")
    String lockWait;

    @Mixin
    OutputOptions output;

    UndoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new MigException(ExitCode.PLAN_ERROR, "--steps must be 1 or more, not " + steps, "mig undo --steps 1 undoes the last applied step");
        }
        Plan plan = common.withPlaceholders(Mig.plan(planFile).model());
        Target target = common.requireTarget(context, "mig undo", null);
        Undoer.Result result = new Undoer(plan, common.journalSchema, RunCommand.parseDuration(lockWait),
                new ConsoleReporter(context.out(), output.display(context), false), MigVersion.get())
                .undo(() -> Connections.open(target), target.display(), steps);
        long undone = result.undone();
        String time = String.format("%.1f s", result.durationMs() / 1000.0);
        if (result.exitCode() == ExitCode.OK) {
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
