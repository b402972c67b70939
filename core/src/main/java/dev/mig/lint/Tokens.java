package dev.mig.lint;

import dev.mig.diagnose.Creations;
import dev.mig.sql.SqlTokens.Token;

import java.util.ArrayList;
import java.util.List;

/** Small readings of a statement's tokens that lint needs beside those of Creations and StatementShapes. */
final class Tokens {

    private Tokens() {
    }

    /** The words appear at {@code i}, one after another. */
    static boolean at(List<Token> t, int i, String... words) {
        for (int k = 0; k < words.length; k++) {
            if (!Creations.is(t, i + k, words[k])) {
                return false;
            }
        }
        return true;
    }

    static boolean punctuation(List<Token> t, int i, char c) {
        return i >= 0 && i < t.size() && t.get(i).isPunctuation(c);
    }

    /** The index of the parenthesis that closes the one at {@code open}, or the end of the tokens. */
    static int close(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            if (t.get(i).isPunctuation('(')) {
                depth++;
            } else if (t.get(i).isPunctuation(')') && --depth == 0) {
                return i;
            }
        }
        return t.size();
    }

    /** The parts of {@code t[from, to)} between commas outside parentheses, each as its own list. */
    static List<List<Token>> splitCommas(List<Token> t, int from, int to) {
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            Token token = t.get(i);
            if (token.isPunctuation('(') || token.isPunctuation('[')) {
                depth++;
            } else if (token.isPunctuation(')') || token.isPunctuation(']')) {
                depth--;
            } else if (depth == 0 && token.isPunctuation(',')) {
                if (i > start) {
                    parts.add(t.subList(start, i));
                }
                start = i + 1;
            }
        }
        if (to > start) {
            parts.add(t.subList(start, to));
        }
        return parts;
    }

    /** The first index at or after {@code from}, outside parentheses, of one of these words; -1 when none. */
    static int find(List<Token> t, int from, String... words) {
        int depth = 0;
        for (int i = from; i < t.size(); i++) {
            Token token = t.get(i);
            if (token.isPunctuation('(')) {
                depth++;
            } else if (token.isPunctuation(')')) {
                depth--;
            } else if (depth == 0) {
                for (String w : words) {
                    if (token.is(w)) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** The source text from token {@code from} to token {@code to - 1}, as written. */
    static String text(String sql, List<Token> t, int from, int to) {
        if (from >= to || from >= t.size()) {
            return "";
        }
        Token last = t.get(Math.min(to, t.size()) - 1);
        return sql.substring(t.get(from).start(), last.start() + last.text().length());
    }

    /**
     * The source text from token {@code from} to token {@code to - 1} on one line: comments left
     * out and each run of whitespace between tokens made one space, so that string literals keep
     * their text exactly.
     */
    static String oneLine(String sql, List<Token> t, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < Math.min(to, t.size()); i++) {
            Token token = t.get(i);
            if (i > from) {
                Token previous = t.get(i - 1);
                if (token.start() > previous.start() + previous.text().length()) {
                    out.append(' ');
                }
            }
            out.append(token.text());
        }
        return out.toString();
    }

    /** How many tokens a name at {@code i} takes: 3 for {@code schema.name}, 1 for {@code name}. */
    static int width(String[] name) {
        return name[0] == null ? 1 : 3;
    }

    /**
     * The columns a CHECK expression proves not null: each {@code col IS NOT NULL} of a conjunction.
     * An expression with OR proves nothing here (PostgreSQL's own proof is wider; this errs towards
     * reporting).
     */
    static List<String> notNullColumns(List<Token> expression) {
        List<String> out = new ArrayList<>();
        for (Token token : expression) {
            if (token.is("OR")) {
                return List.of();
            }
        }
        for (int i = 0; i + 3 < expression.size(); i++) {
            if (expression.get(i).isName() && at(expression, i + 1, "IS", "NOT", "NULL")) {
                out.add(expression.get(i).identifier());
            }
        }
        return out;
    }

    /** {@code [ONLY] a [*], b.c, ...} from {@code i} up to a word that is not a name list (CASCADE, RESTART, IN, ...). */
    static List<String[]> names(List<Token> t, int i) {
        List<String[]> out = new ArrayList<>();
        while (i < t.size()) {
            if (at(t, i, "ONLY")) {
                i++;
            }
            String[] name = Creations.name(t, i);
            if (name == null || isKeywordAfterNames(t.get(i))) {
                break;
            }
            out.add(name);
            i += width(name);
            if (punctuation(t, i, '*')) {
                i++;
            }
            if (punctuation(t, i, '(')) {
                i = close(t, i) + 1; // VACUUM's column list
            }
            if (!punctuation(t, i, ',')) {
                break;
            }
            i++;
        }
        return out;
    }

    private static boolean isKeywordAfterNames(Token token) {
        return token.kind() == Token.Kind.WORD && switch (token.upper()) {
            case "CASCADE", "RESTRICT", "RESTART", "CONTINUE", "IN", "NOWAIT", "USING" -> true;
            default -> false;
        };
    }
}
