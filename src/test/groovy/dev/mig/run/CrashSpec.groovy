package dev.mig.run

import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification

import java.nio.file.Path
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
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def process = new ProcessBuilder(java, '-cp', System.getProperty('java.class.path'), 'dev.mig.cli.Main',
                'run', '--url', url, plan.toString())
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
        def rerun = new ProcessBuilder(java, '-cp', System.getProperty('java.class.path'), 'dev.mig.cli.Main',
                'run', '--url', url, plan.toString()).redirectErrorStream(true).start()
        def output = rerun.inputStream.text
        rerun.waitFor(60, TimeUnit.SECONDS)

        then:
        rerun.exitValue() == 0
        output.contains('2 applied, 0 skipped, 1 applied earlier')
        exists(db, 'half')
        exists(db, 'last')
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS n FROM half').n } == 1000
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
