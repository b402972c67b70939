package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mig completion bash|zsh|fish}: prints a completion script. bash and zsh get picocli's
 * bash script (zsh loads it through {@code bashcompinit}); fish gets its own ({@link FishCompletion}).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script: source <(mig completion bash), for zsh source <(mig completion zsh),"
                + " for fish mig completion fish > ~/.config/fish/completions/mig.fish.")
final class CompletionCommand implements Callable<Integer> {

    private final CliContext context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
    String shell;

    CompletionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!SHELLS.contains(shell)) {
            throw new MigException(ExitCode.PLAN_ERROR, "no completion for shell '" + shell + "'",
                    "write mig completion bash, mig completion zsh or mig completion fish");
        }
        if (shell.equals("fish")) {
            context.out().print(FishCompletion.script(spec.root().commandLine()));
            context.out().flush();
            return ExitCode.OK.code();
        }
        String script = AutoComplete.bash("mig", spec.root().commandLine());
        if (shell.equals("zsh")) {
            // picocli's script already calls bashcompinit when it finds itself in zsh; make sure it is loaded first
            context.out().println("autoload -U +X compinit && compinit");
            context.out().println("autoload -U +X bashcompinit && bashcompinit");
        }
        context.out().print(script);
        context.out().flush();
        return ExitCode.OK.code();
    }
}
