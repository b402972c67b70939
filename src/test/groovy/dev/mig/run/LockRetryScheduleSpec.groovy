package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Path
import java.sql.Connection
import java.util.concurrent.Callable
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit

/**
 * mig's default lock-retry schedule: with no lockTimeout set anywhere, a step with a transaction
 * waits at most 500 ms per attempt for its locks and a lock timeout is tried again after a
 * growing pause, for at most 60 s; so an application's queries on the table queue behind the
 * step for about 500 ms at worst, and the step still gets through once the blocker ends.
 */
class LockRetryScheduleSpec extends DatabaseSpec {

    List<Map> history() {
        sql { Sql s -> s.rows('SELECT step, outcome, sqlstate, error FROM mig.history ORDER BY id')*.toSpreadMap() }
    }

    /** A session that read {@code table} in a transaction it leaves open (ACCESS SHARE until it ends). */
    Connection idleInTransaction(String table) {
        Connection c = TestPostgres.connect(db)
        c.createStatement().execute("SET application_name = 'report-job'")
        c.autoCommit = false
        c.createStatement().execute("SELECT * FROM ${table}")
        c
    }

    static void waitUntil(int seconds, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L
        while (!condition()) {
            assert System.nanoTime() < deadline: "condition not met within ${seconds} s"
            Thread.sleep(50)
        }
    }

    /**
     * An application-like session: from its own connection, reads {@code table} every 50 ms until
     * {@code stop} says so, and keeps how long each read took, in ms.
     */
    static Thread application(Connection app, String table, ConcurrentLinkedQueue<Long> waits, Closure<Boolean> stop) {
        Thread.start('application') {
            app.createStatement().execute("SET statement_timeout = '20s'")
            while (!stop()) {
                long t0 = System.nanoTime()
                app.createStatement().executeQuery("SELECT count(*) FROM ${table}").close()
                waits.add((System.nanoTime() - t0).intdiv(1_000_000) as long)
                Thread.sleep(50)
            }
        }
    }

    def "with no lockTimeout a step behind an idle transaction is retried on the schedule, the application waits at most about 500 ms, and the step applies once the blocker ends"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        Connection blocker = idleInTransaction('items')
        Connection app = TestPostgres.connect(db)
        Path json = files.dir.resolve('report.json')
        def plan = files.write('schedule.groovy', """
            plan('schedule') {
                step('add column') {
                    sql 'ALTER TABLE items ADD COLUMN name text'
                }
            }
        """)
        def pool = Executors.newSingleThreadExecutor()
        def waits = new ConcurrentLinkedQueue<Long>()
        boolean done = false

        when: 'the run starts; the blocker commits about 2 s after the first retry, while the application reads the table'
        Future<MigCli> running = pool.submit({ mig(plan.toString(), '--report', "json:${json}".toString()) } as Callable<MigCli>)
        waitUntil(30) { sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'mig' AND tablename = 'history'").n } > 0 }
        waitUntil(30) { history().any { it.outcome == 'retried' } }
        Thread reader = application(app, 'items', waits) { done }
        Thread.sleep(2000)
        blocker.commit()
        MigCli result = running.get(60, TimeUnit.SECONDS)
        Thread.sleep(200)
        done = true
        reader.join(30_000)
        def lines = result.out.readLines()
        def retryLines = lines.findAll { it.startsWith('  retry ') }

        then: 'it applied on a later attempt, each retry a line of its own'
        result.exitCode == 0
        retryLines.size() >= 2
        retryLines[0] ==~ /  retry 1\s+add column  on the lock-retry schedule after lock timeout \(55P03\) in \d+ ms; blocked by pid \d+ .*application report-job.*/
        lines.find { it.contains('applied') && it.contains('add column') } ==~ /  applied\s+add column  \(\d+ ms\)  after ${retryLines.size() + 1} attempts/
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'name'").n } == 1

        and: 'the history has a retried row per lock timeout, then the applied one'
        history()*.outcome == ['retried'] * retryLines.size() + ['applied']
        history().findAll { it.outcome == 'retried' }*.sqlstate.unique() == ['55P03']

        and: 'the JSON report lists the retries as the schedule\'s, with growing pauses'
        def step = new JsonSlurper().parse(json.toFile()).steps[0]
        step.outcome == 'applied'
        step.retries*.retry == (1..retryLines.size()).toList()
        step.retries*.schedule.unique() == ['lock-retry']
        step.retries*.of.unique() == [null]
        step.retries[0].delayMs >= 50 && step.retries[0].delayMs <= 100
        step.retries[1].delayMs >= 100 && step.retries[1].delayMs <= 200

        and: 'the application read the table throughout, never waiting much longer than one attempt\'s 500 ms'
        waits.size() >= 10
        waits.max() < 1500

        cleanup:
        blocker?.close()
        app?.close()
        pool.shutdownNow()
    }

    def "a blocker that never ends: the schedule gives up after about 60 s, and the hint names the schedule"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        Connection blocker = idleInTransaction('items')
        Path json = files.dir.resolve('report.json')
        def plan = files.write('forever.groovy', """
            plan('forever') {
                step('add column') { sql 'ALTER TABLE items ADD COLUMN name text' }
            }
        """)

        when:
        long t0 = System.nanoTime()
        def result = mig(plan.toString(), '--report', "json:${json}".toString())
        long seconds = (System.nanoTime() - t0).intdiv(1_000_000_000L)

        then: 'it failed after the schedule\'s 60 s, not before, not long after'
        result.exitCode == 1
        seconds >= 55 && seconds <= 70
        def retries = result.out.readLines().findAll { it.startsWith('  retry ') }
        retries.size() >= 10
        result.out.readLines().find { it.startsWith('  FAILED') } ==~ /  FAILED\s+add column  \(\d+ ms\)  after ${retries.size() + 1} attempts/
        result.out.contains('SQL State: 55P03')
        def hint = result.out.substring(result.out.indexOf('mig hint:')).readLines()*.trim()
        hint[0] == "mig hint:  lock_timeout 500ms fired (mig's default lock-retry schedule): the statement waited that long for a lock another session holds; lockTimeout on the step waits longer"
        hint.any { it.startsWith("mig's default lock-retry schedule tried the step again for 60s, each attempt waiting 500ms for its locks and rolled back, and the lock never came free: end the session that holds it; lockRetryFor on the step (e.g. lockRetryFor '5m') tries for longer, each wait as short; or lockTimeout on the step") }

        and: 'every attempt is in the history; the pauses grew to the 5 s cap'
        history()*.outcome == ['retried'] * retries.size() + ['failed']
        history()*.sqlstate.unique() == ['55P03']
        def step = new JsonSlurper().parse(json.toFile()).steps[0]
        step.retries*.delayMs.max() > 2500
        step.retries*.delayMs.every { it <= 5000 }

        cleanup:
        blocker?.close()
    }

    def "an explicit lockTimeout keeps one wait of its length: one attempt, and the application waits as long"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        Connection blocker = idleInTransaction('items')
        Connection app = TestPostgres.connect(db)
        def plan = files.write('explicit.groovy', """
            plan('explicit') {
                lockTimeout '5s'
                step('add column') { sql 'ALTER TABLE items ADD COLUMN name text' }
            }
        """)
        def pool = Executors.newSingleThreadExecutor()
        def waits = new ConcurrentLinkedQueue<Long>()
        boolean done = false

        when:
        long t0 = System.nanoTime()
        Future<MigCli> running = pool.submit({ mig(plan.toString()) } as Callable<MigCli>)
        waitUntil(30) {
            sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'mig' AND wait_event_type = 'Lock' AND datname = current_database()").n } > 0
        }
        Thread reader = application(app, 'items', waits) { done }
        MigCli result = running.get(60, TimeUnit.SECONDS)
        long ms = (System.nanoTime() - t0).intdiv(1_000_000L)
        done = true
        reader.join(30_000)

        then: 'one attempt of 5 s, no retry, the hint names the plan\'s lockTimeout'
        result.exitCode == 1
        ms >= 5000
        !result.out.contains('  retry ')
        result.out.contains("lock_timeout 5s fired (the plan's lockTimeout)")
        history()*.outcome == ['failed']

        and: 'the application\'s read queued behind the ALTER for seconds'
        waits.max() > 3000

        cleanup:
        blocker?.close()
        app?.close()
        pool.shutdownNow()
    }

    def "the schedule is for steps with a transaction: without one a step waits one 5 s lock_timeout, with one 500 ms an attempt"() {
        given:
        def plan = files.write('settings.groovy', """
            plan('settings') {
                step('in a transaction') {
                    sql "CREATE TABLE seen AS SELECT 'tx' AS step, current_setting('lock_timeout') AS lt"
                }
                step('without one') {
                    transaction false
                    sql "INSERT INTO seen SELECT 'autocommit', current_setting('lock_timeout')"
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 0
        sql { Sql s -> s.rows('SELECT step, lt FROM seen ORDER BY step')*.toSpreadMap() } == [
                [step: 'autocommit', lt: '5s'], [step: 'tx', lt: '500ms']]
    }

    def "mig plan --format json shows each step's lock_timeout, where it came from, and whether it runs on the schedule"() {
        given:
        def plan = files.write('shown.groovy', """
            plan('shown') {
                step('on the schedule') { sql 'CREATE TABLE a (id int)' }
                step('own wait') {
                    lockTimeout '2s'
                    sql 'CREATE TABLE b (id int)'
                }
                step('no transaction') {
                    transaction false
                    sql 'CREATE TABLE c (id int)'
                }
            }
        """)

        when:
        def result = MigCli.run(['plan', '--url', url, '--format', 'json', plan.toString()])
        def steps = new JsonSlurper().parseText(result.out).steps

        then:
        result.exitCode == 0
        steps*.locks == [
                [lockTimeout: '500ms', source: "mig's default lock-retry schedule", schedule: 'lock-retry', lockRetryFor: '60s', retries: 0],
                [lockTimeout: '2s', source: "the step's lockTimeout", schedule: null, lockRetryFor: null, retries: 0],
                [lockTimeout: '5s', source: "mig's default for a step without a transaction, 5s", schedule: null, lockRetryFor: null, retries: 0]]
    }

    def "the pause before retry n on the schedule: 100 ms doubling to 5 s, between half its ceiling and its ceiling; the budget is 60 s"() {
        expect:
        (1..8).collect { LockRetrySchedule.ceilingMs(it) } == [100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L]
        def schedule = new LockRetrySchedule(new Random(7))
        (1..1000).collect { schedule.delayMs(4) }.every { it >= 400 && it <= 800 }
        LockRetrySchedule.fits(54_000, 5000, 60_000)
        !LockRetrySchedule.fits(55_000, 5000, 60_000)
        LockRetrySchedule.fits(1_000, 500, 2_000)
        !LockRetrySchedule.fits(1_200, 400, 2_000)
    }
}
