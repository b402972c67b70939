package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.target.Redactor;
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
        err.println("    hint: " + hint(where, args));
        err.flush();
        return ExitCode.PLAN_ERROR.code();
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
