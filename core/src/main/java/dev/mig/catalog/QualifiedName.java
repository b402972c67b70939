package dev.mig.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A possibly schema-qualified name as PostgreSQL stores it. {@link #parse} reads the text a plan
 * author writes ({@code kb.chunks}, {@code "Kb"."My.Table"}) with the server's rules: unquoted
 * parts fold to lower case, quoted parts are kept exactly.
 *
 * @param schema null when the text named no schema (resolve it through the search path)
 */
public record QualifiedName(String schema, String name) {

    /** PostgreSQL's NAMEDATALEN - 1: the server silently truncates longer names to this many bytes. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    public QualifiedName {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name is empty");
        }
    }

    /** A relation-style name: {@code name} or {@code schema.name}. */
    public static QualifiedName parse(String text) {
        List<String> parts = parts(text);
        if (parts.size() > 2) {
            throw new IllegalArgumentException("invalid name '" + text + "': expected name or schema.name, found "
                    + parts.size() + " dotted parts");
        }
        return parts.size() == 1 ? new QualifiedName(null, parts.get(0)) : new QualifiedName(parts.get(0), parts.get(1));
    }

    /** A single identifier (a column, a schema, a role): no dots outside quotes. */
    public static String parseIdentifier(String text) {
        List<String> parts = parts(text);
        if (parts.size() != 1) {
            throw new IllegalArgumentException("invalid name '" + text + "': expected a single identifier, found "
                    + parts.size() + " dotted parts");
        }
        return parts.get(0);
    }

    /**
     * Splits dotted text into identifiers, folding and unquoting each. Whitespace around a part is
     * ignored, as the server ignores it. Parts longer than 63 bytes are truncated the way the
     * server truncates them, so a lookup finds what {@code CREATE} actually stored.
     */
    public static List<String> parts(String text) {
        if (text == null) {
            throw new IllegalArgumentException("name is null");
        }
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder part = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                int start = i;
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            part.append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    part.append(c);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("invalid name '" + text + "': unterminated quote starting at position " + (start + 1));
                }
                if (part.length() == 0) {
                    throw new IllegalArgumentException("invalid name '" + text + "': empty quoted identifier");
                }
            } else {
                while (i < n && text.charAt(i) != '.' && text.charAt(i) != '"' && !Character.isWhitespace(text.charAt(i))) {
                    part.append(foldAscii(text.charAt(i)));
                    i++;
                }
                if (part.length() == 0) {
                    throw new IllegalArgumentException("invalid name '" + text + "': empty name part");
                }
            }
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String value = part.toString();
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid name '" + text + "': contains a NUL character");
            }
            parts.add(truncate(value));
            if (i == n) {
                return parts;
            }
            if (text.charAt(i) != '.') {
                throw new IllegalArgumentException("invalid name '" + text + "': unexpected '" + text.charAt(i)
                        + "' at position " + (i + 1));
            }
            i++;
        }
    }

    /** The server folds only ASCII letters in a UTF-8 database; so do we. */
    private static char foldAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** Cuts to 63 bytes on a character boundary, like the server's truncate_identifier. */
    static String truncate(String ident) {
        byte[] bytes = ident.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_IDENTIFIER_BYTES) {
            return ident;
        }
        int end = 0;
        int bytesUsed = 0;
        while (end < ident.length()) {
            int cp = ident.codePointAt(end);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytesUsed + len > MAX_IDENTIFIER_BYTES) {
                break;
            }
            bytesUsed += len;
            end += Character.charCount(cp);
        }
        return ident.substring(0, end);
    }

    /** SQL text for this name, through the one quoting helper. */
    public String quoted() {
        return Identifiers.qualified(schema, name);
    }

    /** How a plan author would read it back: {@code kb.chunks}, unquoted. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
