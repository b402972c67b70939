package dev.mig.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The process's one SIGINT handler, shared by what listens for Ctrl-C: a run with a backfill
 * ({@link RunInterrupts}) and a fleet run ({@link FleetInterrupts}), several at once in the tests'
 * JVM. It is taken with {@code sun.misc.Signal} (module jdk.unsupported) while anyone listens and
 * given back to the JVM when the last one stops; each signal is handled on a thread of its own.
 * With {@code -Xrs} the JVM keeps SIGINT, {@link #listen} says so, and Ctrl-C ends the process.
 */
final class Sigint {

    private static final Signal INT = new Signal("INT");
    private static final Set<Runnable> LISTENERS = new CopyOnWriteArraySet<>();
    private static SignalHandler previous;
    private static boolean taken;

    private Sigint() {
    }

    /** Calls {@code listener} on each SIGINT until {@link #stop}; false when the JVM keeps SIGINT to itself. */
    static synchronized boolean listen(Runnable listener) {
        if (LISTENERS.isEmpty()) {
            try {
                previous = Signal.handle(INT, signal -> LISTENERS.forEach(Runnable::run));
                taken = true;
            } catch (IllegalArgumentException notOurs) {
                taken = false;   // -Xrs
            }
        }
        LISTENERS.add(listener);
        return taken;
    }

    /** Stops calling {@code listener}; the JVM's own handling is back once no one listens. */
    static synchronized void stop(Runnable listener) {
        if (LISTENERS.remove(listener) && LISTENERS.isEmpty() && taken) {
            Signal.handle(INT, previous);
            taken = false;
        }
    }
}
