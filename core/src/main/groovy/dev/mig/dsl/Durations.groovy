package dev.mig.dsl

import dev.mig.text.PgDuration
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/** Durations as plans write them ({@link PgDuration}: the grammar of the command line's too); a bare number is milliseconds, as in PostgreSQL. */
@CompileStatic
final class Durations {

    private Durations() {}

    /** The PostgreSQL setting, or null after reporting a problem; {@code problem} is called with (message, hint). */
    @PackageScope
    static String check(Object value, Closure<?> problem) {
        try {
            PgDuration.parse(value, PgDuration.Bare.MILLISECONDS).setting()
        } catch (PgDuration.Invalid e) {
            problem.call(e.message, e.hint())
            null
        }
    }
}
