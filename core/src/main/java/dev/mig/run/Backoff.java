package dev.mig.run;

import java.util.Random;

/**
 * The pause before a step's next attempt: exponential with full jitter. Retry {@code n} waits a
 * random time from 0 to {@code min(10 s, 200 ms * 2^(n-1))}, so the ceiling goes 200 ms, 400 ms,
 * 800 ms ... 10 s. The randomness spreads out runs (or a run and an application) that collided,
 * so they do not collide again on the same beat; a lock timeout has already waited its
 * {@code lock_timeout} before the pause.
 */
final class Backoff {

    static final long BASE_MS = 200;
    static final long CAP_MS = 10_000;

    private final Random random;

    Backoff(Random random) {
        this.random = random;
    }

    Backoff() {
        this(new Random());
    }

    /** The largest pause before retry {@code n} (1 for the first). */
    static long ceilingMs(int n) {
        return doubling(n, BASE_MS, CAP_MS);
    }

    /** {@code first} doubled for each retry after the first, up to {@code cap}: retry {@code n}'s ceiling. */
    static long doubling(int n, long first, long cap) {
        long ceiling = first;
        for (int i = 1; i < n && ceiling < cap; i++) {
            ceiling *= 2;
        }
        return Math.min(cap, ceiling);
    }

    long delayMs(int n) {
        return (long) (random.nextDouble() * (ceilingMs(n) + 1));
    }
}
