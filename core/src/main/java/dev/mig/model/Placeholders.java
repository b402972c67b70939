package dev.mig.model;

import dev.mig.api.SourceLocation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The values of a plan's {@code ${name}} placeholders and where each came from ("the plan",
 * "environment 'prod' of mig.groovy", "--set", "MigRunner.placeholders"). A name the plan declares
 * with a null value ({@code placeholders prefix: null}, as {@code mig import} writes them) has
 * none yet: using it is a plan error. {@code replace} false is the plan's
 * {@code placeholderReplacement false}: its SQL is run as written.
 */
public record Placeholders(Map<String, String> values, Map<String, String> sources, SourceLocation declaredAt,
                           boolean replace) {

    public static final Placeholders NONE = new Placeholders(Map.of(), Map.of(), null, true);

    /** Built-ins, with the Flyway names that mean the same (so Flyway-imported SQL runs unchanged). */
    public static final Map<String, String> SESSION_BUILT_INS = Map.of(
            "mig:user", "mig:user", "mig:database", "mig:database", "mig:schema", "mig:schema",
            "flyway:user", "mig:user", "flyway:database", "mig:database", "flyway:defaultSchema", "mig:schema");

    private static final Pattern SECRET = Pattern.compile("(?i).*(password|passwd|secret|token|key|credential).*");

    public Placeholders {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** These values win over the ones held so far (the order: plan, environment, --set or the API). */
    public Placeholders with(Map<String, ?> given, String source) {
        if (given == null || given.isEmpty()) {
            return this;
        }
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> s = new LinkedHashMap<>(sources);
        given.forEach((name, value) -> {
            v.put(name, value == null ? null : value.toString());
            s.put(name, source);
        });
        return new Placeholders(v, s, declaredAt, replace);
    }

    /** A value as the journal and reports show it: {@code ***} for a name that looks secret. */
    public static String shown(String name, String value) {
        return SECRET.matcher(name).matches() ? "***" : value;
    }

    /** The values that have one, secrets masked ({@link #shown(String, String)}), in declaration order. */
    public Map<String, String> shown() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value != null) {
                out.put(name, shown(name, value));
            }
        });
        return out;
    }

    /** The values that have one, secrets masked, as a JSON object; null when there are none. */
    public String shownJson() {
        StringBuilder out = new StringBuilder("{");
        values.forEach((name, value) -> {
            if (value != null) {
                out.append(out.length() > 1 ? ", " : "").append(json(name)).append(": ").append(json(shown(name, value)));
            }
        });
        return out.length() == 1 ? null : out.append('}').toString();
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
