package dev.mig.run;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.CatalogView;
import dev.mig.model.VerifyBlock;
import dev.mig.verify.Verifier;
import dev.mig.verify.VerifyFailure;

import java.util.List;

/** Asks a verify block of the database as it is, for a step, the plan-level verify, baseline and {@code mig verify}. */
public final class Verification {

    private Verification() {
    }

    /** The expectations of {@code block} that do not hold, one line each; throws what the block throws. */
    public static List<String> failures(Catalog catalog, VerifyBlock block) {
        return new Verifier().check(block, catalog, new CatalogView(catalog)).stream().map(Verification::line).toList();
    }

    /** The one place a verify failure becomes text: {@code MESSAGE (FILE:LINE)}. */
    static String line(VerifyFailure failure) {
        return failure.message() + " (" + failure.expectation().location() + ")";
    }
}
