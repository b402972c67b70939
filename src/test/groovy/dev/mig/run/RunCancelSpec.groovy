package dev.mig.run

import dev.mig.Mig
import dev.mig.MigRunner
import dev.mig.api.ExitCode
import dev.mig.api.MigException
import dev.mig.result.StepOutcome
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

/** MigRunner.cancel() (docs/DSL.md, "Fleets", "From Java"): a run cancelled from another thread rolls its step back. */
class RunCancelSpec extends DatabaseSpec {

    static final String PLAN = '''
        plan('nap') {
            step('a') { sql 'CREATE TABLE nap_a (id int)' }
            step('b') { sql 'INSERT INTO nap_a VALUES (1); SELECT pg_sleep(60); CREATE TABLE nap_b (id int)' }
            step('c') { sql 'CREATE TABLE nap_c (id int)' }
        }
        '''

    int sleeping() {
        TestPostgres.withSql('postgres') { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ${db} AND query LIKE '%pg_sleep(60)%'"
                    + " AND state = 'active'").n as int
        }
    }

    def "cancel() ends a run in its step at once: the step's transaction and journal rows roll back, later steps do not run"() {
        given:
        MigRunner runner = Mig.planFromString('nap.groovy', PLAN).runner()
        def result = null
        Thread run = Thread.start { result = runner.run(url) }
        long until = System.currentTimeMillis() + 30_000
        while (sleeping() == 0) {
            assert System.currentTimeMillis() < until
            Thread.sleep(50)
        }

        when:
        long start = System.currentTimeMillis()
        runner.cancel()
        run.join(20_000)

        then: 'step b failed with its connection, and left nothing; c did not run'
        !run.alive
        System.currentTimeMillis() - start < 10_000
        result.exitCode() == ExitCode.STEP_FAILED
        result.steps()*.outcome() == [StepOutcome.APPLIED, StepOutcome.FAILED, StepOutcome.NOT_RUN]
        result.steps()[1].reason().startsWith('connection lost: the server rolled back the step\'s transaction')
        !exists('nap_b')
        !exists('nap_c')
        sql { Sql s -> s.firstRow('SELECT count(*) AS n FROM nap_a').n } == 0
        sql { Sql s -> s.rows('SELECT step, status FROM mig.steps ORDER BY position').collect { "${it.step}=${it.status}" } } == ['a=applied']

        when: 'the runner stays cancelled'
        runner.run(url)

        then:
        def e = thrown(MigException)
        e.message == 'the run was cancelled before it connected'
    }
}
