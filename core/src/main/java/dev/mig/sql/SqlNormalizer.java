package dev.mig.sql;

/**
 * The canonical form of SQL and of Groovy closure source that step checksums are taken over, so
 * that reformatting, comments and line endings are not a change but any change of content is.
 *
 * <p>The rules are deliberately few, because every checksum ever recorded depends on them: a
 * change here must come with a new checksum algorithm version.
 *
 * <p>For SQL ({@link #normalize}):
 * <ul>
 *   <li>{@code \r\n} and {@code \r} become {@code \n} everywhere, including inside literals;</li>
 *   <li>{@code --} and (nested) block comments outside literals count as whitespace;</li>
 *   <li>each run of whitespace outside literals becomes one space; none is kept at the ends of a
 *       statement, before {@code ;}, {@code ,} and {@code )}, or after {@code (}; whitespace is
 *       never added, so {@code f(a,b)} and {@code f(a, b)} still differ;</li>
 *   <li>string literals, quoted identifiers and dollar-quoted bodies are kept exactly;</li>
 *   <li>statements are joined with {@code ;\n}, empty ones dropped, no semicolon after the last;</li>
 *   <li>keyword case is <em>not</em> normalised: {@code select} and {@code SELECT} differ.</li>
 * </ul>
 */
public final class SqlNormalizer {

    private SqlNormalizer() {
    }

    public static String normalize(String sql) {
        String unified = unifyLineEndings(sql);
        StringBuilder out = new StringBuilder(unified.length());
        for (SqlStatement statement : StatementSplitter.split(unified)) {
            if (out.length() > 0) {
                out.append(";\n");
            }
            appendStatement(statement.text(), out);
        }
        return out.toString();
    }

    private static void appendStatement(String text, StringBuilder out) {
        SqlLexer lexer = new SqlLexer(text);
        int statementStart = out.length();
        boolean pendingSpace = false;
        boolean afterOpenParen = false;
        while (lexer.next()) {
            if (lexer.isCommentOrWhitespace()) {
                pendingSpace = true;
                continue;
            }
            char first = text.charAt(lexer.start());
            boolean closing = (lexer.kind() == SqlLexer.Kind.OTHER && (first == ',' || first == ')'))
                    || lexer.kind() == SqlLexer.Kind.SEMICOLON;
            if (pendingSpace && out.length() > statementStart && !afterOpenParen && !closing) {
                out.append(' ');
            }
            pendingSpace = false;
            afterOpenParen = lexer.kind() == SqlLexer.Kind.OTHER && first == '(';
            out.append(text, lexer.start(), lexer.end());
        }
    }

    /**
     * The canonical form of Groovy source text (a closure's body): {@code //} and {@code /* *&#47;}
     * comments are dropped (Groovy block comments do not nest), each run of whitespace outside
     * string literals becomes one space, line endings inside literals become {@code \n}, and the
     * result is trimmed. Literals are {@code '...'}, {@code "..."}, {@code '''...'''} and
     * {@code """..."""} with backslash escapes.
     *
     * <p>Known limits, harmless for a checksum because they are deterministic: slashy
     * ({@code /.../}) and dollar-slashy strings are read as code, so whitespace in them is
     * collapsed; and a string nested inside a GString's {@code ${...}} ends the outer literal
     * early as far as this scanner is concerned. Newlines are collapsed too, although Groovy
     * sometimes reads them as statement ends.
     */
    public static String normalizeGroovy(String source) {
        String s = unifyLineEndings(source);
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        boolean pendingSpace = false;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int next;
            if (Character.isWhitespace(c)) {
                pendingSpace = true;
                i++;
                continue;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? n : eol;
                pendingSpace = true;
                continue;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int close = s.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                pendingSpace = true;
                continue;
            } else if (c == '\'' || c == '"') {
                next = groovyStringEnd(s, i);
            } else {
                next = i + 1;
            }
            if (pendingSpace && out.length() > 0) {
                out.append(' ');
            }
            pendingSpace = false;
            out.append(s, i, next);
            i = next;
        }
        return out.toString();
    }

    /** The index just past the string literal opening at {@code start}, or the text's end. */
    private static int groovyStringEnd(String s, int start) {
        char quote = s.charAt(start);
        String triple = String.valueOf(quote).repeat(3);
        boolean isTriple = s.startsWith(triple, start);
        int i = start + (isTriple ? 3 : 1);
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (isTriple ? s.startsWith(triple, i) : c == quote) {
                return i + (isTriple ? 3 : 1);
            } else {
                i++;
            }
        }
        return n;
    }

    private static String unifyLineEndings(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }
}
