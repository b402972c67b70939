package dev.mig.cli;

import dev.mig.report.ConsoleReporter;
import picocli.CommandLine.Option;

/** How {@code mig run} shows a run: live on a terminal, plain lines otherwise; see docs/DSL.md "The terminal". */
final class OutputOptions {

    @Option(names = "--plain", description = "Plain lines, no live line, no colour, even on a terminal.")
    boolean plain;

    @Option(names = "--no-color", description = "No colours (so does a non-empty NO_COLOR variable).")
    boolean noColor;

    @Option(names = {"-q", "--quiet"}, description = "Print only failures and the last line.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Also list steps applied earlier, echo each statement before it runs,"
            + " and close with the table of steps in plain mode too.")
    boolean verbose;

    ConsoleReporter.Display display(CliContext context) {
        boolean live = context.terminal() && !plain;
        String noColorVariable = context.env() == null ? null : context.env().get("NO_COLOR");
        boolean color = live && !noColor && (noColorVariable == null || noColorVariable.isEmpty());
        return new ConsoleReporter.Display(live, color, quiet, verbose && !quiet);
    }
}
