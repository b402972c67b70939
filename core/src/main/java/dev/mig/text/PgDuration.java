package dev.mig.text;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of mig, for plans ({@code lockTimeout '5m'}), configs and the command
 * line ({@code --lock-wait 5m}): a whole number and a unit, {@code ms}, {@code s}, {@code m} or
 * {@code min}, {@code h}, {@code d} (any case, spaces allowed), or {@code 0} for none. A bare
 * number keeps the unit it always had where it is written: milliseconds in a plan (PostgreSQL's
 * unit for timeouts), seconds on the command line. {@link #setting()} is the PostgreSQL spelling.
 */
public record PgDuration(long millis, String setting) {

    /** PostgreSQL keeps timeouts as int milliseconds; mig takes no longer wait anywhere. */
    public static final long MAX_MILLIS = Integer.MAX_VALUE;

    /** How to write one, for messages. */
    public static final String EXAMPLES = "write it as PostgreSQL does: '500ms', '5s', '10min' (or '10m'), '1h', or '0' for none";

    private static final Pattern FORMAT = Pattern.compile("^\\s*(-?)\\s*(\\d+)\\s*([a-zA-Z]*)\\s*$");

    // the unit as PostgreSQL spells it, and its length in milliseconds
    private static final Map<String, String> SPELLING = Map.of("ms", "ms", "s", "s", "m", "min", "min", "min", "h", "h", "d", "d");
    private static final Map<String, Long> MILLIS = Map.of("ms", 1L, "s", 1_000L, "min", 60_000L, "h", 3_600_000L, "d", 86_400_000L);

    /** The unit of a number written without one. */
    public enum Bare {
        MILLISECONDS("ms"), SECONDS("s");

        private final String unit;

        Bare(String unit) {
            this.unit = unit;
        }
    }

    /** A value that is not a duration, or not one mig can take; message and hint for the caller's error. */
    public static final class Invalid extends IllegalArgumentException {
        private final String hint;

        Invalid(String message, String hint) {
            super(message);
            this.hint = hint;
        }

        public String hint() {
            return hint;
        }
    }

    /** Parses {@code value}; anything else than a duration from 0 to {@link #MAX_MILLIS} is {@link Invalid}. */
    public static PgDuration parse(Object value, Bare bare) {
        String text = value == null ? "" : value.toString();
        Matcher m = FORMAT.matcher(text);
        String unit = m.matches() ? (m.group(3).isEmpty() ? bare.unit : SPELLING.get(m.group(3).toLowerCase(Locale.ROOT))) : null;
        if (unit == null) {
            throw new Invalid("'" + text + "' is not a duration", EXAMPLES);
        }
        if (!m.group(1).isEmpty() && !m.group(2).matches("0+")) {
            throw new Invalid("'" + text + "' is negative: a duration is 0 (none) or more", EXAMPLES);
        }
        long number;
        try {
            number = Long.parseLong(m.group(2));
        } catch (NumberFormatException tooManyDigits) {
            number = Long.MAX_VALUE;
        }
        long millis = number > MAX_MILLIS / MILLIS.get(unit) + 1 ? Long.MAX_VALUE : number * MILLIS.get(unit);
        if (millis > MAX_MILLIS) {
            throw new Invalid("'" + text + "' is too long: a duration is at most " + MAX_MILLIS
                    + "ms (about 24 days), the most PostgreSQL takes for a timeout", "write a shorter one, such as '1h', or '0' for none");
        }
        return new PgDuration(millis, number == 0 ? "0" : number + unit);
    }

    @Override
    public String toString() {
        return setting;
    }
}
