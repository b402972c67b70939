package dev.mig.sql;

import dev.mig.sql.OtherDialects.Use;
import dev.mig.sql.SqlTokens.Token;
import dev.mig.text.GroovyText;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of one statement as {@link DialectScan} reads them: words at a place, names
 * ({@code s.a}, {@code `a`}, {@code "A"}), parentheses and comma-separated parts, the source text
 * of a run of tokens; and the uses found so far.
 */
abstract class DialectTokens {

    final String sql;
    final List<Token> t;
    final List<Use> out = new ArrayList<>();

    DialectTokens(String sql, List<Token> tokens) {
        this.sql = sql;
        this.t = tokens;
    }

    void syntax(int from, int to, String problem, String instead) {
        out.add(new Use(t.get(from).start(), text(from, to), problem, instead, Use.Kind.SYNTAX, null));
    }

    /** The source text of tokens {@code from} to {@code to}, both included. */
    String text(int from, int to) {
        Token last = t.get(Math.min(Math.max(from, to), t.size() - 1));
        return sql.substring(t.get(from).start(), last.start() + last.text().length());
    }

    /** The index after a name ({@code a}, {@code s.a}, {@code `a`}, {@code "A"}) starting at {@code i}; -1 when none. */
    int nameEnd(int i) {
        int end = part(i);
        while (end > 0 && punctuation(end, '.') && part(end + 1) > 0) {
            end = part(end + 1);
        }
        return end;
    }

    int part(int i) {
        if (backtick(i)) {
            int close = closingBacktick(i);
            return close < 0 ? -1 : close + 1;
        }
        return i < t.size() && t.get(i).isName() ? i + 1 : -1;
    }

    /** The name at {@code i} as written, without backticks; {@code name} when there is none. */
    String nameText(int i) {
        int end = nameEnd(i);
        return end < 0 ? "name" : text(i, end - 1).replace("`", "");
    }

    /** A name as a Groovy string in a guard: {@code 'orders'}. */
    static String dsl(String name) {
        return GroovyText.literal(name);
    }

    int close(int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            if (punctuation(i, '(')) {
                depth++;
            } else if (punctuation(i, ')') && --depth == 0) {
                return i;
            }
        }
        return t.size() - 1;
    }

    /** The {from, to} token ranges of {@code [from, to)} between commas outside parentheses. */
    List<int[]> splitCommas(int from, int to) {
        List<int[]> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            if (punctuation(i, '(')) {
                depth++;
            } else if (punctuation(i, ')')) {
                depth--;
            } else if (depth == 0 && punctuation(i, ',')) {
                if (i > start) {
                    parts.add(new int[]{start, i});
                }
                start = i + 1;
            }
        }
        if (to > start) {
            parts.add(new int[]{start, to});
        }
        return parts;
    }

    int find(int from, int to, String word) {
        for (int i = from; i < to; i++) {
            if (is(i, word)) {
                return i;
            }
        }
        return -1;
    }

    boolean is(int i, String word) {
        return i >= 0 && i < t.size() && t.get(i).is(word);
    }

    boolean punctuation(int i, char c) {
        return i >= 0 && i < t.size() && t.get(i).isPunctuation(c);
    }

    boolean backtick(int i) {
        return punctuation(i, '`');
    }

    /** The backtick closing the one at {@code i} (a name of a few tokens), or -1. */
    int closingBacktick(int i) {
        if (!backtick(i)) {
            return -1;
        }
        for (int j = i + 1; j < Math.min(t.size(), i + 9); j++) {
            if (backtick(j)) {
                return j > i + 1 ? j : -1;
            }
        }
        return -1;
    }
}
