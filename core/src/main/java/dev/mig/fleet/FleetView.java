package dev.mig.fleet;

import dev.mig.report.Printable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The live view of a fleet run on a terminal, as text: a line of counts, throughput and ETA, then
 * the running tenants with what each is doing, at most {@link #MOST_RUNNING} of them, the longest
 * running first. Pure: the caller draws it (and redraws it in place); the text never holds more
 * than {@code 1 + MOST_RUNNING} lines, each cut to the terminal's width.
 *
 * <pre>
 * fleet: 37 of 120 done, 2 failed, 4 running, 79 waiting · 2.1 tenants/s · ETA 38 s
 *   globex   step 3/12 backfill orders  12 s
 *   acme     step 2/12 add plan column  4 s
 *   initech  connecting  0 s
 * </pre>
 */
public final class FleetView {

    /** Running tenants shown one a line; beyond, the last line counts the others. */
    public static final int MOST_RUNNING = 4;

    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RESET = "\u001b[0m";

    /** What a running tenant is doing ({@code step 3/12 add index}, {@code connecting}) and for how long. */
    public record Running(String tenant, String doing, long forMs) {
    }

    /**
     * The fleet at one moment. {@code stopping}: no new tenant starts (Ctrl-C, --max-failures, a
     * failed wave); {@code cancelling}: the running ones are being cancelled (a second Ctrl-C).
     */
    public record State(int total, int succeeded, int failed, int cancelled, List<Running> running, long elapsedMs,
                        boolean stopping, boolean cancelling) {

        public State {
            running = List.copyOf(running);
        }

        public int done() {
            return succeeded + failed + cancelled;
        }

        public int waiting() {
            return Math.max(0, total - done() - running.size());
        }
    }

    private FleetView() {
    }

    /** The view's lines, each at most {@code width - 1} characters on screen (a line as wide as the terminal would wrap). */
    public static List<String> render(State s, int width, boolean color) {
        int room = Math.max(20, width - 1);
        List<String> lines = new ArrayList<>();
        lines.add(header(s, room, color));
        List<Running> running = s.running().stream().sorted(Comparator.comparingLong(Running::forMs).reversed()).toList();
        int shown = running.size() <= MOST_RUNNING ? running.size() : MOST_RUNNING - 1;
        int idWidth = Math.min(20, running.stream().limit(shown).mapToInt(r -> Printable.name(r.tenant()).length()).max().orElse(0));
        for (Running r : running.subList(0, shown)) {
            String id = Printable.name(r.tenant());
            lines.add(cut("  " + id + " ".repeat(Math.max(0, idWidth - id.length())) + "  " + Printable.name(r.doing()) + "  "
                    + duration(r.forMs() / 1000), room));
        }
        if (shown < running.size()) {
            lines.add(cut("  … and " + (running.size() - shown) + " more running", room));
        }
        return lines;
    }

    /** {@code fleet: 37 of 120 done, 2 failed, 4 running, 79 waiting · 2.1 tenants/s · ETA 38 s}. */
    static String header(State s, int room, boolean color) {
        List<String[]> parts = new ArrayList<>();
        parts.add(new String[]{"fleet: " + s.done() + " of " + s.total() + " done", null});
        if (s.failed() > 0) {
            parts.add(new String[]{", ", null});
            parts.add(new String[]{s.failed() + " failed", RED});
        }
        if (s.cancelled() > 0) {
            parts.add(new String[]{", ", null});
            parts.add(new String[]{s.cancelled() + " cancelled", YELLOW});
        }
        parts.add(new String[]{", " + s.running().size() + " running, " + s.waiting() + " waiting", null});
        if (s.cancelling()) {
            parts.add(new String[]{" · cancelling the running tenants", YELLOW});
        } else if (s.stopping()) {
            parts.add(new String[]{" · stopping: no new tenant starts", YELLOW});
        } else if (s.done() > 0 && s.elapsedMs() > 0) {
            double perSecond = s.done() * 1000.0 / s.elapsedMs();
            parts.add(new String[]{" · " + throughput(perSecond) + " · ETA "
                    + duration(Math.round((s.total() - s.done()) / perSecond)), null});
        }
        StringBuilder line = new StringBuilder();
        int left = room;
        for (String[] part : parts) {
            String text = part[0].length() > left ? cut(part[0], left) : part[0];
            left -= text.length();
            line.append(color && part[1] != null ? part[1] + text + RESET : text);
            if (left <= 0) {
                break;
            }
        }
        return line.toString();
    }

    /** {@code 2.1 tenants/s}; under one a second, {@code 12 tenants/min}. */
    static String throughput(double perSecond) {
        if (perSecond >= 1) {
            return String.format(Locale.ROOT, "%.1f tenants/s", perSecond);
        }
        double perMinute = perSecond * 60;
        return String.format(Locale.ROOT, perMinute >= 10 ? "%.0f tenants/min" : "%.1f tenants/min", perMinute);
    }

    /** {@code 38 s}, {@code 4 min 10 s}, {@code 2 h 5 min}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + " min " + (seconds % 60) + " s";
        }
        return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    }

    private static String cut(String text, int room) {
        if (text.length() <= room) {
            return text;
        }
        int end = Math.max(0, room - 1);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
