package dev.mig.run;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which threads are running a backfill's batches now, so that a Ctrl-C handler can tell a run it
 * may stop gently (the thread interrupted: the backfill stops once its batch in progress commits,
 * {@link BackfillExecutor}) from one it should end at once.
 */
public final class Backfills {

    private static final Set<Thread> RUNNING = ConcurrentHashMap.newKeySet();

    private Backfills() {
    }

    /** Whether {@code thread} is inside a backfill step's batches. */
    public static boolean runningOn(Thread thread) {
        return RUNNING.contains(thread);
    }

    static void enter() {
        RUNNING.add(Thread.currentThread());
    }

    static void exit() {
        RUNNING.remove(Thread.currentThread());
    }
}
