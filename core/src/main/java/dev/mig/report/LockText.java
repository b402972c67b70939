package dev.mig.report;

import dev.mig.model.Action;
import dev.mig.model.ResolvedSettings;
import dev.mig.model.Step;
import dev.mig.run.BackfillEstimate;

/**
 * The lock settings a run uses, in a few words for text {@code mig plan} (docs/DSL.md, "The
 * default: mig's lock-retry schedule"): how long one wait for a lock is, how lock timeouts are
 * tried again, and where that came from.
 * <pre>
 * 500ms a wait, tried again for up to 60s (mig's default lock-retry schedule)
 * 5s a wait (the plan's lockTimeout), retries 3 (the step's retries)
 * 5s a wait (mig's default for a step without a transaction), not retried: no transaction
 * 500ms a wait per batch (mig's default lock-retry schedule), a batch tried again up to 10 times
 * </pre>
 */
public final class LockText {

    private LockText() {
    }

    /** The plan-wide settings, as a step with a transaction that sets nothing of its own gets them. */
    public static String planWide(ResolvedSettings defaults) {
        return describe(defaults, true, null);
    }

    /** What applies to {@code step} ({@code settings}: the plan's {@code settingsFor(step)}). */
    public static String of(Step step, ResolvedSettings settings) {
        boolean backfill = BackfillEstimate.in(step) != null;
        return describe(settings, step.transactional(),
                backfill ? step.retries() == null ? Action.Backfill.DEFAULT_RETRIES : step.retries() : null);
    }

    /** @param batchRetries for a backfill, the tries again of one batch; null for any other step */
    private static String describe(ResolvedSettings s, boolean transactional, Integer batchRetries) {
        String value = s.lockTimeout().value();
        String source = s.lockTimeout().source();
        if (value != null && source.endsWith(", " + value)) {
            source = source.substring(0, source.length() - value.length() - 2); // "mig's default for ..., 5s"
        }
        String wait = value == null || value.equals("0") ? "no limit on a wait" : value + " a wait";
        if (batchRetries != null) {
            return wait + " per batch (" + source + "), a batch tried again up to " + batchRetries + " time"
                    + (batchRetries == 1 ? "" : "s");
        }
        if (!transactional) {
            return wait + " (" + source + "), not retried: no transaction";
        }
        int retries = s.retries().value() == null ? 0 : s.retries().value();
        String counted = retries == 0 ? "" : ", retries " + retries + " (" + s.retries().source() + ")";
        if (s.lockRetrySchedule()) {
            String budget = s.defaultLockRetryFor() ? "" : ", for " + s.lockRetryFor().source();
            return wait + ", tried again for up to " + s.lockRetryFor().value() + " (" + source + budget + ")"
                    + (retries == 0 ? "" : ", deadlocks: retries " + retries + " (" + s.retries().source() + ")");
        }
        return wait + " (" + source + ")" + counted;
    }
}
