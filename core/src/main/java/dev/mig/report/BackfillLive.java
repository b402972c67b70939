package dev.mig.report;

import dev.mig.model.Step;
import dev.mig.run.BackfillTick;

/**
 * On a terminal, a backfill's progress goes in the running step's live line ({@link ConsoleReporter}),
 * redrawn in place after each batch: {@code [1/1] running… count once  12 s  backfill counters: 350000
 * rows, 7 of ~20 batches, 95000 rows/s, ETA 3s}, cut to the terminal's width so that it never wraps.
 * Off a terminal, with {@code --plain} or {@code -q}, it takes nothing and the progress stays a line
 * every 10 batches or 5 seconds. The last tick (done) and a wait for replication are lines on a
 * terminal too.
 */
final class BackfillLive {

    private final boolean on;
    private final int width;
    private Step step;
    private String text;

    BackfillLive(ConsoleReporter.Display display) {
        this.on = display.live() && !display.quiet();
        this.width = display.width();
    }

    /** Takes a tick of {@code s}; returns whether it is shown in the live line only (no line of its own). */
    boolean take(Step s, BackfillTick tick) {
        if (!on) {
            return false;
        }
        step = s;
        text = tick.done() ? null : tick.text();
        return !tick.done() && tick.waiting() == null;
    }

    /** What follows the live line of {@code running}, whose first {@code shown} characters are drawn: "" when not a backfill. */
    String suffix(Step running, int shown) {
        if (!on || text == null || running == null || !running.equals(step)) {
            return "";
        }
        String s = "  " + Printable.text(text);
        int room = width - 1 - shown;
        return room < 10 ? "" : s.length() <= room ? s : s.substring(0, room - 1) + "…";
    }
}
