package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.MigVersion;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.report.Printable;
import dev.mig.lifecycle.AppliedVerify;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/** {@code mig verify PLAN}: do the verify blocks of the applied steps still hold? Read-only; exit 3 when one does not. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the verify blocks of every applied step, and the plan-level verify when all steps are applied,"
                + " against the target as it is now: the drift check to run nightly. Exit 3 when an expectation does not hold.",
                "Reads in one READ ONLY transaction, rolled back; takes no lock and writes no journal. Loading the plan runs its"
                        + " top-level code and recipe bodies, and verify blocks run their Groovy (docs/DSL.md section 2, \"What runs when\")."})
final class VerifyCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Mixin
    OutputOptions output;

    VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws SQLException {
        Plan plan = Mig.plan(planFile).model();
        Target target = common.requireTarget(context, "mig verify", null);
        AppliedVerify.Result result;
        try (Connection connection = Connections.open(target)) {
            result = new AppliedVerify(plan, common.journalSchema, MigVersion.get()).check(connection);
        }
        PrintStream out = context.out();
        out.println("plan '" + Printable.name(plan.name()) + "' (" + plan.location().displayFile() + ") on " + target.display());
        if (!result.journalFound() && !output.quiet) {
            out.println("  no journal in schema " + common.journalSchema + ": no step is applied on this target");
        }
        for (AppliedVerify.StepCheck check : result.steps()) {
            if (output.quiet && check.state() != AppliedVerify.State.FAILS) {
                continue;
            }
            String name = Printable.name(check.step().name());
            String drift = check.drifted() ? "; changed since it was applied (mig status shows the drift)" : "";
            switch (check.state()) {
                case HOLDS -> out.println("  holds        " + name + "  " + expectations(check.step().verify().expectations().size()) + drift);
                case FAILS -> {
                    out.println("  FAILS        " + name + drift);
                    check.failures().forEach(f -> out.println("      verify: " + Printable.text(f)));
                }
                case NO_VERIFY -> out.println("  no verify    " + name + "  applied; nothing to check (" + check.step().location() + ")" + drift);
                case NOT_APPLIED -> out.println("  not applied  " + name + "  "
                        + (check.entry() == null ? "pending" : check.entry().status() == StepStatus.RUNNING ? "interrupted" : check.entry().status().word())
                        + "; not checked");
            }
        }
        if (!plan.verify().isEmpty() && !(output.quiet && (result.planVerify() == null || result.planVerify().isEmpty()))) {
            if (result.planVerify() == null) {
                out.println("  plan verify  not checked: it describes the end state, and not every step is applied");
            } else if (result.planVerify().isEmpty()) {
                out.println("  plan verify  holds  " + expectations(plan.verify().expectations().size()));
            } else {
                out.println("  plan verify  FAILS");
                result.planVerify().forEach(f -> out.println("      verify: " + Printable.text(f)));
            }
        }
        long fails = result.count(AppliedVerify.State.FAILS) + (result.planVerify() == null || result.planVerify().isEmpty() ? 0 : 1);
        out.println("verify: " + result.count(AppliedVerify.State.HOLDS) + " hold, " + fails + " fail, " + result.count(AppliedVerify.State.NO_VERIFY) + " without verify, "
                + result.count(AppliedVerify.State.NOT_APPLIED) + " not applied; nothing was changed (exit " + result.exitCode().code() + ")");
        out.flush();
        return result.exitCode().code();
    }

    private static String expectations(int n) {
        return n + " expectation" + (n == 1 ? "" : "s");
    }
}
