package dev.mig.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/** PostgreSQL duration settings as plans write them: '5s', '500ms', '10min', '1h', or '0' for none. */
@CompileStatic
final class Durations {

    private static final java.util.regex.Pattern FORMAT = ~/^\s*\d+\s*(ms|s|min|h|d)?\s*$/

    private Durations() {}

    /** {@code problem} is called with (message, hint); package-private: plumbing, not a DSL word. */
    @PackageScope
    static String check(Object value, Closure<?> problem) {
        String text = value?.toString()
        if (text == null || !FORMAT.matcher(text).matches()) {
            problem.call("'${value}' is not a duration".toString(), "write it as PostgreSQL does: '500ms', '5s', '10min', '1h'")
            return null
        }
        text.replaceAll(/\s+/, '')
    }
}
