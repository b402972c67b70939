package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.text.DidYouMean;
import dev.mig.text.Redactor;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Prints picocli's usage errors. picocli quotes the arguments it could not place, and a misplaced
 * {@code --url} carries a password, so every message goes through {@link Redactor}.
 */
final class UsageError {

    private UsageError() {
    }

    static int print(CommandLine.ParameterException e, String[] args, PrintStream err) {
        CommandLine where = e.getCommandLine();
        err.println("mig: " + Redactor.redact(e.getMessage()));
        err.println("    hint: " + suggestion(e) + hint(where, args));
        err.flush();
        return ExitCode.PLAN_ERROR.code();
    }

    /** A close command or option name (never the argument itself, which may hold a password), or nothing. */
    private static String suggestion(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return "";
        }
        String first = u.getUnmatched().get(0);
        if (!first.matches("-{0,2}[A-Za-z][A-Za-z-]*")) {
            return ""; // a URL or a path: any name would be a poor guess
        }
        // mig's own measure, as for plan words: picocli's guesses are too loose ('frobnicate': status?)
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        return DidYouMean.suggest(first, first.startsWith("-") ? spec.optionsMap().keySet() : spec.subcommands().keySet())
                .map(name -> "did you mean '" + name + "'? ").orElse("");
    }

    private static String hint(CommandLine where, String[] args) {
        if (where.getParent() != null) {
            return where.getCommandSpec().qualifiedName(" ") + " --help lists its options";
        }
        // options written before the command (mig --url URL run PLAN) belong after it
        String command = Arrays.stream(args).filter(where.getSubcommands()::containsKey).findFirst().orElse(null);
        if (command != null && Arrays.stream(args).takeWhile(a -> !a.equals(command)).anyMatch(a -> a.startsWith("-"))) {
            return "options go after the command: mig " + command + " [OPTIONS] ...; mig " + command + " --help lists them";
        }
        return "mig --help lists the commands; mig COMMAND --help lists a command's options";
    }
}
