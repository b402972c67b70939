package dev.mig.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The significant tokens of a statement (comments and whitespace left out), read by the same
 * lexer as the splitter, for code that needs to recognise a few statement shapes
 * ({@code CREATE TABLE name}, {@code REFERENCES t (c)}) without a parser: a keyword inside a
 * string, a comment or a dollar body is never mistaken for one.
 */
public final class SqlTokens {

    /** One token: {@code text} as written; {@link #identifier()} for names. */
    public record Token(Kind kind, String text, int start) {

        public enum Kind { WORD, QUOTED_IDENTIFIER, STRING, DOLLAR_QUOTED, SEMICOLON, OTHER }

        /** An unquoted word that is this keyword, case-insensitively. */
        public boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        public boolean isPunctuation(char c) {
            return kind == Kind.OTHER && text.length() == 1 && text.charAt(0) == c;
        }

        public boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
        }

        /**
         * The identifier as the server stores it: a quoted one unquoted, a word folded to lower
         * case (ASCII only, as the server folds); null for other tokens.
         */
        public String identifier() {
            if (kind == Kind.QUOTED_IDENTIFIER && text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
                return text.substring(1, text.length() - 1).replace("\"\"", "\"");
            }
            if (kind == Kind.WORD) {
                StringBuilder sb = new StringBuilder(text.length());
                for (char c : text.toCharArray()) {
                    sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
                }
                return sb.toString();
            }
            return null;
        }

        public String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    private SqlTokens() {
    }

    public static List<Token> of(String sql) {
        List<Token> tokens = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);
        while (lexer.next()) {
            if (lexer.isCommentOrWhitespace()) {
                continue;
            }
            Token.Kind kind = switch (lexer.kind()) {
                case WORD -> Token.Kind.WORD;
                case QUOTED_IDENTIFIER -> Token.Kind.QUOTED_IDENTIFIER;
                case STRING -> Token.Kind.STRING;
                case DOLLAR_QUOTED -> Token.Kind.DOLLAR_QUOTED;
                case SEMICOLON -> Token.Kind.SEMICOLON;
                default -> Token.Kind.OTHER;
            };
            tokens.add(new Token(kind, sql.substring(lexer.start(), lexer.end()), lexer.start()));
        }
        return tokens;
    }
}
