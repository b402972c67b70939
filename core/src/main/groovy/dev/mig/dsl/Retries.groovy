package dev.mig.dsl

import dev.mig.plan.DslUsage
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/** {@code retries 3}: how often a step is tried again after a lock timeout, deadlock or serialization failure. */
@CompileStatic
final class Retries {

    static final String USAGE = DslUsage.hint('StepDelegate', 'retries')

    private Retries() {}

    /** The count, or null after reporting a problem: a whole number from 0 up, never text or a fraction. */
    @PackageScope
    static Integer check(Object value, Closure<?> problem) {
        if ((value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof BigInteger)
                && ((Number) value).longValue() >= 0 && ((Number) value).longValue() <= Integer.MAX_VALUE) {
            return ((Number) value).intValue()
        }
        String shown = value instanceof CharSequence ? "'${value}'" : String.valueOf(value)
        problem.call("retries ${shown} is not a whole number of 0 or more".toString(), USAGE)
        return null
    }
}
