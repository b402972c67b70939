package dev.mig.cli;

import dev.mig.MigRunner;
import dev.mig.fleet.FleetProgress;
import dev.mig.fleet.FleetRunner;
import dev.mig.fleet.FleetView;
import dev.mig.fleet.Tenant;
import dev.mig.fleet.TenantResult;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code mig run --fleet} prints while the fleet runs: a line per tenant as it finishes (with
 * {@code -q} only the failed ones) and, live on a terminal, the {@link FleetView} under those lines,
 * redrawn in place four times a second with ANSI cursor moves (no curses). {@link #close()} erases
 * the view, so that the summary follows the tenants' lines.
 */
final class FleetOutput implements FleetRunner.Listener, AutoCloseable {

    static final String ESC = "\u001b[";
    /** Back to the first column, then erase to the end of the screen. */
    static final String ERASE_BELOW = "\r" + ESC + "J";
    static final long REDRAW_MS = 250;
    private static final String RED = ESC + "31m";
    private static final String YELLOW = ESC + "33m";
    private static final String RESET = ESC + "0m";

    private final PrintStream out;
    private final boolean quiet;
    private final FleetProgress progress;
    private final boolean color;
    private final int width;
    private int shown;
    private boolean closed;
    private Thread ticker;

    private FleetOutput(PrintStream out, boolean quiet, FleetProgress progress, boolean color, int width) {
        this.out = out;
        this.quiet = quiet;
        this.progress = progress;
        this.color = color;
        this.width = width;
    }

    /** A line per finished tenant, nothing else: off a terminal, with --plain, with -q. */
    static FleetOutput plain(PrintStream out, boolean quiet) {
        return new FleetOutput(out, quiet, null, false, 0);
    }

    /** The lines and the live view of {@code total} tenants, {@code width} columns wide; drawn from {@link #start()}. */
    static FleetOutput live(PrintStream out, int total, boolean color, int width) {
        return new FleetOutput(out, false, new FleetProgress(total), color, width);
    }

    /** The terminal's width: {@code COLUMNS} when the shell exports it, else 80. */
    static int width(java.util.Map<String, String> env) {
        String columns = env == null ? null : env.get("COLUMNS");
        try {
            int n = columns == null ? 0 : Integer.parseInt(columns.strip());
            return n >= 20 ? n : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /** Each tenant's runner, told to report its steps to the view when there is one. */
    Function<Tenant, MigRunner> runners(Supplier<MigRunner> runner) {
        return progress == null ? t -> runner.get() : t -> runner.get().listener(progress.listener(t));
    }

    void start() {
        if (progress == null) {
            return;
        }
        synchronized (this) {
            draw();
        }
        ticker = new Thread(this::tick, "mig-fleet-view");
        ticker.setDaemon(true);
        ticker.start();
    }

    @Override
    public synchronized void started(Tenant tenant) {
        if (progress != null) {
            progress.started(tenant);
            redraw();
        }
    }

    @Override
    public synchronized void finished(TenantResult result) {
        if (progress != null) {
            progress.finished(result);
        }
        if (quiet && !result.failed()) {
            return;
        }
        erase();
        String line = result.line();
        String paint = !color ? null : result.failed() ? RED : result.outcome() == TenantResult.Outcome.CANCELLED ? YELLOW : null;
        out.println(paint == null ? line : paint + line + RESET);
        draw();
        out.flush();
    }

    /** A message on {@code err} (Ctrl-C), the view erased first and drawn again after it. */
    synchronized void say(PrintStream err, String message) {
        erase();
        out.flush();
        err.println(message);
        err.flush();
        draw();
        out.flush();
    }

    /** No new tenant starts: the view says so instead of an ETA. */
    synchronized void stopping() {
        if (progress != null) {
            progress.stopping();
            redraw();
        }
    }

    /** The running tenants are being cancelled. */
    synchronized void cancelling() {
        if (progress != null) {
            progress.cancelling();
            redraw();
        }
    }

    /** Erases the view for good: what follows (the summary) is printed where it stood. */
    @Override
    public void close() {
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            closed = true;
            erase();
            ticker = null;
            out.flush();
        }
    }

    private void tick() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(REDRAW_MS);
                synchronized (this) {
                    redraw();
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private void redraw() {
        if (shown > 0) {
            erase();
            draw();
            out.flush();
        }
    }

    private void draw() {
        if (progress == null || closed) {
            return;
        }
        List<String> lines = FleetView.render(progress.state(), width, color);
        // the cursor stays at the end of the last line, so that erase() knows where the view starts
        out.print(String.join("\n", lines));
        shown = lines.size();
    }

    private void erase() {
        if (shown == 0) {
            return;
        }
        out.print(shown > 1 ? "\r" + ESC + (shown - 1) + "A" + ESC + "J" : ERASE_BELOW);
        shown = 0;
    }
}
