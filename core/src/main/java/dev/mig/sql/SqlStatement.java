package dev.mig.sql;

/**
 * One statement of a script, as the splitter found it.
 *
 * @param text        the statement exactly as written, without its terminating semicolon and
 *                    without surrounding whitespace or leading comments
 * @param startLine   1-based line of the source where {@code text} begins
 * @param startOffset 0-based character offset of {@code text} in the source
 */
public record SqlStatement(String text, int startLine, int startOffset) {

    /**
     * The source line holding an error position as PostgreSQL reports it: a 1-based character
     * index into the statement text that was sent. Out-of-range positions are clamped.
     */
    public int lineOfPosition(int position) {
        int index = indexOf(position);
        return startLine + lineBreaks(text, 0, index);
    }

    /**
     * The line of the statement holding {@code position}, then a line with {@code ^} under that
     * character. Tabs before it are repeated as tabs so the caret lines up in a terminal.
     * A position just past the end (as in "syntax error at end of input") puts the caret after
     * the last character.
     */
    public String caretExcerpt(int position) {
        int index = indexOf(position);
        int lineStart = index;
        while (lineStart > 0 && text.charAt(lineStart - 1) != '\n' && text.charAt(lineStart - 1) != '\r') {
            lineStart--;
        }
        int lineEnd = index;
        while (lineEnd < text.length() && text.charAt(lineEnd) != '\n' && text.charAt(lineEnd) != '\r') {
            lineEnd++;
        }
        StringBuilder out = new StringBuilder().append(text, lineStart, lineEnd).append('\n');
        for (int i = lineStart; i < index; i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                out.append('\t');
            } else if (!Character.isLowSurrogate(c)) {
                // one column per code point, not per UTF-16 unit
                out.append(' ');
            }
        }
        return out.append('^').toString();
    }

    /**
     * The Java index for a server position. The server counts characters (code points), Java
     * counts UTF-16 units, so they differ after any character outside the BMP.
     */
    private int indexOf(int position) {
        int codePoints = text.codePointCount(0, text.length());
        int wanted = Math.max(0, Math.min(position - 1, codePoints));
        return text.offsetByCodePoints(0, wanted);
    }

    /** Line breaks in {@code s[from, to)}: {@code \n}, {@code \r\n} or a lone {@code \r} each count once. */
    static int lineBreaks(CharSequence s, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n'))) {
                count++;
            }
        }
        return count;
    }
}
