package dev.mig.result;

import dev.mig.api.SourceLocation;

import java.util.List;
import java.util.Set;

/**
 * One attempt of a step that failed in a way worth trying again, and the pause before the next:
 * a lock timeout or NOWAIT (55P03), a deadlock (40P01) or a serialization failure (40001). The
 * attempt was rolled back whole; the next one runs the step from its guards on.
 *
 * @param number   which retry follows (1 for the first)
 * @param of       how many the step allows; {@link #ON_SCHEDULE} for a lock timeout tried again on mig's
 *                 lock-retry schedule, which allows as many as fit in its time
 * @param at       where the failing statement is (SQL file line, or plan line)
 * @param blockers the sessions the watcher saw blocking the statement; empty when none were seen
 */
public record Retry(int number, int of, String sqlState, String message, SourceLocation at, long delayMs,
                    List<Blocker> blockers) {

    /** The SQL States after which a step is tried again. */
    public static final Set<String> SQL_STATES = Set.of("55P03", "40P01", "40001");

    /** {@link #of} of a retry on mig's lock-retry schedule. */
    public static final int ON_SCHEDULE = 0;

    public Retry {
        blockers = List.copyOf(blockers);
    }

    public static boolean retryable(String sqlState) {
        return sqlState != null && SQL_STATES.contains(sqlState);
    }

    /** True for a lock timeout tried again on mig's lock-retry schedule. */
    public boolean onSchedule() {
        return of == ON_SCHEDULE;
    }

    /** {@code lock timeout}, {@code deadlock}, ... */
    public String cause() {
        return switch (sqlState) {
            case "55P03" -> "canceling statement due to lock timeout".equals(message) ? "lock timeout" : "lock not available";
            case "40P01" -> "deadlock";
            case "40001" -> "serialization failure";
            default -> sqlState;
        };
    }
}
