package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Path
import java.sql.Connection
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit

/**
 * {@code retries N}: a step that hits a lock timeout, a deadlock or a serialization failure is
 * rolled back and tried again after a pause, each retry is reported with the sessions that were
 * seen blocking it, and the history keeps one row per attempt.
 */
class RetrySpec extends DatabaseSpec {

    List<Map> history() {
        sql { Sql s -> s.rows('SELECT step, outcome, sqlstate, error FROM mig.history ORDER BY id')*.toSpreadMap() }
    }

    int blockerPid

    /**
     * A session that reads {@code table} in a transaction it leaves open: it holds ACCESS SHARE until
     * it ends, and its last query is that SELECT. Its pid is in {@link #blockerPid}.
     */
    Connection idleInTransaction(String table, String application) {
        Connection c = TestPostgres.connect(db)
        c.createStatement().execute("SET application_name = '${application}'")
        blockerPid = pid(c)
        c.autoCommit = false
        c.createStatement().execute("SELECT * FROM ${table}")
        c
    }

    static int pid(Connection c) {
        new Sql(c).firstRow('SELECT pg_backend_pid() AS pid').pid as int
    }

    static void waitUntil(int seconds, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L
        while (!condition()) {
            assert System.nanoTime() < deadline: "condition not met within ${seconds} s"
            Thread.sleep(50)
        }
    }

    def "a step blocked by an idle transaction is retried, each retry names the blocker, and it applies once the blocker ends"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        Connection blocker = idleInTransaction('items', 'report-job')
        Path json = files.dir.resolve('report.json')
        def plan = files.write('retry.groovy', """
            plan('retry') {
                step('add column') {
                    lockTimeout '1s'
                    retries 5
                    sql 'ALTER TABLE items ADD COLUMN name text'
                }
            }
        """)
        def pool = Executors.newSingleThreadExecutor()

        when: 'the run starts, and the blocker commits after the first retry'
        Future<MigCli> running = pool.submit({ mig(plan.toString(), '--report', "json:${json}".toString()) } as Callable<MigCli>)
        waitUntil(30) { sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'mig' AND tablename = 'history'").n } > 0 }
        waitUntil(30) { history().any { it.outcome == 'retried' } }
        int migPid = 0
        waitUntil(30) {
            migPid = sql { Sql s -> s.firstRow("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")?.pid ?: 0 } as int
            migPid > 0 && Thread.allStackTraces.keySet().any { it.name == "mig-blocker-watch ${migPid}".toString() && it.alive }
        }
        blocker.commit()
        MigCli result = running.get(60, TimeUnit.SECONDS)
        def lines = result.out.readLines()

        then: 'each retry is a line of its own, with the blocker seen while the statement waited'
        result.exitCode == 0
        def retryLines = lines.findAll { it.startsWith('  retry ') }
        retryLines.size() >= 1
        retryLines[0] ==~ /  retry 1\/5       add column  after lock timeout \(55P03\) in \d+ ms; blocked by pid ${blockerPid} \(user postgres, application report-job, client 127\.0\.0\.1, idle in transaction for \d+ s\): SELECT \* FROM items/
        lines.find { it.contains('applied') && it.contains('add column') } ==~ /  applied\s+add column  \(\d+ ms\)  after ${retryLines.size() + 1} attempts/
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'name'").n } == 1

        and: 'the history has a row per attempt; the step is applied'
        def h = history()
        h*.outcome == ['retried'] * retryLines.size() + ['applied']
        h[0].sqlstate == '55P03'
        h[0].error.startsWith('canceling statement due to lock timeout\nblocked by pid ' + blockerPid + ' (user postgres, application report-job')
        sql { Sql s -> s.firstRow('SELECT status FROM mig.steps').status } == 'applied'

        and: 'the JSON report lists the retries'
        def step = new JsonSlurper().parse(json.toFile()).steps[0]
        step.outcome == 'applied'
        step.retries.size() == retryLines.size()
        step.retries[0].retry == 1
        step.retries[0].of == 5
        step.retries[0].cause == 'lock timeout'
        step.retries[0].sqlState == '55P03'
        step.retries[0].location.endsWith('retry.groovy:6')
        step.retries[0].delayMs >= 0 && step.retries[0].delayMs <= 200
        step.retries[0].blockers[0].pid == blockerPid
        step.retries[0].blockers[0].application == 'report-job'
        step.retries[0].blockers[0].state == 'idle in transaction'
        step.retries[0].blockers[0].query == 'SELECT * FROM items'

        and: 'the watcher thread of this run (named by the backend it watched) is gone'
        !Thread.allStackTraces.keySet().any { it.name == "mig-blocker-watch ${migPid}".toString() && it.alive }

        cleanup:
        blocker?.close()
        pool.shutdownNow()
    }

    def "when the retries run out the step fails once, its hint names the blockers seen, and the history keeps every attempt"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        Connection blocker = idleInTransaction('items', 'report-job')
        Path json = files.dir.resolve('report.json')
        def plan = files.write('give-up.groovy', """
            plan('give-up') {
                lockTimeout '1s'
                retries 2
                step('add column') { sql 'ALTER TABLE items ADD COLUMN name text' }
            }
        """)

        when:
        def result = mig(plan.toString(), '--report', "json:${json}".toString())

        then:
        result.exitCode == 1
        result.out.readLines().findAll { it.startsWith('  retry ') }.collect { it.substring(0, 17) } == ['  retry 1/2      ', '  retry 2/2      ']
        result.out.readLines().find { it.startsWith('  FAILED') } ==~ /  FAILED\s+add column  \(\d+ ms\)  after 3 attempts/
        result.out.contains('SQL State: 55P03')
        def hint = result.out.substring(result.out.indexOf('mig hint:')).readLines()*.trim()
        hint[0] == "mig hint:  lock_timeout 1s fired (the plan's lockTimeout): the statement waited that long for a lock another session holds; lockTimeout on the step waits longer"
        hint[1] == 'blocked by (seen while the statement waited):'
        hint[2] ==~ /pid ${blockerPid} \(user postgres, application report-job, client 127\.0\.0\.1, idle in transaction for \d+ s\): SELECT \* FROM items/
        hint[3].startsWith('a session idle in transaction keeps its locks')
        hint[4] == 'the step was tried 3 times (retries 2), each attempt rolled back'
        history()*.outcome == ['retried', 'retried', 'failed']
        history()*.sqlstate == ['55P03'] * 3
        sql { Sql s -> s.firstRow('SELECT status FROM mig.steps').status } == 'failed'
        def step = new JsonSlurper().parse(json.toFile()).steps[0]
        step.retries*.retry == [1, 2]
        step.error.blockers*.pid == [blockerPid]

        cleanup:
        blocker?.close()
    }

    def "a deadlock is rolled back and retried"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE accounts (id int PRIMARY KEY, balance int)')
            s.execute('INSERT INTO accounts VALUES (1, 0), (2, 0)')
        }
        def plan = files.write('deadlock.groovy', """
            plan('deadlock') {
                step('move money') {
                    lockTimeout '5s'
                    retries 2
                    sql '''
                        UPDATE accounts SET balance = balance - 10 WHERE id = 1;
                        UPDATE accounts SET balance = balance + 10 WHERE id = 2;
                    '''
                }
            }
        """)
        Connection other = TestPostgres.connect(db)
        other.autoCommit = false
        other.createStatement().execute("SET application_name = 'payments'")
        other.createStatement().execute('UPDATE accounts SET balance = balance + 1 WHERE id = 2')
        def pool = Executors.newSingleThreadExecutor()

        when: 'mig waits for row 2, then the other session asks for row 1, which mig holds'
        Future<MigCli> running = pool.submit({ mig(plan.toString()) } as Callable<MigCli>)
        waitUntil(30) {
            sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'mig' AND wait_event_type = 'Lock' AND datname = current_database()").n } > 0
        }
        other.createStatement().execute('UPDATE accounts SET balance = balance + 1 WHERE id = 1')
        other.commit()
        MigCli result = running.get(60, TimeUnit.SECONDS)

        then: 'mig, which waited first, was the deadlock victim, and its retry applied the step'
        result.exitCode == 0
        result.out =~ /  retry 1\/2       move money  after deadlock \(40P01\) in \d+ ms; blocked by pid \d+ \(user postgres, application payments/
        history()*.outcome == ['retried', 'applied']
        history()[0].sqlstate == '40P01'
        sql { Sql s -> s.rows('SELECT balance FROM accounts ORDER BY id')*.balance } == [-9, 11]

        cleanup:
        other?.close()
        pool.shutdownNow()
    }

    def "without retries a lock timeout fails at once and the hint says retries; a step without a transaction is never retried"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        Connection blocker = idleInTransaction('items', 'report-job')
        def plan = files.write('once.groovy', """
            plan('once') {
                lockTimeout '200ms'
                step('add column') { sql 'ALTER TABLE items ADD COLUMN name text' }
            }
        """)
        def autocommit = files.write('autocommit.groovy', """
            plan('autocommit') {
                lockTimeout '200ms'
                retries 3
                step('add column') {
                    transaction false
                    sql 'ALTER TABLE items ADD COLUMN name text'
                }
            }
        """)

        when:
        def once = mig(plan.toString())
        def noTransaction = mig(autocommit.toString())

        then:
        once.exitCode == 1
        !once.out.contains('  retry ')
        once.out.contains('retries 3 in the step (or in the plan block) tries the whole step again after a short pause')
        noTransaction.exitCode == 1
        !noTransaction.out.contains('  retry ')
        noTransaction.out.contains('a step without a transaction is not retried; run the plan again when the other session is done')
        history()*.outcome == ['failed', 'running', 'failed']

        cleanup:
        blocker?.close()
    }

    def "the pause before retry n is at most 200 ms * 2^(n-1), and never more than 10 s"() {
        expect:
        (1..8).collect { Backoff.ceilingMs(it) } == [200L, 400L, 800L, 1600L, 3200L, 6400L, 10000L, 10000L]
        Backoff.ceilingMs(60) == 10000L

        and: 'full jitter: anywhere from 0 to the ceiling'
        def backoff = new Backoff(new Random(42))
        def pauses = (1..2000).collect { backoff.delayMs(3) }
        pauses.every { it >= 0 && it <= 800 }
        pauses.min() < 100
        pauses.max() > 700
    }
}
