package dev.mig.cli;

import dev.mig.fleet.FleetRunner;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C and SIGTERM while {@code mig run --fleet} runs. The first Ctrl-C (SIGINT) stops starting
 * tenants and lets the running ones finish; a second cancels them ({@link FleetRunner#cancel()}:
 * their current step rolls back); a third quits at once, as kill -9 would. The run then ends with
 * exit 130. SIGTERM (a pod stop) does what the first Ctrl-C does, through a shutdown hook that
 * waits for the run to end; the JVM then exits 143.
 * <p>SIGINT is taken ({@link Sigint}) rather than left to the
 * JVM, whose answer is to begin its shutdown: once that has begun, further signals start
 * nothing, so a second Ctrl-C would never be heard. When the JVM does not let mig take SIGINT
 * ({@code -Xrs}), the shutdown hook serves for it as well, without the second Ctrl-C.
 */
final class FleetInterrupts implements AutoCloseable {

    static final String STOPPING = "mig: interrupted: no new tenant starts; waiting for the running ones to finish";

    private final FleetRunner fleet;
    private final FleetOutput output;
    private final PrintStream err;
    private final AtomicInteger interrupts = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private final Runnable onSigint = this::signalled;

    private FleetInterrupts(FleetRunner fleet, FleetOutput output, PrintStream err) {
        this.fleet = fleet;
        this.output = output;
        this.err = err;
        this.hook = new Thread(() -> {
            stop(STOPPING);
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mig-fleet-interrupt");
    }

    /** Listens from now until {@link #close()}. */
    static FleetInterrupts install(FleetRunner fleet, FleetOutput output, PrintStream err) {
        FleetInterrupts interrupts = new FleetInterrupts(fleet, output, err);
        Runtime.getRuntime().addShutdownHook(interrupts.hook);
        // with -Xrs the JVM keeps SIGINT, and its shutdown runs the hook
        Sigint.listen(interrupts.onSigint);
        return interrupts;
    }

    /** Whether a Ctrl-C came: the run exits 130. */
    boolean interrupted() {
        return interrupts.get() > 0;
    }

    private void signalled() {
        // each signal is handled on a thread of its own: this one may wait for the cancels
        switch (interrupts.incrementAndGet()) {
            case 1 -> stop(STOPPING + " (Ctrl-C again cancels them)");
            case 2 -> {
                output.cancelling();
                output.say(err, "mig: interrupted again: cancelling the running tenants; their current step rolls back"
                        + " (Ctrl-C again quits at once)");
                fleet.cancel();
            }
            default -> {
                err.println("mig: interrupted a third time: quitting at once; each running tenant loses its current step's"
                        + " transaction, and the same command again goes on");
                err.flush();
                Runtime.getRuntime().halt(130);
            }
        }
    }

    private void stop(String message) {
        fleet.stop();
        output.stopping();
        output.say(err, message);
    }

    @Override
    public void close() {
        done.countDown();
        Sigint.stop(onSigint);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM: the hook is running and returns now
        }
    }
}
