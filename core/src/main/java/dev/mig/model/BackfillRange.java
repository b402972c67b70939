package dev.mig.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {range}} of a backfill's {@code statement}: the batch's key range as a condition,
 * {@code "id" > '5000'::bigint AND "id" <= '6000'::bigint} (the first batch has no lower bound);
 * {@code {range o}} qualifies the key with {@code o.}. The keys are SQL literals cast to the key's type.
 */
public final class BackfillRange {

    public static final Pattern PATTERN = Pattern.compile("\\{range(?:\\s+([A-Za-z_][A-Za-z0-9_]*))?\\}");

    private BackfillRange() {
    }

    /** {@code statement} with each {@code {range}} replaced; {@code key} is the quoted key column, {@code lower} null for the first batch. */
    public static String expand(String statement, String key, String type, String lower, String upper) {
        Matcher m = PATTERN.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String k = (m.group(1) == null ? "" : m.group(1) + ".") + key;
            String condition = (lower == null ? "" : k + " > " + literal(lower, type) + " AND ") + k + " <= " + literal(upper, type);
            m.appendReplacement(out, Matcher.quoteReplacement("(" + condition + ")"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String literal(String value, String type) {
        return "'" + value.replace("'", "''") + "'::" + type;
    }
}
