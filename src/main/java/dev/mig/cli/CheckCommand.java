package dev.mig.cli;

import dev.mig.model.Plan;
import dev.mig.plan.PlanLoader;
import dev.mig.report.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mig check PLAN}: compile and validate without a database. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Compile the plan and validate names, requires and files, without a database.")
final class CheckCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    boolean stacktrace;

    @Option(names = "--strict", description = "Also type-check the plan against the DSL: a misspelt word in any block is an"
            + " error before anything runs. Every name must be declared (no binding variables); see docs/IDE.md.")
    boolean strict;

    CheckCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Plan plan = new PlanLoader().load(planFile, strict);
        context.out().println("plan '" + Printable.name(plan.name()) + "' (" + plan.location().displayFile() + "): "
                + plan.steps().size() + " step" + (plan.steps().size() == 1 ? "" : "s") + ", no problems found"
                + (strict ? " (strict)" : ""));
        return 0;
    }
}
