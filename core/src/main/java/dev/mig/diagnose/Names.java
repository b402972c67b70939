package dev.mig.diagnose;

import dev.mig.catalog.Identifiers;
import dev.mig.text.GroovyText;

import java.util.List;
import java.util.regex.Pattern;

/** Names as hints show them: for reading ({@code kb.chunks}) and as plan text to paste ({@code 'kb.chunks'}). */
final class Names {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private Names() {
    }

    /** {@code schema.name}, unquoted, the way cleanup reports name things. */
    static String display(String schema, String name) {
        return schema == null ? name : schema + "." + name;
    }

    /**
     * The name as a plan writes it in a cleanup word, a Groovy string literal: unqualified when the
     * schema is the first of the plan's searchPath (where the word looks first), parts quoted where
     * the server would not read them back unchanged ({@code '"My Table"'}).
     */
    static String dsl(String schema, String name, List<String> searchPath) {
        String text = schema == null || (!searchPath.isEmpty() && schema.equals(searchPath.get(0)))
                ? sqlIdent(name)
                : sqlIdent(schema) + "." + sqlIdent(name);
        return literal(text);
    }

    /** A Groovy string literal of any text: {@code 'it\'s'}. */
    static String literal(String text) {
        return GroovyText.literal(text);
    }

    /** An identifier as SQL text to paste: bare when the server reads it back unchanged, quoted otherwise. */
    static String sqlIdent(String ident) {
        return PLAIN.matcher(ident).matches() ? ident : Identifiers.quote(ident);
    }

    /** {@code 1 row}, {@code 3 rows}. */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
