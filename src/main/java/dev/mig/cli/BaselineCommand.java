package dev.mig.cli;

import dev.mig.LoadedPlan;
import dev.mig.Mig;
import dev.mig.api.MigVersion;
import dev.mig.model.Plan;
import dev.mig.report.Printable;
import dev.mig.report.SelectionLine;
import dev.mig.lifecycle.Baseliner;
import dev.mig.run.RunListener;
import dev.mig.run.StepSelection;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code mig baseline PLAN}: mark as applied the steps whose verify blocks hold on an existing database; with
 * {@code --until}, {@code --tags} or {@code --skip-tags}, only the steps a run with them would take.
 */
@Command(name = "baseline", mixinStandardHelpOptions = true,
        description = "On an existing database, mark as applied exactly the steps whose verify blocks hold; changes no schema.")
final class BaselineCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for a run of the plan to finish (default: ${DEFAULT-VALUE}).")
    String lockWait;

    @Mixin
    OutputOptions output;

    // as mig run's: baseline judges only the steps a run with them would take; the others stay pending
    @Mixin
    SelectionOptions selection;

    BaselineCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        LoadedPlan loaded = Mig.plan(planFile);
        Plan plan = common.withPlaceholders(loaded.model());
        StepSelection asked = selection.applyTo(loaded.runner()).options().selection();
        Target target = common.requireTarget(context, "mig baseline", null);
        PrintStream out = context.out();
        out.println("plan '" + Printable.name(plan.name()) + "' (" + plan.location().displayFile() + "), " + plan.steps().size()
                + " step" + (plan.steps().size() == 1 ? "" : "s") + ", on " + target.display());
        Baseliner.Result result = new Baseliner(plan, common.journalSchema, RunCommand.parseDuration(lockWait),
                new RunListener() {
                    @Override
                    public void waitingForLock(String holder) {
                        out.println("waiting for the plan lock, held by " + Printable.name(holder));
                    }
                }, MigVersion.get(), asked)
                .baseline(() -> Connections.open(target), target.display());
        if (result.selection().narrows()) {
            out.println(SelectionLine.of(result.selection()));
        }
        for (Baseliner.Finding f : result.findings()) {
            String name = Printable.name(f.step().name());
            switch (f.verdict()) {
                case BASELINED -> {
                    if (!output.quiet) {
                        int n = f.step().verify().expectations().size();
                        out.println("  baselined       " + name + "  verify holds (" + n + " expectation" + (n == 1 ? "" : "s") + ")");
                    }
                }
                case DOES_NOT_HOLD -> {
                    out.println("  not baselined   " + name + "  verify does not hold:");
                    f.failures().forEach(v -> out.println("      verify: " + Printable.text(v)));
                }
                case NO_VERIFY -> out.println("  not baselined   " + name + "  no verify block: cannot tell ("
                        + f.step().location() + ")");
            }
        }
        if (result.appliedEarlier() > 0) {
            out.println("  " + result.appliedEarlier() + " step" + (result.appliedEarlier() == 1 ? "" : "s") + " applied earlier");
        }
        int pending = result.leftPending().size();
        if (pending > 0 && !output.quiet) {
            out.println("  " + pending + " step" + (pending == 1 ? "" : "s") + " not selected, left pending: "
                    + result.leftPending().stream().map(n -> "'" + Printable.name(n) + "'").collect(Collectors.joining(", ")));
        }
        long marked = result.count(Baseliner.Verdict.BASELINED);
        long not = result.findings().size() - marked;
        out.println("baseline: " + marked + " step" + (marked == 1 ? "" : "s") + " marked as applied, " + not + " not"
                + (not == 0 ? "" : " (mig run would run them)")
                + (pending == 0 ? "" : ", " + pending + " not selected (mig run would run them)")
                + "; no schema was changed (exit " + result.exitCode().code() + ")");
        out.flush();
        return result.exitCode().code();
    }
}
