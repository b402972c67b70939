package dev.mig.diagnose;

import dev.mig.sql.SqlTokens;
import dev.mig.sql.SqlTokens.Token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The few statement shapes hints (and {@code mig lint}) read from a statement's tokens:
 * foreign-key clauses, column lists, the names of relations it mentions. Not a parser: what it
 * cannot read it leaves out, and the hint says less.
 */
public final class StatementShapes {

    /**
     * A foreign key as far as hints and lint need it: its name (null when the server names it), its
     * columns; {@code refColumns} empty means the referenced table's primary key.
     */
    public record ForeignKey(String name, List<String> columns, String refSchema, String refTable, List<String> refColumns) {
    }

    private StatementShapes() {
    }

    /**
     * Every {@code [CONSTRAINT c] FOREIGN KEY (a, b) REFERENCES t [(x, y)]} and every column form
     * {@code ADD [COLUMN] [IF NOT EXISTS] a type ... REFERENCES t [(x)]} of an ALTER TABLE.
     */
    public static List<ForeignKey> foreignKeys(List<Token> t) {
        List<ForeignKey> out = new ArrayList<>();
        for (int j = 0; j < t.size(); j++) {
            if (!t.get(j).is("REFERENCES")) {
                continue;
            }
            String[] ref = Creations.name(t, j + 1);
            if (ref == null) {
                continue;
            }
            int after = j + (ref[0] == null ? 2 : 4);
            List<String> refColumns = after < t.size() && t.get(after).isPunctuation('(') ? names(t, after) : List.of();
            if (refColumns == null) {
                continue;
            }
            List<String> columns = null;
            String name = null;
            if (j >= 1 && t.get(j - 1).isPunctuation(')')) {
                int open = openingParen(t, j - 1);
                if (open >= 2 && t.get(open - 1).is("KEY") && t.get(open - 2).is("FOREIGN")) {
                    columns = names(t, open);
                    if (open >= 4 && t.get(open - 4).is("CONSTRAINT")) {
                        name = t.get(open - 3).identifier();
                    }
                }
            } else {
                int add = j - 1;
                while (add >= 0 && !t.get(add).is("ADD") && !t.get(add).isPunctuation(',')) {
                    add--;
                }
                if (add >= 0 && t.get(add).is("ADD")) {
                    int k = add + 1;
                    if (Creations.is(t, k, "COLUMN")) {
                        k++;
                    }
                    if (Creations.is(t, k, "IF") && Creations.is(t, k + 1, "NOT") && Creations.is(t, k + 2, "EXISTS")) {
                        k += 3;
                    }
                    if (k < j && t.get(k).isName()) {
                        columns = List.of(t.get(k).identifier());
                    }
                    for (int c = k; c < j - 1; c++) {
                        if (t.get(c).is("CONSTRAINT")) {
                            name = t.get(c + 1).identifier();
                        }
                    }
                }
            }
            if (columns != null && !columns.isEmpty()) {
                out.add(new ForeignKey(name, columns, ref[0], ref[1], refColumns));
            }
        }
        return out;
    }

    /** The names of a parenthesised list starting at {@code open}; null when an item is not a single name. */
    private static List<String> names(List<Token> t, int open) {
        List<String> names = new ArrayList<>();
        boolean expectName = true;
        for (int i = open + 1; i < t.size(); i++) {
            Token token = t.get(i);
            if (token.isPunctuation(')')) {
                return expectName ? null : names;
            }
            if (expectName && token.isName() && token.identifier() != null) {
                names.add(token.identifier());
                expectName = false;
            } else if (!expectName && token.isPunctuation(',')) {
                expectName = true;
            } else {
                return null;
            }
        }
        return null;
    }

    private static int openingParen(List<Token> t, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            if (t.get(i).isPunctuation(')')) {
                depth++;
            } else if (t.get(i).isPunctuation('(')) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * A key list as the server prints it in a detail ({@code email}, {@code "Tenant", email}) read
     * into column names; null when an item is an expression ({@code lower(email)}).
     */
    static List<String> columnList(String keyText) {
        List<Token> t = new ArrayList<>();
        t.add(new Token(Token.Kind.OTHER, "(", 0));
        t.addAll(SqlTokens.of(keyText));
        t.add(new Token(Token.Kind.OTHER, ")", keyText.length()));
        List<String> names = names(t, 0);
        return names == null || names.isEmpty() ? null : names;
    }

    /** The words appear in this order, one after another. */
    public static boolean hasWords(List<Token> t, String... words) {
        for (int i = 0; i + words.length <= t.size(); i++) {
            boolean all = true;
            for (int k = 0; k < words.length && all; k++) {
                all = t.get(i + k).is(words[k]);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    public static boolean hasWordAtDepthZero(List<Token> t, String word) {
        int depth = 0;
        for (Token token : t) {
            if (token.isPunctuation('(')) {
                depth++;
            } else if (token.isPunctuation(')')) {
                depth--;
            } else if (depth == 0 && token.is(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The texts of every name and dotted pair of names in the statement, quoted for
     * {@code to_regclass}: the candidates for the relations it touches. Keywords come along and
     * simply resolve to nothing.
     */
    static Set<String> relationCandidates(List<Token> t) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < t.size(); i++) {
            String[] name = Creations.name(t, i);
            if (name == null) {
                continue;
            }
            if (name[0] != null) {
                out.add(dev.mig.catalog.Identifiers.qualified(name[0], name[1]));
                i += 2;
            } else if (!(i > 0 && t.get(i - 1).isPunctuation('.'))) {
                out.add(dev.mig.catalog.Identifiers.quote(name[1]));
            }
        }
        return out;
    }
}
