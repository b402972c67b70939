package dev.mig.run;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.CatalogView;
import dev.mig.model.VerifyBlock;
import dev.mig.result.VerifyFailure;
import dev.mig.verify.Verifier;

import java.util.List;

/** Asks a verify block of the database as it is, for a step, the plan-level verify, baseline and {@code mig verify}. */
public final class Verification {

    private Verification() {
    }

    /** The expectations of {@code block} that do not hold; throws what the block throws. */
    public static List<VerifyFailure> failures(Catalog catalog, VerifyBlock block) {
        return new Verifier().check(block, catalog, new CatalogView(catalog));
    }
}
