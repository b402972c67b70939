package dev.mig.plan

import dev.mig.testing.DatabaseSpec

import java.nio.file.Files
import java.nio.file.Path

/**
 * A spec with the plan cache switched on in a folder of its own, and a home folder for commands.
 * The cache in use is per process: subclasses are {@code @Isolated}.
 */
abstract class CachedPlansSpec extends DatabaseSpec {

    Path cacheDir = Files.createTempDirectory('mig-cache')
    Path home = Files.createTempDirectory('mig-home')

    def setup() {
        PlanCache.use(PlanCache.in(cacheDir))
    }

    def cleanup() {
        PlanCache.use(null)
        PlanCache.stamp = null
    }

    /** The problems a load reports, as {@code location: message}; empty when it loads. */
    static List<String> problems(Closure<?> loading) {
        try {
            loading()
            return []
        } catch (PlanException e) {
            return e.problems().collect { "${it.location()}: ${it.message()}".toString() }
        }
    }
}
