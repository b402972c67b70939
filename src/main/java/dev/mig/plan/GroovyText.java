package dev.mig.plan;

/** Text that mig writes into plan files or hints for users to paste: Groovy source fragments. */
public final class GroovyText {

    private GroovyText() {
    }

    /** A single-quoted Groovy string of any text: no interpolation, only {@code \} and {@code '} escaped. */
    public static String literal(String text) {
        return "'" + escape(text) + "'";
    }

    /** What goes between single quotes: {@code it's} becomes {@code it\'s}. */
    public static String escape(String text) {
        return text.replace("\\", "\\\\").replace("'", "\\'");
    }
}
