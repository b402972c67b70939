package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.report.JsonDocument;

import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code --format text|json} of {@code status}, {@code plan} and {@code lint}: with json, stdout
 * holds one JSON document and nothing else, also when the command stops with an error (then
 * {@code {"error": ...}}, while stderr keeps the error's text and the exit code stays the same).
 */
final class JsonFormat {

    private static final Set<String> COMMANDS = Set.of("status", "plan", "lint");

    private JsonFormat() {
    }

    /** True for json, false for text; anything else is a usage error (exit 2). */
    static boolean json(String format) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new MigException(ExitCode.PLAN_ERROR, "unknown --format '" + format + "'", "--format text or --format json");
        }
        return format.equals("json");
    }

    /**
     * An error before the command starts (the config of {@code --env}): the error document too,
     * for the commands that take {@code --format json}.
     */
    static void beforeCommand(CommandLine.ParseResult sub, CliContext context, Exception e) {
        String command = sub.commandSpec().name();
        if (COMMANDS.contains(command) && "json".equals(sub.matchedOptionValue("--format", "text"))) {
            JsonDocument.print(context.out(), JsonDocument.error(command, e));
        }
    }

    /**
     * Runs the command; if it throws, prints the error document on stdout and throws on, so that
     * the error is printed on stderr and the command exits as in text mode.
     */
    static int run(CliContext context, String command, Callable<Integer> body) throws Exception {
        // what the plan's own code prints (println at its top level, in a recipe or a guard) goes to
        // System.out: on the process's stdout it would come before the document, so it goes to stderr
        PrintStream stdout = System.out;
        boolean redirect = context.out() == stdout;
        if (redirect) {
            System.setOut(context.err());
        }
        try {
            return body.call();
        } catch (Exception e) {
            JsonDocument.print(context.out(), JsonDocument.error(command, e));
            throw e;
        } finally {
            if (redirect) {
                System.setOut(stdout);
            }
        }
    }
}
