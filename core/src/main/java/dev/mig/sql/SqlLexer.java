package dev.mig.sql;

/**
 * Walks PostgreSQL text one token at a time, just far enough to know where strings, quoted
 * identifiers, dollar bodies and comments begin and end. It is not a parser: anything that is
 * not one of those is a word, whitespace, a semicolon or a single punctuation character.
 *
 * <p>The splitter and the normalizer both read the text through this class, so they can never
 * disagree about what is quoted. It allocates nothing per token (callers read {@link #kind()},
 * {@link #start()} and {@link #end()} after each {@link #next()}), which keeps a 5 MB script fast.
 *
 * <p>Unterminated strings, identifiers, dollar bodies and comments run to the end of the text
 * and are reported as {@link #unterminated()}; the server gives the real error later.
 *
 * <p>Ordinary {@code '...'} strings follow {@code standard_conforming_strings = on} (the default
 * since PostgreSQL 9.1): a backslash in them is a plain character.
 */
final class SqlLexer {

    enum Kind {
        /** Spaces, tabs, line breaks, form feeds. */
        WHITESPACE,
        /** {@code -- ...} up to (not including) the line break. */
        LINE_COMMENT,
        /** {@code /* ... *&#47;}, nesting as in PostgreSQL. */
        BLOCK_COMMENT,
        /** {@code '...'}, {@code E'...'}, {@code U&'...'} with their prefix. */
        STRING,
        /** {@code "..."} or {@code U&"..."}. */
        QUOTED_IDENTIFIER,
        /** {@code $$...$$} or {@code $tag$...$tag$}, delimiters included. */
        DOLLAR_QUOTED,
        /** Keywords, identifiers, numbers, parameters such as {@code $1}. */
        WORD,
        SEMICOLON,
        /** Any other single character: operators and punctuation. */
        OTHER
    }

    private final String text;
    private int pos;
    private Kind kind;
    private int start;
    private boolean unterminated;

    SqlLexer(String text) {
        this.text = text;
    }

    /** Moves to the next token; false at the end of the text. */
    boolean next() {
        int n = text.length();
        if (pos >= n) {
            return false;
        }
        start = pos;
        unterminated = false;
        char c = text.charAt(pos);
        if (isWhitespace(c)) {
            while (pos < n && isWhitespace(text.charAt(pos))) {
                pos++;
            }
            kind = Kind.WHITESPACE;
        } else if (c == '-' && peek(1) == '-') {
            lineComment();
        } else if (c == '/' && peek(1) == '*') {
            blockComment();
        } else if (c == '\'') {
            pos++;
            standardString();
        } else if (c == '"') {
            pos++;
            quotedIdentifier();
        } else if ((c == 'E' || c == 'e') && peek(1) == '\'') {
            pos += 2;
            escapeString();
        } else if ((c == 'U' || c == 'u') && peek(1) == '&' && peek(2) == '\'') {
            // U&'...' doubles quotes like a standard string; its backslash escapes name code
            // points and cannot hide a quote, so the standard rules find the end correctly.
            pos += 3;
            standardString();
        } else if ((c == 'U' || c == 'u') && peek(1) == '&' && peek(2) == '"') {
            pos += 3;
            quotedIdentifier();
        } else if (c == '$' && dollarTagEnd(pos) > 0) {
            dollarQuoted();
        } else if (c == '$' && isDigit(peek(1))) {
            // $1: a parameter, never a dollar quote
            pos++;
            while (pos < n && isDigit(text.charAt(pos))) {
                pos++;
            }
            kind = Kind.WORD;
        } else if (isIdentStart(c) || isDigit(c)) {
            // Numbers are lexed as words too: nothing downstream needs to tell them apart.
            pos++;
            while (pos < n && isIdentPart(text.charAt(pos))) {
                pos++;
            }
            kind = Kind.WORD;
        } else if (c == ';') {
            pos++;
            kind = Kind.SEMICOLON;
        } else {
            pos++;
            kind = Kind.OTHER;
        }
        return true;
    }

    Kind kind() {
        return kind;
    }

    int start() {
        return start;
    }

    int end() {
        return pos;
    }

    boolean unterminated() {
        return unterminated;
    }

    /** True for the token just read being the given word, compared case-insensitively. */
    boolean isWord(String word) {
        return kind == Kind.WORD && pos - start == word.length()
                && text.regionMatches(true, start, word, 0, word.length());
    }

    boolean isCommentOrWhitespace() {
        return kind == Kind.WHITESPACE || kind == Kind.LINE_COMMENT || kind == Kind.BLOCK_COMMENT;
    }

    private void lineComment() {
        int n = text.length();
        pos += 2;
        // PostgreSQL ends a -- comment at either \n or \r
        while (pos < n && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
            pos++;
        }
        kind = Kind.LINE_COMMENT;
    }

    private void blockComment() {
        int n = text.length();
        pos += 2;
        int depth = 1;
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
                if (depth == 0) {
                    kind = Kind.BLOCK_COMMENT;
                    return;
                }
            } else {
                pos++;
            }
        }
        kind = Kind.BLOCK_COMMENT;
        unterminated = true;
    }

    /** After the opening quote; {@code ''} is a quote inside the string. */
    private void standardString() {
        kind = Kind.STRING;
        closeQuoted('\'');
    }

    private void quotedIdentifier() {
        kind = Kind.QUOTED_IDENTIFIER;
        closeQuoted('"');
    }

    private void closeQuoted(char quote) {
        int n = text.length();
        while (pos < n) {
            if (text.charAt(pos) == quote) {
                if (peek(1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    return;
                }
            } else {
                pos++;
            }
        }
        unterminated = true;
    }

    /** After {@code E'}: a backslash escapes the next character, and {@code ''} still works. */
    private void escapeString() {
        kind = Kind.STRING;
        int n = text.length();
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == '\\') {
                pos += 2;
            } else if (c == '\'') {
                if (peek(1) == '\'') {
                    pos += 2;
                } else {
                    pos++;
                    return;
                }
            } else {
                pos++;
            }
        }
        pos = n; // a trailing backslash may have stepped past the end
        unterminated = true;
    }

    private void dollarQuoted() {
        kind = Kind.DOLLAR_QUOTED;
        int tagEnd = dollarTagEnd(pos);
        String tag = text.substring(pos, tagEnd);
        int close = text.indexOf(tag, tagEnd);
        if (close < 0) {
            pos = text.length();
            unterminated = true;
        } else {
            pos = close + tag.length();
        }
    }

    /**
     * If a dollar-quote delimiter ({@code $$} or {@code $tag$}, the tag an identifier without
     * {@code $}) starts at {@code at}, the index just past it; otherwise -1.
     */
    private int dollarTagEnd(int at) {
        int n = text.length();
        int i = at + 1;
        if (i < n && text.charAt(i) == '$') {
            return i + 1;
        }
        if (i >= n || !isIdentStart(text.charAt(i))) {
            return -1;
        }
        i++;
        while (i < n && isIdentPart(text.charAt(i)) && text.charAt(i) != '$') {
            i++;
        }
        return i < n && text.charAt(i) == '$' ? i + 1 : -1;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < text.length() ? text.charAt(i) : '\0';
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** As PostgreSQL's scanner: ASCII letters, underscore and any non-ASCII character. */
    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }
}
