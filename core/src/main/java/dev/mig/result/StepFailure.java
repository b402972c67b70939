package dev.mig.result;

import dev.mig.api.SourceLocation;

import java.util.List;

/**
 * Why a step failed, as a report: where (the SQL file line, or the plan line for inline SQL
 * and code), the statement with a caret at PostgreSQL's error position, and the server's
 * SQL State, message, detail and hint, and mig's own hint from the catalog ({@code migHint}, one
 * string per line, empty when mig has nothing to add). Fields that do not apply are null.
 * {@code blockers} are the sessions seen blocking the failed statement while it waited (empty
 * when it did not wait, or not long enough to be seen).
 */
public record StepFailure(String message,
                          SourceLocation location,
                          String statement,
                          String caret,
                          String sqlState,
                          String detail,
                          String hint,
                          Throwable cause,
                          List<String> migHint,
                          List<Blocker> blockers) {

    public StepFailure {
        migHint = migHint == null ? List.of() : List.copyOf(migHint);
        blockers = blockers == null ? List.of() : List.copyOf(blockers);
    }

    /** A failure with the server's fields, before mig has diagnosed it. */
    public StepFailure(String message, SourceLocation location, String statement, String caret, String sqlState,
                       String detail, String hint, Throwable cause) {
        this(message, location, statement, caret, sqlState, detail, hint, cause, List.of(), List.of());
    }

    public static StepFailure of(String message, SourceLocation location, Throwable cause) {
        return new StepFailure(message, location, null, null, null, null, null, cause);
    }

    public StepFailure withMigHint(List<String> lines) {
        return new StepFailure(message, location, statement, caret, sqlState, detail, hint, cause, lines, blockers);
    }

    public StepFailure withBlockers(List<Blocker> seen) {
        return new StepFailure(message, location, statement, caret, sqlState, detail, hint, cause, migHint, seen);
    }
}
