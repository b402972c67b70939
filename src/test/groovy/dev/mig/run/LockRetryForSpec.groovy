package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Files
import java.sql.Connection
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

import static dev.mig.run.LockRetryScheduleSpec.waitUntil

/**
 * {@code lockRetryFor}: how long mig's lock-retry schedule tries a step again (docs/DSL.md, "The
 * default: mig's lock-retry schedule"), in a step, the plan block or an environment of mig.groovy.
 */
class LockRetryForSpec extends DatabaseSpec {

    def setup() {
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
    }

    /** A session that read items in a transaction it leaves open (ACCESS SHARE until it ends). */
    Connection blocker() {
        Connection c = TestPostgres.connect(db)
        c.autoCommit = false
        c.createStatement().execute('SELECT * FROM items')
        c
    }

    List<Map> history() {
        sql { Sql s -> s.rows('SELECT step, outcome, sqlstate FROM mig.history ORDER BY id')*.toSpreadMap() }
    }

    static String hint(MigCli result) {
        result.out.substring(result.out.indexOf('mig hint:')).readLines()*.trim().join('\n')
    }

    def "a blocker held longer than a step's lockRetryFor '2s' fails the step after about 2 s, and the hint names the budget"() {
        given:
        Connection held = blocker()
        def plan = files.write('short.groovy', """
            plan('short') {
                step('add column') {
                    lockRetryFor '2s'
                    sql 'ALTER TABLE items ADD COLUMN name text'
                }
            }
        """)

        when:
        long t0 = System.nanoTime()
        def result = mig(plan.toString())
        double seconds = (System.nanoTime() - t0) / 1e9

        then: 'it gave up within the budget (plus the JVM start), with a few attempts in the history'
        result.exitCode == 1
        seconds < 8
        result.out.contains('SQL State: 55P03')
        hint(result).contains("mig's default lock-retry schedule tried the step again for 2s (the step's lockRetryFor), each"
                + ' attempt waiting 500ms for its locks and rolled back, and the lock never came free')
        history()*.outcome.count('retried') >= 1
        history()*.outcome.last() == 'failed'

        and: 'mig plan --format json gives the budget'
        def json = new JsonSlurper().parseText(MigCli.run(['plan', '--url', url, '--format', 'json', plan.toString()]).out)
        json.steps[0].locks.lockRetryFor == '2s'

        cleanup:
        held?.close()
    }

    def "a plan-wide lockRetryFor longer than the blocker gets through; the step's own wins over it"() {
        given:
        Connection held = blocker()
        def plan = files.write('long.groovy', """
            plan('long') {
                lockRetryFor '30s'
                step('add column') { sql 'ALTER TABLE items ADD COLUMN name text' }
            }
        """)
        def pool = Executors.newSingleThreadExecutor()

        when: 'the blocker ends about 4 s after the first retry: longer than 2 s, well inside 30 s'
        long t0 = System.nanoTime()
        def running = pool.submit({ mig(plan.toString()) } as Callable<MigCli>)
        waitUntil(30) { sql { Sql s -> s.firstRow("SELECT to_regclass('mig.history') IS NOT NULL AS e").e } && history().any { it.outcome == 'retried' } }
        Thread.sleep(4000)
        held.commit()
        MigCli result = running.get(60, TimeUnit.SECONDS)

        then:
        result.exitCode == 0
        (System.nanoTime() - t0) / 1e9 > 4
        history()*.outcome.last() == 'applied'
        history()*.outcome.count('retried') >= 3
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'name'").n } == 1

        when: 'mig plan says where the budget came from'
        def text = MigCli.run(['plan', '--url', url, files.write('both.groovy', """
            plan('both') {
                lockRetryFor '30s'
                step('a') { sql 'SELECT 1' }
                step('b') { lockRetryFor '5m'; sql 'SELECT 2' }
            }
        """).toString()])

        then:
        text.out.readLines()[1] == "  lock (each step unless it says otherwise): 500ms a wait, tried again for up to 30s (mig's default" +
                " lock-retry schedule, for the plan's lockRetryFor)"
        text.out.readLines().find { it.contains('lock: ') }.trim() ==
                "lock: 500ms a wait, tried again for up to 5min (mig's default lock-retry schedule, for the step's lockRetryFor)"

        cleanup:
        held?.close()
        pool.shutdownNow()
    }

    def "an environment of mig.groovy sets lockRetryFor for its runs, over the plan's"() {
        given:
        Connection held = blocker()
        def plan = files.write('env.groovy', """
            plan('env') {
                lockRetryFor '5m'
                step('add column') { sql 'ALTER TABLE items ADD COLUMN name text' }
            }
        """)
        Files.writeString(plan.resolveSibling('mig.groovy'), "environments { ci { url '${url}'; lockRetryFor '1s' } }")

        when:
        long t0 = System.nanoTime()
        def result = MigCli.run(['run', '--env', 'ci', plan.toString()])

        then: 'the environment\'s 1 s, not the plan\'s 5 minutes'
        result.exitCode == 1
        (System.nanoTime() - t0) / 1e9 < 8
        hint(result).contains("tried the step again for 1s (the lockRetryFor of environment 'ci' of ")

        when: 'mig plan --env says what such a run gets'
        def shown = MigCli.run(['plan', '--env', 'ci', plan.toString()])

        then:
        shown.out.readLines()[1].startsWith("  lock (each step unless it says otherwise): 500ms a wait, tried again for up to 1s"
                + " (mig's default lock-retry schedule, for the lockRetryFor of environment 'ci' of ")

        cleanup:
        held?.close()
    }

    def "mistakes are plan errors at their line, naming the step: #what"() {
        when:
        def result = MigCli.run(['check', files.write('bad.groovy', text).toString()])

        then:
        result.exitCode == 2
        result.err.contains(message)
        result.err.contains(hint)

        where:
        what                 | text                                                                                                        | message                                                                                       | hint
        'not a duration'     | "plan('p') {\n  step('s') {\n    lockRetryFor 'soon'\n    sql 'SELECT 1'\n  }\n}"                        | "bad.groovy:3: 'soon' is not a duration"                                                      | "write it as PostgreSQL does: '500ms', '5s'"
        'negative'           | "plan('p') {\n  lockRetryFor '-1s'\n  step('s') { sql 'SELECT 1' }\n}"                                      | "bad.groovy:2: '-1s' is negative"                                                             | 'a duration is 0 (none) or more'
        'with lockTimeout'   | "plan('p') {\n  step('s') {\n    lockTimeout '2s'\n    lockRetryFor '1m'\n    sql 'SELECT 1'\n  }\n}"     | "bad.groovy:4: lockRetryFor 1min in step 's', which sets lockTimeout 2s"                      | 'a lockTimeout turns the lock-retry schedule off'
        'transaction false'  | "plan('p') {\n  step('s') {\n    transaction false\n    lockRetryFor '1m'\n    sql 'SELECT 1'\n  }\n}"   | "bad.groovy:4: lockRetryFor 1min in step 's', which has transaction false"                    | 'a step without a transaction is never retried'
        'a backfill step'    | "plan('p') {\n  step('s') {\n    lockRetryFor '1m'\n    backfill { table 't'; set 'n = 1' }\n  }\n}"     | "bad.groovy:3: lockRetryFor 1min in step 's', which has a backfill"                           | 'a backfill tries each batch again as its retries say'
        'plan lockTimeout'   | "plan('p') {\n  lockTimeout '2s'\n  lockRetryFor '1m'\n  step('s') { sql 'SELECT 1' }\n}"                   | "bad.groovy:3: lockRetryFor 1min in plan 'p', which sets lockTimeout 2s"                      | 'keep one of them'
        'in undo'            | "plan('p') {\n  step('s') {\n    sql 'SELECT 1'\n    undo { lockRetryFor '1m' }\n  }\n}"                   | 'bad.groovy:4: lockRetryFor'                                                                  | ''
    }
}
