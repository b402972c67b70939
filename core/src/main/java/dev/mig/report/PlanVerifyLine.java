package dev.mig.report;

import dev.mig.result.PlanVerifyCheck;
import dev.mig.result.RunResult;
import dev.mig.result.VerifyFailure;

import java.util.ArrayList;
import java.util.List;

/**
 * What became of the plan-level verify, in the words of the console, the Markdown report and the
 * JUnit report alike: {@code plan verify: 9 expectations hold}, {@code plan verify: failed} (its
 * failures are listed one by one), or {@code plan verify: not checked, a step failed}. Null when
 * the plan has none.
 */
final class PlanVerifyLine {

    private PlanVerifyLine() {
    }

    /**
     * The console's lines: each failure ({@code plan verify: table x: does not exist (plan.groovy:9)}),
     * else what became of it; {@code quiet} keeps only the failures.
     */
    static List<String> console(RunResult result, boolean quiet) {
        List<String> lines = new ArrayList<>();
        for (VerifyFailure v : result.planVerifyFailures()) {
            lines.add("plan verify: " + Printable.text(v));
        }
        String line = of(result);
        if (lines.isEmpty() && line != null && !quiet) {
            lines.add(line);
        }
        return lines;
    }

    static String of(RunResult result) {
        PlanVerifyCheck check = result.planVerify();
        if (check.expectations() == 0) {
            return null;
        }
        return "plan verify: " + outcome(result);
    }

    /** {@code 9 expectations hold}, {@code failed}, {@code not checked, a step failed}. */
    static String outcome(RunResult result) {
        PlanVerifyCheck check = result.planVerify();
        int n = check.expectations();
        if (!check.checked()) {
            return "not checked, " + check.notChecked();
        }
        if (!result.planVerifyFailures().isEmpty()) {
            return "failed";
        }
        return n == 1 ? "1 expectation holds" : n + " expectations hold";
    }
}
