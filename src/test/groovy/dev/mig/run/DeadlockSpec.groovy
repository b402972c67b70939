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

import static dev.mig.run.LockRetryScheduleSpec.waitUntil

/**
 * A real deadlock (40P01) between a step on mig's lock-retry schedule and another session that
 * locks the same two tables in the opposite order (docs/DSL.md, "Retries"): the step is the victim,
 * and {@code retries} tries it again; the schedule alone retries lock timeouts, not deadlocks.
 *
 * <p>How the step is made the victim: it takes {@code a}, sleeps, then asks for {@code b}, which
 * the other session read first; while it sleeps the other session asks for {@code a}. The step
 * closes the cycle, and its session's {@code deadlock_timeout} (100 ms, set on the database) is
 * shorter than its 500 ms lock wait and than the other session's (10 s), so its check finds the
 * cycle first and PostgreSQL cancels its statement.
 */
class DeadlockSpec extends DatabaseSpec {

    def setup() {
        sql { Sql s ->
            s.execute('CREATE TABLE a (id int); CREATE TABLE b (id int)')
            s.execute("ALTER DATABASE \"${db}\" SET deadlock_timeout = '100ms'".toString())
        }
    }

    List<Map> history() {
        sql { Sql s -> s.rows('SELECT step, outcome, sqlstate, error FROM mig.history ORDER BY id')*.toSpreadMap() }
    }

    static String plan(String retries) {
        """
        plan('deadlock') {
            step('both tables') {
                ${retries}
                sql '''
                    ALTER TABLE a ADD COLUMN x int;
                    SELECT pg_sleep(1.5);
                    ALTER TABLE b ADD COLUMN y int;
                '''
            }
        }
        """
    }

    /**
     * Runs the plan while another session, which read {@code b} first, asks for {@code a} once the
     * step holds it; the other session commits as soon as it gets {@code a}.
     */
    MigCli runAgainstOther(Path plan, List<String> args = []) {
        Connection other = TestPostgres.connect(db)
        other.createStatement().execute("SET application_name = 'payments'")
        other.autoCommit = false
        other.createStatement().execute("SET LOCAL deadlock_timeout = '10s'")
        other.createStatement().execute('SELECT * FROM b')
        def pool = Executors.newFixedThreadPool(2)
        try {
            Future<MigCli> running = pool.submit({ mig(*([plan.toString()] + args)) } as Callable<MigCli>)
            waitUntil(30) {
                sql { Sql s -> s.firstRow("""SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'mig'
                        AND datname = current_database() AND query LIKE '%pg_sleep%'""").n } > 0
            }
            Future<?> otherSide = pool.submit({
                other.createStatement().execute('SELECT * FROM a') // waits behind the step's ACCESS EXCLUSIVE on a
                other.commit()
            } as Callable<Object>)
            MigCli result = running.get(60, TimeUnit.SECONDS)
            otherSide.get(30, TimeUnit.SECONDS)
            result
        } finally {
            other.close()
            pool.shutdownNow()
        }
    }

    def "with retries, a step on the lock-retry schedule that is a deadlock's victim is rolled back, tried again and applied; the history keeps the retry"() {
        given:
        Path json = files.dir.resolve('report.json')

        when:
        def result = runAgainstOther(files.write('deadlock.groovy', plan('retries 2')), ['--report', "json:${json}".toString()])

        then: 'the step was the victim once, and applied on its second attempt'
        result.exitCode == 0
        // no "blocked by": the deadlock was found 100 ms into the wait, before the blocker watcher's first look
        result.out.readLines().find { it.startsWith('  retry ') } ==~ /  retry 1\/2\s+both tables  after deadlock \(40P01\) in \d+ ms.*/
        result.out.readLines().find { it.startsWith('  applied') } ==~ /  applied\s+both tables  \(\d+ ms\)  after 2 attempts/
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM information_schema.columns WHERE (table_name, column_name) IN (('a', 'x'), ('b', 'y'))").n } == 2

        and: 'the journal: a retried row with 40P01 and the server\'s message, then the applied one'
        history()*.outcome == ['retried', 'applied']
        history()[0].sqlstate == '40P01'
        history()[0].error.contains('deadlock detected')
        sql { Sql s -> s.firstRow("SELECT status FROM mig.steps WHERE step = 'both tables'").status } == 'applied'

        and: 'the JSON report counts it against retries, not as the schedule\'s'
        def retries = new JsonSlurper().parse(json.toFile()).steps[0].retries
        retries.size() == 1
        retries[0].sqlState == '40P01'
        retries[0].of == 2
        retries[0].schedule == null
    }

    def "without retries the schedule does not retry a deadlock: the step fails once, and the hint says retries"() {
        when:
        def result = runAgainstOther(files.write('deadlock.groovy', plan('')))

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 40P01')
        !result.out.contains('  retry ')
        result.out.contains('retries 3 in the step (or in the plan block) tries the whole step again after a short pause')
        history()*.outcome == ['failed']
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM information_schema.columns WHERE (table_name, column_name) IN (('a', 'x'), ('b', 'y'))").n } == 0
    }
}
