package dev.mig.model;

/**
 * Plan-wide defaults that steps inherit unless they set their own.
 *
 * @param retries how often a transactional step is tried again after a lock timeout, deadlock or
 *                serialization failure (0: not at all)
 */
public record PlanSettings(String lockTimeout, String statementTimeout, String searchPath, int retries) {

    public static final PlanSettings DEFAULTS = new PlanSettings("5s", null, "public", 0);
}
