package dev.mig.lifecycle;

import dev.mig.catalog.Catalog;
import dev.mig.model.VerifyBlock;
import dev.mig.run.Verification;

import java.util.List;

/**
 * Asks one verify block of the database as it is: each expectation that does not hold becomes a
 * line {@code MESSAGE (FILE:LINE)}, and a block that throws becomes one line saying so. What
 * {@code mig baseline} and {@code mig verify} print for a step, from one place.
 */
final class VerifyCheck {

    private VerifyCheck() {
    }

    /** The failures of {@code block}; empty when it holds. Reads under a savepoint, so a failed read leaves the transaction usable. */
    static List<String> failures(Catalog catalog, VerifyBlock block) {
        try {
            return catalog.attempt(() -> Verification.failures(catalog, block));
        } catch (RuntimeException e) {
            return List.of("verify threw: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
