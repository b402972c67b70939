package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The {@code mig} command line: picocli commands that return exit codes. */
@Command(name = "mig", mixinStandardHelpOptions = true, versionProvider = MigCommand.Version.class,
        description = "PostgreSQL migration plans of isolated, verified steps.",
        subcommandsRepeatable = false,
        // each line shorter than picocli's 80 columns, which would otherwise wrap it mid-phrase
        footer = {"", "Exit codes: 0 done, 1 a step failed, 2 usage or plan error,",
                "3 verification failed, 4 plan lock not acquired, 5 drift,",
                "6 cannot connect to the target, 7 a report could not be written."})
public final class MigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run, plan, status, verify, undo, baseline, check, lint, recipes, import, rehearse, reset, new, completion or help");
    }

    /** Runs mig as the process would, with the given environment and streams; returns the exit code. */
    public static int execute(String[] args, Map<String, String> env, Path home, PrintStream out, PrintStream err) {
        return execute(args, env, home, out, err, false);
    }

    /** With {@code terminal}, output goes to a terminal: live step lines and colours (docs/DSL.md, "The terminal"). */
    public static int execute(String[] args, Map<String, String> env, Path home, PrintStream out, PrintStream err,
                              boolean terminal) {
        CliContext context = new CliContext(env, home, out, err, terminal);
        dev.mig.plan.PlanCache.configure(env, home); // compiled plans are reused across runs (docs/DSL.md)
        boolean stacktrace = Arrays.asList(args).contains("--stacktrace");
        CommandLine cli = Subcommands.register(new CommandLine(new MigCommand()), context, args);
        // --env is applied after parsing, when the plan file is known: the config sits beside it
        cli.setExecutionStrategy(parseResult -> {
            CommandLine.ParseResult sub = parseResult.subcommand();
            if (sub != null && !sub.isUsageHelpRequested() && !sub.isVersionHelpRequested()
                    && sub.commandSpec().userObject() != null) {
                CommandLine.Model.CommandSpec common = sub.commandSpec().mixins().get("common");
                if (common != null && common.userObject() instanceof CommonOptions options) {
                    List<String> positionals = sub.matchedPositionals().isEmpty() ? List.of()
                            : List.of(sub.matchedPositionals().get(0).<Object>getValue().toString());
                    try {
                        options.applyEnvironment(context, positionals.isEmpty() ? null : Path.of(positionals.get(0)));
                    } catch (RuntimeException e) {
                        JsonFormat.beforeCommand(sub, context, e);
                        return ErrorPrinter.print(e, err, stacktrace);
                    }
                }
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> ErrorPrinter.print(e, err, stacktrace));
        cli.setParameterExceptionHandler((e, parsed) -> UsageError.print(e, parsed, err));
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"mig " + MigVersion.get() + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
