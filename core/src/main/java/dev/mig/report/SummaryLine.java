package dev.mig.report;

import dev.mig.result.RunResult;
import dev.mig.result.StepOutcome;

/**
 * The last line of {@code mig run}'s console output ({@link ConsoleReporter}): how the run ended, in
 * how long, the steps by outcome and the exit code: {@code stopped: a step failed in 1.5 s: 0
 * applied, 0 skipped, 0 applied earlier, 1 failed (exit 1)}; green or red with colours.
 */
final class SummaryLine {

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String RESET = "\u001b[0m";

    private SummaryLine() {
    }

    static String of(RunResult result, boolean color) {
        StringBuilder summary = new StringBuilder();
        summary.append(switch (result.exitCode()) {
            case OK -> "done";
            case VERIFY_FAILED -> "verification failed";
            default -> result.failedCount() == 0 ? HookLines.failedHook(result)
                    : result.keepGoing() ? "kept going: " + failedSteps(result.failedCount()) : "stopped: a step failed";
        });
        summary.append(" in ").append(String.format("%.1f s", result.durationMs() / 1000.0)).append(": ");
        summary.append(result.count(StepOutcome.APPLIED)).append(" applied, ")
                .append(result.count(StepOutcome.SKIPPED)).append(" skipped, ")
                .append(result.count(StepOutcome.ALREADY_APPLIED)).append(" applied earlier");
        long failed = result.count(StepOutcome.FAILED) + result.count(StepOutcome.VERIFY_FAILED);
        if (failed > 0) {
            summary.append(", ").append(failed).append(" failed");
        }
        long blocked = result.count(StepOutcome.BLOCKED);
        if (blocked > 0) {
            summary.append(", ").append(blocked).append(" blocked");
        }
        long notRun = result.count(StepOutcome.NOT_RUN);
        if (notRun > 0) {
            summary.append(", ").append(notRun).append(" not run");
        }
        summary.append(" (exit ").append(result.exitCode().code()).append(')');
        if (!color) {
            return summary.toString();
        }
        return (result.exitCode() == dev.mig.api.ExitCode.OK ? GREEN : RED) + summary + RESET;
    }

    private static String failedSteps(long n) {
        return n + (n == 1 ? " step" : " steps") + " failed";
    }
}
