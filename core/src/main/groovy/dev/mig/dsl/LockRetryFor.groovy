package dev.mig.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/**
 * {@code lockRetryFor}: the budget of mig's lock-retry schedule, in the plan block or a step
 * (docs/DSL.md, "The default: mig's lock-retry schedule"). Written where the schedule cannot
 * apply it would do nothing, so that is a plan error.
 */
@CompileStatic
@PackageScope
final class LockRetryFor {

    static final String CONFLICT_HINT = 'a lockTimeout turns the lock-retry schedule off (one wait of that length per attempt,' +
            ' retried only as retries allows), so lockRetryFor would do nothing: keep one of them'

    private LockRetryFor() {}

    /** Why a step's lockRetryFor would do nothing, or null when the step runs on the schedule. */
    static String offSchedule(String lockTimeout, boolean transactional, boolean backfill) {
        if (backfill) {
            return 'which has a backfill'
        }
        if (!transactional) {
            return 'which has transaction false'
        }
        lockTimeout != null ? "which sets lockTimeout ${lockTimeout}".toString() : null
    }

    static String hint(String why) {
        if (why.contains('backfill')) {
            return 'a backfill tries each batch again as its retries say (10 unless set), not on the lock-retry schedule; remove lockRetryFor'
        }
        if (why.contains('transaction false')) {
            return 'a step without a transaction is never retried, so it is not on the lock-retry schedule; remove lockRetryFor'
        }
        CONFLICT_HINT
    }
}
