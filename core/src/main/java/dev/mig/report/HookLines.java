package dev.mig.report;

import dev.mig.result.HookResult;

import java.util.ArrayList;
import java.util.List;

/** How the console shows a hook: its line, its notices, and the failure block of a hook that failed. */
final class HookLines {

    private HookLines() {
    }

    static List<String> of(HookResult r) {
        List<String> lines = new ArrayList<>();
        lines.add("  hook " + (r.failed() ? "FAILED  " : "ran     ") + r.label() + "  (" + r.durationMs() + " ms)");
        r.notices().forEach(n -> lines.add("      " + n));
        if (r.failed()) {
            FailureBlock.lines(r, effect(r)).forEach(l -> lines.add("      " + l));
        }
        return lines;
    }

    /** The run's summary word when no step failed and a hook did: {@code failed: the afterRun hook failed}. */
    static String failedHook(dev.mig.result.RunResult result) {
        return result.hooks().stream().filter(HookResult::failed).findFirst()
                .map(h -> "failed: the " + h.hook().when().word() + " hook failed").orElse("stopped: a step failed");
    }

    /** What the failure did to the run, as the block's Effect row says it. */
    static String effect(HookResult r) {
        String rolledBack = r.hook().transactional() ? "the hook was rolled back; " : "the hook ran without a transaction; ";
        return rolledBack + switch (r.hook().when()) {
            case BEFORE_RUN -> "no step ran";
            case AFTER_STEP -> "the step stays applied (it committed before the hook); no later step ran";
            case AFTER_RUN -> "every step stays applied; the run fails (exit 1)";
            case ON_FAILURE -> "the run had failed already; its exit code is the failure's";
        };
    }
}
