package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.model.Plan;
import dev.mig.report.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mig check PLAN}: compile and validate without a database. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Load the plan and validate its words, names, requires and files; connects to no database."
        + " Loading runs the plan file as Groovy: its top-level code, the blocks that declare steps, and the"
        + " bodies of the recipes it applies (check only plans you trust). Guard, expect and groovy blocks are"
        + " checked, not run.")
final class CheckCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    boolean stacktrace;

    @Option(names = "--strict", description = "Also type-check the plan against the DSL: a misspelt word in any block is an"
            + " error before anything runs. Every name must be declared (no binding variables); see docs/IDE.md."
            + " The plan is then loaded as without --strict: its top-level code and recipe bodies run.")
    boolean strict;

    CheckCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Plan plan = (strict ? Mig.planTypeChecked(planFile) : Mig.plan(planFile)).model();
        context.out().println("plan '" + Printable.name(plan.name()) + "' (" + plan.location().displayFile() + "): "
                + plan.steps().size() + " step" + (plan.steps().size() == 1 ? "" : "s") + ", no problems found"
                + (strict ? " (strict)" : ""));
        return 0;
    }
}
