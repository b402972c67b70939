package dev.mig.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;

/**
 * A fish completion script made from the picocli model, so it lists every command and option
 * mig has: commands after {@code mig}, each command's options after it (with their descriptions),
 * files for the plan, and the words {@code help} and {@code completion} take.
 */
final class FishCompletion {

    private FishCompletion() {
    }

    static String script(CommandLine root) {
        String name = root.getCommandName();
        StringBuilder s = new StringBuilder("# fish completion for ").append(name)
                .append(", written by: ").append(name).append(" completion fish\n")
                .append("# use: ").append(name).append(" completion fish > ~/.config/fish/completions/").append(name).append(".fish\n");
        String commands = String.join(" ", root.getSubcommands().keySet());
        for (OptionSpec option : root.getCommandSpec().options()) {
            s.append(option(name, "__fish_use_subcommand", option));
        }
        for (Map.Entry<String, CommandLine> command : root.getSubcommands().entrySet()) {
            s.append("complete -c ").append(name).append(" -n __fish_use_subcommand -f -a ").append(command.getKey())
                    .append(" -d ").append(quote(summary(command.getValue().getCommandSpec()))).append('\n');
        }
        for (Map.Entry<String, CommandLine> command : root.getSubcommands().entrySet()) {
            String when = "'__fish_seen_subcommand_from " + command.getKey() + "'";
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                s.append(option(name, when, option));
            }
        }
        s.append("complete -c ").append(name).append(" -n '__fish_seen_subcommand_from help' -f -a ").append(quote(commands)).append('\n');
        s.append("complete -c ").append(name).append(" -n '__fish_seen_subcommand_from completion' -f -a ")
                .append(quote(String.join(" ", CompletionCommand.SHELLS))).append('\n');
        return s.toString();
    }

    private static String option(String name, String when, OptionSpec option) {
        StringBuilder line = new StringBuilder("complete -c ").append(name).append(" -n ").append(when);
        for (String n : option.names()) {
            line.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
        }
        if (option.arity().max() > 0) {
            line.append(" -r");
            if (option.completionCandidates() != null) {
                line.append(" -f -a ").append(quote(String.join(" ", option.completionCandidates())));
            }
        }
        return line.append(" -d ").append(quote(firstLine(option.description()))).append('\n').toString();
    }

    /** A command's header when it has one (picocli's help command), else its description. */
    private static String summary(CommandSpec command) {
        String[] header = command.usageMessage().header();
        return firstLine(header.length > 0 ? header : command.usageMessage().description());
    }

    private static String firstLine(String[] description) {
        String text = description.length == 0 ? "" : description[0];
        int sentence = text.indexOf(". ");
        return (sentence > 0 ? text.substring(0, sentence) : text).replaceAll("\\$\\{[^}]*}", "").replaceAll("[\\s.]+$", "");
    }

    /** A fish single-quoted string: only {@code \} and {@code '} need escaping there. */
    static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replaceAll("[\\r\\n]+", " ") + "'";
    }
}
