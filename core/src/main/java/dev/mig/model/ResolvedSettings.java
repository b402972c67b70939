package dev.mig.model;

import dev.mig.text.PgDuration;

/**
 * The timeouts and retries in force, each with where it came from: the plan's own (or mig's
 * default), an environment's or a caller's replacement of the plan-wide timeouts, a step's own.
 * A plan carries its plan-wide ones, resolved once when plan, environment and command line are
 * combined ({@link Plan#withDefaultTimeouts}); {@link #forStep} adds what a step sets itself.
 * Whatever applies, lints or explains a timeout reads it here, so all of them agree.
 */
public record ResolvedSettings(Setting<String> lockTimeout, Setting<String> statementTimeout, Setting<Integer> retries,
                               Setting<String> lockRetryFor) {

    /**
     * The source of the lockTimeout when nothing sets one: a step with a transaction then waits
     * {@link #SCHEDULE_LOCK_TIMEOUT} for its locks per attempt, and a lock timeout is tried again
     * on the schedule of {@code dev.mig.run.LockRetrySchedule}.
     */
    public static final String LOCK_RETRY_SCHEDULE = "mig's default lock-retry schedule";
    /** The lock_timeout of each attempt on the lock-retry schedule. */
    public static final String SCHEDULE_LOCK_TIMEOUT = "500ms";
    /** The one wait of a step without a transaction, of verify's queries, when nothing sets a lockTimeout. */
    public static final String ONE_WAIT_DEFAULT = "5s";
    static final String ONE_WAIT_SOURCE = "mig's default for a step without a transaction, 5s";
    static final String ONE_WAIT_SOURCE_HOOK = "mig's default for a hook, 5s";

    /** How long the lock-retry schedule tries a step again when nothing sets {@code lockRetryFor}. */
    public static final String DEFAULT_LOCK_RETRY_FOR = "60s";
    public static final String DEFAULT_LOCK_RETRY_FOR_SOURCE = "mig's default lockRetryFor";

    static final String STATEMENT_TIMEOUT_UNSET = "not set by the plan: the role's, database's or server's setting";

    /** The plan-wide settings as the plan declares them. */
    public static ResolvedSettings declared(PlanSettings settings) {
        return new ResolvedSettings(
                settings.lockTimeout() == null ? new Setting<>(SCHEDULE_LOCK_TIMEOUT, LOCK_RETRY_SCHEDULE)
                        : new Setting<>(settings.lockTimeout(), "the plan's lockTimeout"),
                new Setting<>(settings.statementTimeout(), settings.statementTimeout() == null ? STATEMENT_TIMEOUT_UNSET
                        : "the plan's statementTimeout"),
                new Setting<>(settings.retries(), "the plan's retries"),
                settings.lockRetryFor() == null ? new Setting<>(DEFAULT_LOCK_RETRY_FOR, DEFAULT_LOCK_RETRY_FOR_SOURCE)
                        : new Setting<>(settings.lockRetryFor(), "the plan's lockRetryFor"));
    }

    /** These plan-wide settings with the timeouts {@code source} replaces (null keeps the one in force). */
    ResolvedSettings withTimeouts(String lockTimeout, String statementTimeout, String source) {
        return new ResolvedSettings(
                lockTimeout == null ? this.lockTimeout : new Setting<>(lockTimeout, "the lockTimeout of " + source),
                statementTimeout == null ? this.statementTimeout
                        : new Setting<>(statementTimeout, "the statementTimeout of " + source),
                retries, lockRetryFor);
    }

    /** These plan-wide settings with the lock-retry schedule's budget {@code source} gives. */
    ResolvedSettings withLockRetryFor(String value, String source) {
        return new ResolvedSettings(lockTimeout, statementTimeout, retries, new Setting<>(value, "the lockRetryFor of " + source));
    }

    /** Whether the lock-retry schedule's budget is mig's default one (nothing set {@code lockRetryFor}). */
    public boolean defaultLockRetryFor() {
        return DEFAULT_LOCK_RETRY_FOR_SOURCE.equals(lockRetryFor.source());
    }

    /** The lock-retry schedule's budget in milliseconds. */
    public long lockRetryForMs() {
        return PgDuration.parse(lockRetryFor.value(), PgDuration.Bare.MILLISECONDS).millis();
    }

    /** True when no one set a lockTimeout: lock timeouts are tried again on mig's lock-retry schedule. */
    public boolean lockRetrySchedule() {
        return LOCK_RETRY_SCHEDULE.equals(lockTimeout.source());
    }

    /** The lockTimeout for one wait (verify's queries): the one set, else {@link #ONE_WAIT_DEFAULT}. */
    public String oneWaitLockTimeout() {
        return lockRetrySchedule() ? ONE_WAIT_DEFAULT : lockTimeout.value();
    }

    /** These settings for work that is never retried (hooks): the lock-retry schedule's wait becomes one of 5s. */
    public ResolvedSettings oneWait() {
        return lockRetrySchedule() ? new ResolvedSettings(new Setting<>(ONE_WAIT_DEFAULT, ONE_WAIT_SOURCE_HOOK), statementTimeout, retries,
                lockRetryFor)
                : this;
    }

    /**
     * What applies to {@code step}: its own values where it sets them; no retries without a
     * transaction, and no lock-retry schedule either (one wait of {@link #ONE_WAIT_DEFAULT}), except
     * for a backfill, whose batches are short transactions: each waits the schedule's short time and
     * is tried again by the backfill's own batch retries.
     */
    public ResolvedSettings forStep(Step step) {
        boolean batches = step.actions().stream().anyMatch(a -> a instanceof Action.Backfill);
        Setting<String> lock = step.lockTimeout() != null ? new Setting<>(step.lockTimeout(), "the step's lockTimeout")
                : !step.transactional() && !batches && lockRetrySchedule() ? new Setting<>(ONE_WAIT_DEFAULT, ONE_WAIT_SOURCE)
                : lockTimeout;
        return new ResolvedSettings(
                lock,
                step.statementTimeout() == null ? statementTimeout
                        : new Setting<>(step.statementTimeout(), "the step's statementTimeout"),
                !step.transactional() ? new Setting<>(0, "a step without a transaction is never retried")
                        : step.retries() == null ? retries : new Setting<>(step.retries(), "the step's retries"),
                step.lockRetryFor() == null ? lockRetryFor : new Setting<>(step.lockRetryFor(), "the step's lockRetryFor"));
    }
}
