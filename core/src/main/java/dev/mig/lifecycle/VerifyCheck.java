package dev.mig.lifecycle;

import dev.mig.catalog.Catalog;
import dev.mig.model.VerifyBlock;
import dev.mig.result.VerifyFailure;
import dev.mig.run.Verification;

import java.util.List;

/**
 * Asks one verify block of the database as it is: each expectation that does not hold is a
 * failure, and a block that throws becomes one failure saying so. What {@code mig baseline} and
 * {@code mig verify} report for a step, from one place.
 */
final class VerifyCheck {

    private VerifyCheck() {
    }

    /** The failures of {@code block}; empty when it holds. Reads under a savepoint, so a failed read leaves the transaction usable. */
    static List<VerifyFailure> failures(Catalog catalog, VerifyBlock block) {
        try {
            return catalog.attempt(() -> Verification.failures(catalog, block));
        } catch (RuntimeException e) {
            return List.of(VerifyFailure.threw("verify threw: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        }
    }
}
