package dev.mig.run

import dev.mig.testing.ChildJvm
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification

import java.sql.Connection
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit

import static dev.mig.run.CrashSpec.anyMigSession
import static dev.mig.run.CrashSpec.waitUntil
import static dev.mig.run.SafeWordsSpec.TABLES
import static dev.mig.run.SafeWordsSpec.catalog
import static dev.mig.run.SafeWordsSpec.journal

/**
 * mig killed with SIGKILL between the phases of a safe word (docs/DSL.md, "Safe schema changes on
 * busy tables"): the rerun starts at the first phase not done and leaves the catalog the unsafe
 * statement leaves.
 */
class SafeWordsKillSpec extends Specification {

    PlanFiles files = new PlanFiles()

    static final List<String> PHASES = ['orders.customer_id not null: add check not valid', 'orders.customer_id not null: validate',
                                        'orders.customer_id not null: set not null', 'orders.customer_id not null: drop check']

    static boolean migWaitsForLock(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("""SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()
                           AND application_name = 'mig' AND wait_event_type = 'Lock'""").n > 0
        }
    }

    static boolean waitsForLock(String db, int pid) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT wait_event_type = 'Lock' AS w FROM pg_stat_activity WHERE pid = ?", [pid]).w }
    }

    def "addNotNull killed while its validate phase waits for a lock: the rerun runs validate, set not null and drop check, and the catalog is the unsafe statement's"() {
        given: 'a session reads orders in an open transaction, so the first phase (ACCESS EXCLUSIVE) waits behind it'
        String db = TestPostgres.createDatabase('safe_kill')
        String unsafe = TestPostgres.createDatabase('safe_kill_unsafe')
        [db, unsafe].each { d -> TestPostgres.withSql(d) { Sql s -> s.execute(TABLES) } }
        String url = TestPostgres.jdbcUrl(db)
        def plan = files.write('kill.groovy', """
            plan('kill') {
                lockTimeout '30s'    // one long wait a phase, so the locks below queue in a known order
                addNotNull 'orders', 'customer_id'
            }
        """).toString()
        Connection reader = TestPostgres.connect(db)
        reader.autoCommit = false
        reader.createStatement().execute('SELECT * FROM orders')
        Connection locker = TestPostgres.connect(db)
        locker.autoCommit = false
        int lockerPid = new Sql(locker).firstRow('SELECT pg_backend_pid() AS pid').pid as int
        def pool = Executors.newSingleThreadExecutor()
        def log = File.createTempFile('safe-kill', '.log')

        when: 'mig runs in its own JVM; once its first phase waits, a second session queues SHARE UPDATE EXCLUSIVE behind it'
        def process = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main', 'run', '--url', url, plan])
                .redirectErrorStream(true).redirectOutput(log).start()
        waitUntil(60) {
            assert process.alive: "mig ended before it was killed:\n${log.text}"
            migWaitsForLock(db)
        }
        Future<?> queued = pool.submit { locker.createStatement().execute('LOCK TABLE orders IN SHARE UPDATE EXCLUSIVE MODE') }
        waitUntil(10) { waitsForLock(db, lockerPid) }

        and: 'the reader ends: the first phase commits, the queued lock is granted, and validate waits behind it'
        reader.commit()
        queued.get(30, TimeUnit.SECONDS)
        waitUntil(30) { journal(db) == [[PHASES[0], 'applied']] && migWaitsForLock(db) }

        and: 'mig is killed with SIGKILL, and the lock is let go'
        process.destroyForcibly()
        process.waitFor(10, TimeUnit.SECONDS)
        locker.rollback()
        waitUntil(30) { !anyMigSession(db) }

        then: 'the first phase is done and journaled: the check is there NOT VALID, the column still nullable'
        journal(db) == [[PHASES[0], 'applied']]
        catalog(db).constraints.find { it[0] == 'orders_customer_id_not_null_check' }[2] == false
        catalog(db).columns.find { it[0] == 'customer_id' }[1] == false

        when: 'it is run again, and the unsafe statement runs on a twin database'
        def rerun = MigCli.run(['run', '--url', url, plan])
        def plain = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(unsafe), files.write('unsafe.groovy', """
            plan('unsafe') { step('unsafe') { sql 'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL' } }
        """).toString()])

        then: 'the rerun ran the three phases left, and the catalog is the one the unsafe statement leaves'
        rerun.exitCode == 0
        plain.exitCode == 0
        PHASES.drop(1).every { phase -> rerun.out.readLines().any { it ==~ /  applied\s+\Q${phase}\E  .*/ } }
        !rerun.out.readLines().any { it ==~ /  applied\s+\Q${PHASES[0]}\E  \(.*/ }
        journal(db) == PHASES.collect { [it, 'applied'] }
        catalog(db) == catalog(unsafe)
        catalog(db).columns.find { it[0] == 'customer_id' }[1] == true

        cleanup:
        process?.destroyForcibly()
        reader?.close()
        locker?.close()
        pool.shutdownNow()
    }
}
