package dev.mig.verify;

import java.util.regex.Pattern;

/**
 * Compares an expected column default with {@code pg_get_expr}'s text. The server adds casts the
 * author never wrote ({@code 'draft'::text}, {@code 'x'::character varying}), so both sides are also
 * compared with casts removed. Nothing else is normalised: {@code now()} and
 * {@code CURRENT_TIMESTAMP} are different texts, and the message shows what the server stores.
 */
final class Defaults {

    private static final Pattern CAST = Pattern.compile(
            "::(?:\"[^\"]+\"|\\w+)(?:\\s+(?:varying|precision|with|without|time|zone))*(?:\\(\\d+(?:,\\s*\\d+)?\\))?(?:\\[\\])*");

    private Defaults() {
    }

    static boolean matches(String expected, String found) {
        if (found == null) {
            return false;
        }
        return expected.equals(found) || stripCasts(expected).equals(stripCasts(found));
    }

    static String stripCasts(String expr) {
        return CAST.matcher(expr.strip()).replaceAll("");
    }
}
