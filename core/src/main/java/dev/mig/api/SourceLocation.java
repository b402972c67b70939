package dev.mig.api;

import java.nio.file.Path;

/** A place in a plan, recipe or SQL file, for messages: {@code plans/app.groovy:12}. */
public record SourceLocation(Path file, int line) {

    public static final SourceLocation UNKNOWN = new SourceLocation(null, 0);

    public SourceLocation withLine(int newLine) {
        return new SourceLocation(file, newLine);
    }

    /** The file as the user named it (relative to the working directory when it is below it). */
    public String displayFile() {
        if (file == null) {
            return "<unknown>";
        }
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    @Override
    public String toString() {
        if (file == null) {
            return "<unknown>";
        }
        return line > 0 ? displayFile() + ":" + line : displayFile();
    }
}
