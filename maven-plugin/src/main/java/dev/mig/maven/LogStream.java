package dev.mig.maven;

import dev.mig.text.Redactor;
import org.apache.maven.plugin.logging.Log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A PrintStream whose lines go to Maven's log at INFO, redacted (mig's console output, line by line). */
final class LogStream extends OutputStream {

    private final Log log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LogStream(Log log) {
        this.log = log;
    }

    static PrintStream to(Log log) {
        return new PrintStream(new LogStream(log), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (b != '\r') {
            line.write(b);
        }
    }

    @Override
    public void flush() {
        // lines are logged whole, at their newline; a partial line waits for the rest
    }

    @Override
    public void close() {
        if (line.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        log.info(Redactor.redact(line.toString(StandardCharsets.UTF_8)));
        line.reset();
    }
}
