package dev.mig.api;

/**
 * The one exception root of mig. It carries the exit code it maps to, where it happened
 * (when known) and a hint that says what to do.
 */
public class MigException extends RuntimeException {

    private final ExitCode exitCode;
    private final SourceLocation location;
    private final String hint;

    public MigException(ExitCode exitCode, String message) {
        this(exitCode, message, null, null, null);
    }

    public MigException(ExitCode exitCode, String message, String hint) {
        this(exitCode, message, null, hint, null);
    }

    public MigException(ExitCode exitCode, String message, SourceLocation location, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.location = location;
        this.hint = hint;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** May be null. */
    public SourceLocation location() {
        return location;
    }

    /** May be null. */
    public String hint() {
        return hint;
    }
}
