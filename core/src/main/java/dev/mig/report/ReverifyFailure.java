package dev.mig.report;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.lifecycle.AppliedVerify;
import dev.mig.result.VerifyFailure;

import java.util.List;

/**
 * {@code mig run --reverify}: the error that stops a run before it starts when a step applied
 * earlier no longer holds its verify block (exit 3), as the single run and each tenant of a fleet
 * report it.
 */
public final class ReverifyFailure {

    private ReverifyFailure() {
    }

    /** The error naming every expectation that no longer holds, or null when they all hold. */
    public static MigException of(AppliedVerify.Result checked) {
        List<AppliedVerify.StepCheck> failed = checked.steps().stream()
                .filter(c -> c.state() == AppliedVerify.State.FAILS).toList();
        if (failed.isEmpty()) {
            return null;
        }
        StringBuilder message = new StringBuilder("--reverify: " + failed.size() + " applied step"
                + (failed.size() == 1 ? " no longer holds its" : "s no longer hold their") + " verify; nothing was run");
        for (AppliedVerify.StepCheck check : failed) {
            for (VerifyFailure f : check.failures()) {
                message.append("\n    ").append(Printable.name(check.step().name())).append(": ").append(Printable.text(f));
            }
        }
        return new MigException(ExitCode.VERIFY_FAILED, message.toString(),
                "the database changed after those steps were applied (by hand, or by another tool): put it back, or add a"
                        + " step that brings it where the plan needs it; mig verify PLAN lists the same");
    }
}
