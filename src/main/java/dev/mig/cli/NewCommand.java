package dev.mig.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mig new plan NAME} and {@code mig new step NAME --plan PLAN}. */
@Command(name = "new", mixinStandardHelpOptions = true, description = "Scaffold a plan or a step.")
final class NewCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to create: mig new plan NAME, or mig new step NAME --plan PLAN");
    }

    static CommandLine build(CliContext context) {
        return new CommandLine(new NewCommand())
                .addSubcommand("plan", new NewPlan(context))
                .addSubcommand("step", new NewStep(context));
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Write NAME.groovy: a commented plan with one example step.")
    static final class NewPlan implements Callable<Integer> {
        private final CliContext context;

        NewPlan(CliContext context) {
            this.context = context;
        }

        @Parameters(paramLabel = "NAME", description = "The plan's name, also its file name.")
        String name;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".", description = "Where to write it (default: the current folder).")
        Path dir;

        @Override
        public Integer call() {
            Path file = Scaffold.newPlan(name, dir);
            context.out().println("wrote " + file + "; try: mig check " + file + ", then mig run " + file);
            return 0;
        }
    }

    @Command(name = "step", mixinStandardHelpOptions = true, description = "Add a step skeleton at the end of a plan.")
    static final class NewStep implements Callable<Integer> {
        private final CliContext context;

        NewStep(CliContext context) {
            this.context = context;
        }

        @Parameters(paramLabel = "NAME", description = "The step's name.")
        String name;

        @Option(names = "--plan", paramLabel = "PLAN", required = true, description = "The plan file to add it to.")
        Path plan;

        @Override
        public Integer call() {
            Scaffold.newStep(name, plan);
            context.out().println("added step '" + name + "' at the end of " + plan);
            return 0;
        }
    }
}
