package dev.mig.text;

/**
 * Text that mig writes into plan files or hints for users to paste: Groovy source fragments. Every
 * name that reaches Groovy text (a file name, a plan or step name) goes through here, so that no
 * character of it can end the string or comment it sits in and turn the rest into code.
 */
public final class GroovyText {

    private GroovyText() {
    }

    /** A single-quoted Groovy string of any text: its value is exactly {@code text}. */
    public static String literal(String text) {
        return "'" + escape(text) + "'";
    }

    /**
     * What goes between single quotes: {@code \}, {@code '} and {@code $} escaped, and every
     * control, line-separating or invisible formatting character as {@code \}{@code uXXXX}, which
     * Groovy reads back as that character.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '$' -> out.append("\\$");
                default -> {
                    if (hidden(c)) {
                        out.append(unicodeEscape(c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * Text for the inside of a {@code //} or {@code /* *}{@code /} comment: a carriage return (which
     * ends a Groovy line comment), every other control, line-separating or invisible formatting
     * character, and {@code *}{@code /} are written as visible escapes, so the comment ends where
     * mig ends it. Groovy does not decode {@code \}{@code uXXXX} in comments, so the escape stays text.
     */
    public static String comment(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (hidden(c)) {
                out.append(unicodeEscape(c));
            } else if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                out.append("*\\");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Characters that end a line, change how text reads, or cannot be seen. */
    private static boolean hidden(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT;
    }

    private static String unicodeEscape(char c) {
        return String.format("\\u%04X", (int) c);
    }
}
