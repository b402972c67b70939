package dev.mig.dsl

import dev.mig.plan.PgDuration
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/** PostgreSQL duration settings as plans write them: '5s', '500ms', '10min', '1h', or '0' for none. */
@CompileStatic
final class Durations {

    private Durations() {}

    /** {@code problem} is called with (message, hint); package-private: plumbing, not a DSL word. */
    @PackageScope
    static String check(Object value, Closure<?> problem) {
        String text = PgDuration.normalise(value)
        if (text == null) {
            problem.call("'${value}' is not a duration".toString(), PgDuration.EXAMPLES)
        }
        text
    }
}
