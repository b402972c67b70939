package dev.mig.report;

import dev.mig.result.PlanVerifyCheck;
import dev.mig.result.RunResult;

/**
 * What became of the plan-level verify, in the words of the console, the Markdown report and the
 * JUnit report alike: {@code plan verify: 9 expectations hold}, {@code plan verify: failed} (its
 * failures are listed one by one), or {@code plan verify: not checked, a step failed}. Null when
 * the plan has none.
 */
final class PlanVerifyLine {

    private PlanVerifyLine() {
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
