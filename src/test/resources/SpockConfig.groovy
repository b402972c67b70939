import org.spockframework.runtime.model.parallel.ExecutionMode

// The suite's specs run in parallel, several at a time; a spec's own features one after another
// (they share @Shared fields and fixtures). Each feature has a database of its own on the one
// embedded server (TestPostgres), so specs do not see each other's objects.
//
// A spec that touches what the whole JVM or the whole server shares (System.out or System.err,
// system properties, roles or locks seen across databases, the server's settings) is annotated
// @spock.lang.Isolated: it runs alone, after the running specs end. See docs/ARCHITECTURE.md, section 6.
//
// -Dmig.test.threads=N sets how many specs run at once (1: one after another, as before).
int threads = Integer.getInteger('mig.test.threads', 3)

runner {
    parallel {
        enabled threads > 1
        fixed(Math.max(threads, 1))
        defaultSpecificationExecutionMode ExecutionMode.CONCURRENT
        defaultExecutionMode ExecutionMode.SAME_THREAD
    }
}
