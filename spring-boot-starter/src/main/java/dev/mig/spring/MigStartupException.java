package dev.mig.spring;

/** A plan failed (or could not be loaded) at start-up: the application does not start. */
public class MigStartupException extends RuntimeException {

    public MigStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
