package dev.mig.result;

import dev.mig.api.SourceLocation;
import dev.mig.model.Expectation;

/**
 * One expectation that did not hold.
 *
 * @param expectation the expectation as the plan wrote it; null when the verify block itself
 *                    could not be checked (it threw)
 * @param subject     what was checked, as the message names it: {@code table users, column email},
 *                    {@code index users_email_idx}, {@code rowCount users}; null when no single
 *                    object was
 * @param expected    what the plan asked for ({@code type text}, {@code 2 rows}); null where the
 *                    expectation has no value to compare (an {@code expect} closure, an error)
 * @param found       what the database had instead ({@code integer}, {@code does not exist});
 *                    null where {@code expected} is
 * @param message     the whole sentence mig prints, subject first
 */
public record VerifyFailure(Expectation expectation, String subject, String expected, String found, String message) {

    /** A verify block that could not be checked at all: no expectation, only what went wrong. */
    public static VerifyFailure threw(String message) {
        return new VerifyFailure(null, null, null, null, message);
    }

    /** The plan line of the expectation; null for a block that threw. */
    public SourceLocation location() {
        return expectation == null ? null : expectation.location();
    }

    /**
     * {@code MESSAGE (FILE:LINE)}: the one text of a failure, printed by every report and kept in
     * the journal's {@code error} column.
     */
    public String text() {
        return expectation == null ? message : message + " (" + expectation.location() + ")";
    }

    @Override
    public String toString() {
        return text();
    }
}
