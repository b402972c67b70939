package dev.mig.verify;

import dev.mig.catalog.Catalog;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether the type a plan author wrote ({@code varchar(20)}, {@code timestamptz},
 * {@code int[]}) is the type a column has, as {@code format_type} shows it. Common aliases are
 * settled here; anything else is asked of the server, which knows every alias and extension type.
 */
final class TypeNames {

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("serial", "integer"),
            Map.entry("serial4", "integer"),
            Map.entry("int8", "bigint"), Map.entry("bigserial", "bigint"), Map.entry("serial8", "bigint"),
            Map.entry("int2", "smallint"), Map.entry("smallserial", "smallint"), Map.entry("serial2", "smallint"),
            Map.entry("bool", "boolean"),
            Map.entry("varchar", "character varying"),
            Map.entry("char", "character"), Map.entry("bpchar", "character"),
            Map.entry("float8", "double precision"), Map.entry("float", "double precision"),
            Map.entry("float4", "real"),
            Map.entry("decimal", "numeric"),
            Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timetz", "time with time zone"),
            Map.entry("time", "time without time zone"));

    /** A base name, an optional modifier, an optional time zone clause, then array brackets. */
    private static final Pattern SHAPE = Pattern.compile(
            "^(.*?)(\\([^)]*\\))?( with(?:out)? time zone)?((?:\\[\\d*\\])*)$");

    private TypeNames() {
    }

    static boolean matches(String expected, String found, Catalog catalog) {
        if (found == null || expected == null) {
            return false;
        }
        if (normalise(expected).equals(normalise(found))) {
            return true;
        }
        String rendered = serverRendering(expected, catalog);
        return rendered != null && normalise(rendered).equals(normalise(found));
    }

    /** Lower case, single spaces, no spaces inside modifiers, aliases replaced by format_type's names. */
    static String normalise(String type) {
        // a verify block of a thousand tables asks about the same few types again and again
        return NORMALISED.computeIfAbsent(type, TypeNames::normaliseOnce);
    }

    private static final Map<String, String> NORMALISED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern OPEN = Pattern.compile("\\s*\\(\\s*");
    private static final Pattern COMMA = Pattern.compile("\\s*,\\s*");
    private static final Pattern CLOSE = Pattern.compile("\\s*\\)");
    private static final Pattern BRACKET = Pattern.compile("\\s*\\[");
    private static final Pattern BOUND = Pattern.compile("\\[\\d+\\]");

    private static String normaliseOnce(String type) {
        String t = SPACES.matcher(type.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
        t = OPEN.matcher(t).replaceAll("(");
        t = COMMA.matcher(t).replaceAll(",");
        t = CLOSE.matcher(t).replaceAll(")");
        t = BRACKET.matcher(t).replaceAll("[");
        t = BOUND.matcher(t).replaceAll("[]");
        Matcher m = SHAPE.matcher(t);
        if (!m.matches()) {
            return t;
        }
        String base = m.group(1).strip();
        String modifier = m.group(2) == null ? "" : m.group(2);
        String zone = m.group(3) == null ? "" : m.group(3);
        String arrays = m.group(4);
        if (base.equals("timestamptz") || base.equals("timetz")) {
            // the zone clause follows the modifier: timestamp(3) with time zone
            return base.substring(0, base.length() - 2) + modifier + " with time zone" + arrays;
        }
        if ((base.equals("timestamp") || base.equals("time")) && zone.isEmpty()) {
            return base + modifier + " without time zone" + arrays;
        }
        if (base.equals("character varying") || base.equals("character") || base.equals("double precision")) {
            return base + modifier + zone + arrays;
        }
        return ALIASES.getOrDefault(base, base) + modifier + zone + arrays;
    }

    /**
     * {@code format_type} of what the server makes of the text (typmod included on PostgreSQL 17,
     * which has {@code to_regtypemod}); null when it is not a type or the server cannot parse it.
     */
    private static String serverRendering(String expected, Catalog catalog) {
        try {
            return catalog.attempt(() -> catalog.serverVersion() >= 170000
                    ? (String) catalog.value("SELECT format_type(to_regtype(?), to_regtypemod(?))", expected, expected)
                    : (String) catalog.value("SELECT format_type(to_regtype(?), NULL)", expected));
        } catch (RuntimeException notAType) {
            return null;
        }
    }
}
