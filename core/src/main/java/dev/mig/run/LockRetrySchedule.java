package dev.mig.run;

import java.util.Random;

/**
 * mig's default lock-retry schedule, for a step with a transaction when nothing sets a
 * lockTimeout: each attempt waits at most 500 ms for its locks, so the sessions that queue behind
 * the step's lock request wait about that long at worst; a lock timeout (55P03) is tried again
 * after a pause that grows 100 ms, 200 ms, 400 ms ... up to 5 s (each a random time between half
 * its ceiling and its ceiling), for at most the step's {@code lockRetryFor} (60 s unless set) from
 * its first attempt. After that the step fails with its last lock timeout. Prior art: pgroll's 500 ms lock_timeout,
 * and GitLab's {@code with_lock_retries}, whose timing configuration alternates short lock
 * timeouts with growing sleeps (its partitioning variant: at most 1 s a wait, 27 s in all).
 */
final class LockRetrySchedule {

    static final long FIRST_PAUSE_MS = 100;
    static final long PAUSE_CAP_MS = 5_000;
    /** The per-attempt wait, as the budget counts it. */
    static final long WAIT_MS = 500;

    private final Random random;

    LockRetrySchedule(Random random) {
        this.random = random;
    }

    /** The largest pause before retry {@code n} on the schedule (1 for the first). */
    static long ceilingMs(int n) {
        return Backoff.doubling(n, FIRST_PAUSE_MS, PAUSE_CAP_MS);
    }

    /** The pause before retry {@code n}: between half its ceiling and its ceiling. */
    long delayMs(int n) {
        long ceiling = ceilingMs(n);
        return ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2 + 1));
    }

    /** Whether another attempt, after {@code pauseMs}, still fits in {@code budgetMs}, {@code elapsedMs} after the first began. */
    static boolean fits(long elapsedMs, long pauseMs, long budgetMs) {
        return elapsedMs + pauseMs + WAIT_MS <= budgetMs;
    }
}
