package dev.mig.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {range}} of a backfill's {@code statement}: the batch's key range as a condition,
 * {@code "id" > '5000'::bigint AND "id" <= '6000'::bigint} (the first batch has no lower bound);
 * {@code {range o}} qualifies the key with {@code o.}. The keys are SQL literals cast to the key's type.
 * A composite key compares rows: {@code ("tenant_id", "id") > ('7'::integer, '5000'::bigint) AND ...}.
 */
public final class BackfillRange {

    public static final Pattern PATTERN = Pattern.compile("\\{range(?:\\s+([A-Za-z_][A-Za-z0-9_]*))?\\}");

    private BackfillRange() {
    }

    /**
     * {@code statement} with each {@code {range}} replaced; {@code keys} are the quoted key columns,
     * {@code types} their types, {@code lower} null for the first batch.
     */
    public static String expand(String statement, List<String> keys, List<String> types, List<String> lower, List<String> upper) {
        Matcher m = PATTERN.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String prefix = m.group(1) == null ? "" : m.group(1) + ".";
            List<String> qualified = new ArrayList<>();
            keys.forEach(k -> qualified.add(prefix + k));
            String k = row(qualified);
            String condition = (lower == null ? "" : k + " > " + literals(lower, types) + " AND ") + k + " <= " + literals(upper, types);
            m.appendReplacement(out, Matcher.quoteReplacement("(" + condition + ")"));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code "id"}, or {@code ("a", "b")}: a key's columns (or values) as one side of a comparison. */
    public static String row(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(", ", parts) + ")";
    }

    private static String literals(List<String> values, List<String> types) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add("'" + values.get(i).replace("'", "''") + "'::" + types.get(i));
        }
        return row(out);
    }
}
