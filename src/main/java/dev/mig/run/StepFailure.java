package dev.mig.run;

import dev.mig.api.SourceLocation;

/**
 * Why a step failed, as a report: where (the SQL file line, or the plan line for inline SQL
 * and code), the statement with a caret at PostgreSQL's error position, and the server's
 * SQL State, message, detail and hint. Fields that do not apply are null.
 */
public record StepFailure(String message,
                          SourceLocation location,
                          String statement,
                          String caret,
                          String sqlState,
                          String detail,
                          String hint,
                          Throwable cause) {

    public static StepFailure of(String message, SourceLocation location, Throwable cause) {
        return new StepFailure(message, location, null, null, null, null, null, cause);
    }
}
