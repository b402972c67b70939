package dev.mig.cli;

import picocli.CommandLine;

import java.util.function.Function;

/**
 * mig's commands, in the order {@code mig --help} lists them. Each one picocli registers costs the
 * start of a run the reflection over its options and the loading of its classes, so a command line
 * that starts with a command's name registers that command alone: what it parses, prints and
 * exits with is the same, as nothing below the command looks at its siblings. Any other command line
 * (no command, an option first, {@code help}, {@code completion}, an unknown word) gets them all.
 */
final class Subcommands {

    private record Entry(String name, Function<CliContext, Object> factory) {
    }

    private static final Entry[] ALL = {
        new Entry("run", RunCommand::new),
        new Entry("plan", PlanCommand::new),
        new Entry("status", StatusCommand::new),
        new Entry("undo", UndoCommand::new),
        new Entry("verify", VerifyCommand::new),
        new Entry("baseline", BaselineCommand::new),
        new Entry("check", CheckCommand::new),
        new Entry("lint", LintCommand::new),
        new Entry("recipes", RecipesCommand::new),
        new Entry("import", ImportCommand::new),
        new Entry("rehearse", RehearseCommand::new),
        new Entry("reset", ResetCommand::new),
        new Entry("new", NewCommand::build),
        new Entry("completion", CompletionCommand::new),
        new Entry("help", context -> new CommandLine.HelpCommand()),
    };

    private Subcommands() {
    }

    /** Adds to {@code cli} the command {@code args} starts with, or all of them. */
    static CommandLine register(CommandLine cli, CliContext context, String[] args) {
        String first = args.length == 0 ? "" : args[0];
        boolean alone = !first.equals("help") && !first.equals("completion");
        for (Entry entry : ALL) {
            if (alone && entry.name().equals(first)) {
                return cli.addSubcommand(entry.name(), entry.factory().apply(context));
            }
        }
        for (Entry entry : ALL) {
            cli.addSubcommand(entry.name(), entry.factory().apply(context));
        }
        return cli;
    }
}
