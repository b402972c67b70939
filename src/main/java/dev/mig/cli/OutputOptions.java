package dev.mig.cli;

import dev.mig.report.ConsoleReporter;
import picocli.CommandLine.Option;

/**
 * The output options of every command that prints steps ({@code run}, {@code plan}, {@code status}, {@code verify}, ...):
 * how {@code mig run} shows a run, live on a terminal and plain lines otherwise; {@code plan} and
 * {@code status} always print plain lines and take them too, so a script passes the same options to
 * each. See docs/DSL.md "The terminal".
 */
final class OutputOptions {

    @Option(names = "--plain", description = "Plain lines, no live line, no colour, even on a terminal.")
    boolean plain;

    @Option(names = "--no-color", description = "No colours (so does a non-empty NO_COLOR variable).")
    boolean noColor;

    @Option(names = {"-q", "--quiet"}, description = "Print only failures and the last line (plan, status: only the steps a run would still do something with; verify: only what does not hold).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "run: also list steps applied earlier, echo each statement before it runs,"
            + " and close with the table of steps in plain mode too; plan: whole statements; status: what applied steps' guards read.")
    boolean verbose;

    ConsoleReporter.Display display(CliContext context) {
        boolean live = context.terminal() && !plain;
        String noColorVariable = context.env() == null ? null : context.env().get("NO_COLOR");
        boolean color = live && !noColor && (noColorVariable == null || noColorVariable.isEmpty());
        return new ConsoleReporter.Display(live, color, quiet, verbose && !quiet, FleetOutput.width(context.env()));
    }
}
