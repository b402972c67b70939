package dev.mig.target;

/**
 * Parses a libpq keyword/value connection string, {@code host=db port=5432 dbname=app user=deploy},
 * by libpq's rules: pairs separated by whitespace, optional whitespace around {@code =}, a value in
 * single quotes may hold spaces, and a backslash escapes the next character (quoted or not).
 * Parameters go through {@link ConnectionParts#set}, so unknown names are refused as in a URL.
 *
 * <p>Syntax errors never show the string: a value with an unquoted space splits in two, and the
 * half after the space may be part of a password.
 */
final class KeywordString {

    private final String text;
    private final String source;
    private int pos;

    private KeywordString(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** Whether {@code text} reads as keyword/value pairs: it starts with {@code word =}. */
    static boolean looksLike(String text) {
        return text.strip().matches("(?s)[A-Za-z_][A-Za-z0-9_]*\\s*=.*");
    }

    static ConnectionParts parse(String text, String source) {
        return new KeywordString(text, source).parse();
    }

    private ConnectionParts parse() {
        ConnectionParts parts = new ConnectionParts(false);
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                return parts;
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != '=' && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            String keyword = text.substring(start, pos);
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '=') {
                // position, not the word: the word may be the tail of a password with a space in it
                throw fail("expected \"=\" after the word at character " + (start + 1)
                        + "; write keyword=value and quote a value that holds spaces in single quotes, 'a b'");
            }
            pos++;
            skipSpace();
            // the keyword is safe to name in messages; values are not
            parts.set(keyword, value(keyword), source, text);
        }
    }

    private String value(String keyword) {
        StringBuilder value = new StringBuilder();
        boolean quoted = pos < text.length() && text.charAt(pos) == '\'';
        if (quoted) {
            pos++;
        }
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                value.append(text.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (quoted && c == '\'') {
                pos++;
                return value.toString();
            }
            if (!quoted && Character.isWhitespace(c)) {
                break;
            }
            value.append(c);
            pos++;
        }
        if (quoted) {
            throw fail("the quoted value of " + keyword + " has no closing quote (write \\' for a quote inside it)");
        }
        return value.toString();
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private RuntimeException fail(String problem) {
        return TargetResolver.planError(source, null, "in the key=value connection string: " + problem);
    }
}
