package dev.mig.model;

/**
 * The timeouts and retries in force, each with where it came from: the plan's own (or mig's
 * default), an environment's or a caller's replacement of the plan-wide timeouts, a step's own.
 * A plan carries its plan-wide ones, resolved once when plan, environment and command line are
 * combined ({@link Plan#withDefaultTimeouts}); {@link #forStep} adds what a step sets itself.
 * Whatever applies, lints or explains a timeout reads it here, so all of them agree.
 */
public record ResolvedSettings(Setting<String> lockTimeout, Setting<String> statementTimeout, Setting<Integer> retries) {

    static final String STATEMENT_TIMEOUT_UNSET = "not set by the plan: the role's, database's or server's setting";

    /** The plan-wide settings as the plan declares them. */
    public static ResolvedSettings declared(PlanSettings settings) {
        return new ResolvedSettings(
                new Setting<>(settings.lockTimeout(), "the plan's lockTimeout, 5s unless the plan sets one"),
                new Setting<>(settings.statementTimeout(), settings.statementTimeout() == null ? STATEMENT_TIMEOUT_UNSET
                        : "the plan's statementTimeout"),
                new Setting<>(settings.retries(), "the plan's retries"));
    }

    /** These plan-wide settings with the timeouts {@code source} replaces (null keeps the one in force). */
    ResolvedSettings withTimeouts(String lockTimeout, String statementTimeout, String source) {
        return new ResolvedSettings(
                lockTimeout == null ? this.lockTimeout : new Setting<>(lockTimeout, "the lockTimeout of " + source),
                statementTimeout == null ? this.statementTimeout
                        : new Setting<>(statementTimeout, "the statementTimeout of " + source),
                retries);
    }

    /** What applies to {@code step}: its own values where it sets them; no retries without a transaction. */
    public ResolvedSettings forStep(Step step) {
        return new ResolvedSettings(
                step.lockTimeout() == null ? lockTimeout : new Setting<>(step.lockTimeout(), "the step's lockTimeout"),
                step.statementTimeout() == null ? statementTimeout
                        : new Setting<>(step.statementTimeout(), "the step's statementTimeout"),
                !step.transactional() ? new Setting<>(0, "a step without a transaction is never retried")
                        : step.retries() == null ? retries : new Setting<>(step.retries(), "the step's retries"));
    }
}
