package dev.mig.model;

import java.util.List;

/**
 * Plan-wide defaults that steps inherit unless they set their own.
 *
 * @param lockTimeout the plan's own lockTimeout; null when the plan sets none, and then a step
 *                    with a transaction runs on mig's lock-retry schedule
 *                    ({@link ResolvedSettings#LOCK_RETRY_SCHEDULE}) unless an environment, the
 *                    command line or the step sets one
 * @param retries how often a transactional step is tried again after a lock timeout, deadlock or
 *                serialization failure (0: not at all)
 * @param owns    the schemas the plan declares it owns (folded and unquoted as PostgreSQL stores
 *                them); {@code mig reset} drops exactly these. Not part of any checksum.
 * @param lockRetryFor how long mig's lock-retry schedule tries a step again ({@code '2m'}); null:
 *                     {@link ResolvedSettings#DEFAULT_LOCK_RETRY_FOR}
 */
public record PlanSettings(String lockTimeout, String statementTimeout, String searchPath, int retries, List<String> owns,
                           String lockRetryFor) {

    public static final PlanSettings DEFAULTS = new PlanSettings(null, null, "public", 0, List.of(), null);

    public PlanSettings {
        owns = owns == null ? List.of() : List.copyOf(owns);
    }

    public PlanSettings(String lockTimeout, String statementTimeout, String searchPath, int retries) {
        this(lockTimeout, statementTimeout, searchPath, retries, List.of(), null);
    }

    public PlanSettings(String lockTimeout, String statementTimeout, String searchPath, int retries, List<String> owns) {
        this(lockTimeout, statementTimeout, searchPath, retries, owns, null);
    }
}
