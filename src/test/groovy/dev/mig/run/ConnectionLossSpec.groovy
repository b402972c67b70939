package dev.mig.run

import dev.mig.Mig
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.util.concurrent.CompletableFuture
import java.util.logging.Handler
import java.util.logging.LogRecord
import java.util.logging.Logger
import spock.lang.Isolated

/** The step's backend is ended by pg_terminate_backend from another session while it sleeps. */
@Isolated("one feature swaps System.err and a java.util.logging handler to see what the driver logs")
class ConnectionLossSpec extends DatabaseSpec {

    /** Every record groovy.sql.Sql's logger lets through, which the console handler would print. */
    List<String> logged = Collections.synchronizedList([])
    Handler capture = new Handler() {
        void publish(LogRecord r) { logged << r.message }
        void flush() {}
        void close() {}
    }
    Logger sqlLog = Logger.getLogger(Sql.name)

    boolean parentHandlers

    /** Records go to the capture alone, so that the build log does not show the one this spec provokes on purpose. */
    def setup() {
        parentHandlers = sqlLog.useParentHandlers
        sqlLog.useParentHandlers = false
        sqlLog.addHandler(capture)
    }

    def cleanup() {
        sqlLog.removeHandler(capture)
        sqlLog.useParentHandlers = parentHandlers
    }

    /** Runs mig in a thread, ends the backend running pg_sleep, and returns what mig printed. */
    MigCli runAndTerminate(String... args) {
        def run = CompletableFuture.supplyAsync { MigCli.run(args as List) }
        awaitSleep(run)
        sql { Sql s -> s.execute('SELECT pg_terminate_backend(?)', [sleepingPid()]) }
        run.get()
    }

    /** As a server restart does: every session of the database ends, the plan lock's with the step's. */
    MigCli runAndTerminateAll(String... args) {
        def run = CompletableFuture.supplyAsync { MigCli.run(args as List) }
        awaitSleep(run)
        sql { Sql s ->
            s.execute('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()'
                    + ' AND pid <> pg_backend_pid()')
        }
        run.get()
    }

    Integer sleepingPid() {
        sql { Sql s ->
            s.firstRow("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(60)%'"
                    + " AND pid <> pg_backend_pid()")?.pid as Integer
        }
    }

    /** Until mig's step sleeps; fails at once when mig ended first (a plan error, say). */
    void awaitSleep(CompletableFuture<MigCli> run) {
        long deadline = System.currentTimeMillis() + 30_000
        while (sleepingPid() == null) {
            // not an assert: Spock evaluates an assert's message before its condition, and get() waits for mig
            if (run.isDone()) {
                throw new AssertionError("mig ended before its step slept: ${run.get()}")
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("mig's step did not start sleeping; sessions: ${sessions()}")
            }
            sleep(100)
        }
    }

    List<String> sessions() {
        sql { Sql s -> s.rows('SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database()')*.toString() }
    }

    Map<String, String> steps() {
        sql { Sql s -> s.rows('SELECT step, status FROM mig.steps ORDER BY position').collectEntries { [it.step, it.status] } }
    }

    def "a transactional step whose connection is ended: the step is named, the server's cause given, rolled back, exit 1"() {
        given:
        def plan = files.write('lost.groovy', """
            plan('lost') {
                step('first') { sql 'CREATE TABLE first (id int)' }
                step('slow') {
                    sql 'CREATE TABLE half (id int)'
                    sql 'SELECT pg_sleep(60)'
                }
                step('last') { sql 'CREATE TABLE last (id int)' }
            }
        """)

        when:
        def result = runAndTerminate('run', '--url', url, plan.toString())

        then: 'the failure block of the step, with the server message and SQL State, not a privileges hint'
        result.exitCode == 1
        result.out =~ /(?m)^  FAILED\s+slow/
        result.out.contains('SQL State: 57P01')
        result.out.contains('Message:   terminating connection due to administrator command')
        result.out.contains('the database connection was lost: the session was ended by pg_terminate_backend')
        result.out.contains("Effect:    connection lost: the server rolled back the step's transaction")
        result.out =~ /(?m)^  not run\s+last  the database connection was lost$/
        result.out.readLines().last().startsWith('stopped: a step failed')
        !result.output.contains('outside any step')
        !result.output.contains('privileges')
        !result.output.contains('This connection has been closed')

        and: 'the journal says what is true: the slow step left nothing'
        exists('first')
        !exists('half')
        steps() == [first: 'applied']
    }

    def "a groovy block's statement: no raw 'WARNING: Failed to execute' line, the same failure block"() {
        given:
        def plan = files.write('lost.groovy', """
            plan('lost') {
                step('slow') {
                    groovy { db -> db.execute('SELECT pg_sleep(60)') }
                }
            }
        """)
        def err = new ByteArrayOutputStream()
        def stderr = System.err
        System.setErr(new PrintStream(err, true))

        when:
        def result
        try {
            result = runAndTerminate('run', '--url', url, plan.toString())
        } finally {
            System.setErr(stderr)
        }

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 57P01')
        result.out.contains('Message:   terminating connection due to administrator command')
        !err.toString().contains('Failed to execute')
        !result.output.contains('Failed to execute')
        logged.every { !it.contains('Failed to execute') }
    }

    def "library use: the groovy.sql.Sql logger hears nothing of a failed statement of a step, and still hears others"() {
        given:
        def plan = files.write('fails.groovy', """
            plan('fails') {
                step('bad') { groovy { db -> db.execute('SELECT * FROM no_such_table') } }
            }
        """)

        when:
        def result = Mig.plan(plan).runner().silent().run(url)
        logged.clear()
        try {
            sql { Sql s -> s.execute('SELECT * FROM another_missing_table') }
        } catch (ignored) {
        }

        then: 'the step failed and was reported, but its statement was not logged; a user Sql still is'
        !result.succeeded()
        logged.size() == 1
        logged[0].contains('another_missing_table')
    }

    def "a step without a transaction: the journal says running, and the rerun repairs and completes it"() {
        given:
        def plan = files.write('lost.groovy', """
            plan('lost') {
                step('table') { sql 'CREATE TABLE items (id int, name text)' }
                step('slow') {
                    transaction false
                    sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS items_name ON items (name)'
                    sql 'SELECT pg_sleep(60) WHERE NOT EXISTS (SELECT FROM pg_tables WHERE tablename = \\'go_on\\')'
                }
            }
        """)

        when:
        def result = runAndTerminate('run', '--url', url, plan.toString())

        then:
        result.exitCode == 1
        result.out =~ /(?m)^  FAILED\s+slow/
        result.out.contains('SQL State: 57P01')
        result.out.contains("Effect:    connection lost: statements before the one that was running stay applied (no transaction);"
                + " the journal says 'running'")
        steps() == [table: 'applied', slow: 'running']

        when:
        sql { Sql s -> s.execute('CREATE TABLE go_on ()') }
        def rerun = mig(plan.toString())

        then:
        rerun.exitCode == 0
        steps() == [table: 'applied', slow: 'applied']
    }

    def "the plan lock's connection ends too: the same report, exit 1, the lock gone with its session, a rerun completes"() {
        given:
        def plan = files.write('lost.groovy', """
            plan('lost') {
                step('slow') {
                    sql 'CREATE TABLE half (id int)'
                    sql 'SELECT pg_sleep(60) WHERE to_regclass(\\'go_on\\') IS NULL'
                }
            }
        """)

        when:
        def result = runAndTerminateAll('run', '--url', url, plan.toString())

        then:
        result.exitCode == 1
        result.out =~ /(?m)^  FAILED\s+slow/
        result.out.contains('SQL State: 57P01')
        !result.output.contains('This connection has been closed')
        !result.output.contains('internal error')
        !exists('half')

        when:
        sql { Sql s -> s.execute('CREATE TABLE go_on ()') }
        def rerun = mig(plan.toString())

        then:
        rerun.exitCode == 0
        steps() == [slow: 'applied']
    }
}
