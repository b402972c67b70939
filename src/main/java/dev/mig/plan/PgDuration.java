package dev.mig.plan;

import java.util.regex.Pattern;

/** PostgreSQL duration settings as plans and configs write them: '5s', '500ms', '10min', '1h', or '0' for none. */
public final class PgDuration {

    private static final Pattern FORMAT = Pattern.compile("^\\s*\\d+\\s*(ms|s|min|h|d)?\\s*$");

    /** How to write one, for messages. */
    public static final String EXAMPLES = "write it as PostgreSQL does: '500ms', '5s', '10min', '1h'";

    private PgDuration() {
    }

    /** The value without spaces ({@code '5 s'} is {@code 5s}), or null when it is not a duration. */
    public static String normalise(Object value) {
        String text = value == null ? null : value.toString();
        if (text == null || !FORMAT.matcher(text).matches()) {
            return null;
        }
        return text.replaceAll("\\s+", "");
    }
}
