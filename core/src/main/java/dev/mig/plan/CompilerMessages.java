package dev.mig.plan;

import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Groovy compiler messages as text. Only some message classes have a useful toString(); an
 * ExceptionMessage printed as itself was {@code ExceptionMessage@19540247}, which says nothing.
 */
final class CompilerMessages {

    private CompilerMessages() {
    }

    static String text(Message message) {
        if (message instanceof ExceptionMessage e) {
            return text(e.getCause());
        }
        if (message instanceof SyntaxErrorMessage s) {
            return s.getCause().getMessage();
        }
        if (message instanceof SimpleMessage s) {
            return s.getMessage();
        }
        StringWriter out = new StringWriter();
        message.write(new PrintWriter(out));
        String written = out.toString().strip();
        return written.isEmpty() ? message.getClass().getSimpleName() : written;
    }

    /** A throwable's own message, else its cause's, else its type: never blank, never an identity. */
    static String text(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank()) {
                String first = m.strip().lines().findFirst().orElse(m);
                return c == t ? first : first + " (" + c.getClass().getSimpleName() + ")";
            }
        }
        return t.getClass().getSimpleName();
    }

    /** What to do about the limits of the JVM's class files that a very long plan meets. */
    static String hint(Message message) {
        return message instanceof ExceptionMessage e ? hint(e.getCause()) : null;
    }

    static String hint(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StackOverflowError) {
                return "the file nests too deeply or holds one very long expression: split it up";
            }
            String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("too large") || m.contains("too many constants") || m.contains("code size")) {
                return "the JVM limits the code of one method to 64 KB: mig cuts long blocks of steps into parts, but not"
                        + " one very long expression nor thousands of local variables in one block: split them up, or read"
                        + " such data from a file";
            }
        }
        return null;
    }
}
