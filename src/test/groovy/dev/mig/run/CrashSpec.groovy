package dev.mig.run

import dev.mig.testing.ChildJvm
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification

import java.util.concurrent.TimeUnit

/** A mig process killed with SIGKILL in the middle of a step, in a JVM of its own. */
class CrashSpec extends Specification {

    def "a run killed mid-step leaves nothing half-applied, and a rerun completes the plan"() {
        given:
        def db = TestPostgres.createDatabase('crash')
        def url = TestPostgres.jdbcUrl(db)
        def plan = new PlanFiles().write('crash.groovy', """
            plan('crash') {
                step('first') { sql 'CREATE TABLE first (id int)' }
                step('slow') {
                    sql '''
                        CREATE TABLE half (id int);
                        INSERT INTO half SELECT generate_series(1, 1000);
                        DO \$\$ BEGIN
                            IF to_regclass('public.slow_marker') IS NOT NULL THEN PERFORM pg_sleep(120); END IF;
                        END \$\$;
                    '''
                }
                step('last') { sql 'CREATE TABLE last (id int)' }
            }
        """)
        TestPostgres.withSql(db) { Sql s -> s.execute('CREATE TABLE slow_marker ()') }

        when: 'mig runs in its own JVM and is killed while the slow step sleeps'
        def process = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main',
                'run', '--url', url, plan.toString()])
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
        waitUntil(60) { sleeping(db) }
        process.destroyForcibly()            // SIGKILL on Linux
        process.waitFor(10, TimeUnit.SECONDS)
        waitUntil(30) { !anyMigSession(db) }

        then: 'the first step is applied, the slow one left nothing behind'
        process.exitValue() == 137
        exists(db, 'first')
        !exists(db, 'half')
        !exists(db, 'last')
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT step, status FROM mig.steps ORDER BY position') }
                .collect { "${it.step}=${it.status}".toString() } == ['first=applied']

        when: 'the marker is gone and the plan is run again'
        TestPostgres.withSql(db) { Sql s -> s.execute('DROP TABLE slow_marker') }
        def rerun = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main',
                'run', '--url', url, plan.toString()]).redirectErrorStream(true).start()
        def output = rerun.inputStream.text
        rerun.waitFor(60, TimeUnit.SECONDS)

        then:
        rerun.exitValue() == 0
        output.contains('2 applied, 0 skipped, 1 applied earlier')
        exists(db, 'half')
        exists(db, 'last')
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS n FROM half').n } == 1000
    }

    def "a concurrent index build killed with its mig leaves an INVALID index, which the rerun drops before building it again"() {
        given: 'a writer with an open transaction, which CREATE INDEX CONCURRENTLY has to wait for'
        def db = TestPostgres.createDatabase('crashindex')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE items (id int, name text)')
            s.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g")
        }
        def writer = TestPostgres.connect(db)
        writer.autoCommit = false
        writer.createStatement().execute("INSERT INTO items VALUES (0, 'in flight')")
        def plan = new PlanFiles().write('crash-index.groovy', """
            plan('crash-index') {
                step('index names') {
                    transaction false
                    lockTimeout '0'
                    sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS items_name ON items (name)'
                }
            }
        """)

        when: 'mig runs in its own JVM and is killed while the build waits for the writer'
        def process = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main',
                'run', '--url', url, plan.toString()])
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
        waitUntil(60) { buildWaiting(db) }
        process.destroyForcibly()
        process.waitFor(10, TimeUnit.SECONDS)
        waitUntil(30) { !anyMigSession(db) }     // client_connection_check_interval ends the orphaned build
        writer.rollback()

        then: 'the index is there, INVALID, and the journal says the step was interrupted'
        process.exitValue() == 137
        indexValid(db, 'items_name') == false
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT status FROM mig.steps').status } == 'running'

        when: 'the plan is run again'
        def rerun = MigCli.run(['run', '--url', url, plan.toString()])

        then: 'the leftover is dropped, said so, and the index built again, valid'
        rerun.exitCode == 0
        rerun.out.contains('      repaired: dropped invalid index public.items_name left by the interrupted run')
        rerun.out =~ /applied\s+index names/
        indexValid(db, 'items_name') == true
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT status FROM mig.steps').status } == 'applied'

        cleanup:
        writer?.close()
    }

    static boolean buildWaiting(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("""SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()
                           AND application_name = 'mig' AND query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'""").n > 0
        }
    }

    static Boolean indexValid(String db, String name) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow('SELECT i.indisvalid AS v FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = ?', [name])?.v
        }
    }

    static boolean sleeping(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'").n > 0
        }
    }

    static boolean anyMigSession(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mig'").n > 0
        }
    }

    static boolean exists(String db, String table) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT to_regclass(?) IS NOT NULL AS e', [table]).e }
    }

    static void waitUntil(int seconds, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L
        while (!condition()) {
            assert System.nanoTime() < deadline: "condition not met within ${seconds} s"
            Thread.sleep(100)
        }
    }
}
