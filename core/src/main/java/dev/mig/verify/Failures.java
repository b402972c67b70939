package dev.mig.verify;

/**
 * Where a check reports what did not hold. The message is the sentence mig prints; subject,
 * expected and found are its parts, for the reports that keep them apart.
 */
interface Failures {

    void fail(String subject, String expected, String found, String message);

    /** {@code SUBJECT: expected EXPECTED, found FOUND}. */
    default void mismatch(String subject, String expected, String found) {
        fail(subject, expected, found, subject + ": expected " + expected + ", found " + found);
    }

    /** {@code SUBJECT: does not exist}, and the like: an object the expectation needs is not there. */
    default void missing(String subject, String found) {
        fail(subject, "exists", found, subject + ": " + found);
    }

    /** A name mig could not read, a closure that threw or was false: nothing to compare. */
    default void problem(String subject, String what) {
        fail(subject, null, null, subject + ": " + what);
    }
}
