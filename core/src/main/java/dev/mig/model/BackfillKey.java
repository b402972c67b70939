package dev.mig.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * A backfill's last key as the journal's {@code progress.last_key} holds it: the column's text
 * ({@code 5000}) for a one-column key, a JSON array of the columns' texts ({@code ["7", "acme"]})
 * for a composite one. Each text is the value's {@code ::text} and is bound back cast to its
 * column's type, so any type with an order and a text form resumes exactly (int, text, uuid,
 * timestamps, numeric).
 */
public final class BackfillKey {

    private BackfillKey() {
    }

    /** The stored text of a key's column values. */
    public static String encode(List<String> values) {
        if (values.size() == 1) {
            return values.get(0);
        }
        StringBuilder s = new StringBuilder("[");
        for (String v : values) {
            s.append(s.length() > 1 ? ", " : "").append('"');
            for (char c : v.toCharArray()) {
                switch (c) {
                    case '"' -> s.append("\\\"");
                    case '\\' -> s.append("\\\\");
                    case '\n' -> s.append("\\n");
                    case '\r' -> s.append("\\r");
                    case '\t' -> s.append("\\t");
                    default -> s.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            s.append('"');
        }
        return s.append(']').toString();
    }

    /**
     * The column values of a stored key of {@code columns} columns; null for null.
     *
     * @throws IllegalArgumentException when the text is no key of that many columns (the table's key changed)
     */
    public static List<String> decode(String stored, int columns) {
        if (stored == null) {
            return null;
        }
        if (columns == 1) {
            return List.of(stored);
        }
        List<String> values = strings(stored);
        if (values == null || values.size() != columns) {
            throw new IllegalArgumentException("the journal's last key " + stored + " is not a key of " + columns + " columns");
        }
        return values;
    }

    /** The key as {@code mig status} shows it: {@code 5000}, or {@code (7, acme)} for a composite one; null for null. */
    public static String show(String stored) {
        List<String> values = values(stored);
        return values == null || values.size() < 2 ? stored : "(" + String.join(", ", values) + ")";
    }

    /**
     * The column texts of a stored key whose column count is not known ({@code mig status}): a
     * JSON array of two or more strings is a composite key, anything else one column's text.
     */
    public static List<String> values(String stored) {
        if (stored == null) {
            return null;
        }
        List<String> values = strings(stored);
        return values == null || values.size() < 2 ? List.of(stored) : values;
    }

    /** The strings of a JSON array of strings, or null when the text is not one. */
    private static List<String> strings(String text) {
        String s = text.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return null;
        }
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode value : Json.MAPPER.readTree(s)) {
                if (!value.isTextual()) {
                    return null;
                }
                out.add(value.textValue());
            }
            return out;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** Jackson, loaded only for a key that looks like a JSON array. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
