package dev.mig.report;

import dev.mig.result.Blocker;
import dev.mig.result.Retry;

import java.util.ArrayList;
import java.util.List;

/** How the console shows a retry of a step: what failed, the pause, and the sessions that blocked it. */
final class RetryLines {

    private RetryLines() {
    }

    /**
     * {@code retry 1/3 after lock timeout (55P03) in 412 ms; blocked by pid 123 (...): SELECT ...},
     * or {@code retry 4 on the lock-retry schedule after lock timeout (55P03) in 812 ms; ...},
     * then one line for each further blocker.
     */
    static List<String> of(Retry retry) {
        List<String> lines = new ArrayList<>();
        String first = "retry " + retry.number() + (retry.onSchedule() ? " on the lock-retry schedule" : "/" + retry.of()) + " after " + retry.cause() + " (" + retry.sqlState()
                + ") in " + retry.delayMs() + " ms";
        List<Blocker> blockers = retry.blockers();
        if (blockers.isEmpty()) {
            lines.add(first);
            return lines;
        }
        lines.add(first + "; blocked by " + blockers.get(0).describe());
        for (Blocker b : blockers.subList(1, blockers.size())) {
            lines.add("and by " + b.describe());
        }
        return lines;
    }
}
