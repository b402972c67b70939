package dev.mig.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${name}} placeholders in SQL text. A name is a letter or {@code _}, then letters, digits,
 * {@code _}, {@code .} or {@code -}, with an optional {@code prefix:} ({@code ${mig:schema}},
 * {@code ${flyway:user}}). They are found everywhere in the text, string literals and comments
 * included, as Flyway finds them; {@code \${name}} is the escape and stands for the text
 * {@code ${name}}. {@code ${} followed by anything that is not a name and {@code }} is not a
 * placeholder ({@code $$}, {@code $tag$} dollar quotes and {@code ${"a": 1}} are left alone).
 */
public final class PlaceholderText {

    private static final Pattern PLACEHOLDER = Pattern.compile("(\\\\?)\\$\\{((?:[A-Za-z]\\w*:)?[A-Za-z_][\\w.\\-]*)}");

    private PlaceholderText() {
    }

    /** One placeholder in a text: its name and the 1-based line it is on. */
    public record Use(String name, int line) {
    }

    /** The placeholders of {@code text}, in order, escaped ones left out. */
    public static List<Use> find(String text) {
        List<Use> out = new ArrayList<>();
        if (text == null || !text.contains("${")) {
            return out;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        int line = 1;
        int counted = 0;
        while (m.find()) {
            for (int i = counted; i < m.start(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            counted = m.start();
            if (m.group(1).isEmpty()) {
                out.add(new Use(m.group(2), line));
            }
        }
        return out;
    }

    /**
     * {@code text} with each placeholder for which {@code value} gives a value replaced by it
     * (names it gives null for are left as written); with {@code unescape} (the last pass) each
     * escaped one is unescaped, without it left as written for a later pass.
     */
    public static String replace(String text, Function<String, String> value, boolean unescape) {
        if (text == null || !text.contains("${")) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = unescape ? "${" + m.group(2) + "}" : m.group();
            } else {
                String v = value.apply(m.group(2));
                replacement = v == null ? m.group() : v;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
