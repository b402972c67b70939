package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code mig completion bash|zsh}: prints a completion script. Both are picocli's bash script;
 * zsh loads it through {@code bashcompinit}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script: source <(mig completion bash), or for zsh source <(mig completion zsh).")
final class CompletionCommand implements Callable<Integer> {

    private final CliContext context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    CompletionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new MigException(ExitCode.PLAN_ERROR, "no completion for shell '" + shell + "'", "write mig completion bash or mig completion zsh");
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
