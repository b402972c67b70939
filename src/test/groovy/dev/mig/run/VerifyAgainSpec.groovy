package dev.mig.run

import dev.mig.api.ExitCode
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

/**
 * A step its guard skips checks the verify blocks written verify(whenSkipped: true) (docs/DSL.md
 * section 6, "Verify of skipped steps"): an enum that exists with the wrong labels no longer
 * passes silently. A plain verify block describes the state the step leaves, which later steps
 * may change: it is checked only where the step runs. And mig run --reverify asks the verify
 * blocks of the steps applied earlier before it runs anything, so drift made by hand stops a deploy.
 */
class VerifyAgainSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()

    String db
    String url

    def setup() {
        db = TestPostgres.createDatabase('skipped_verify')
        url = TestPostgres.jdbcUrl(db)
    }

    static String enumPlan(String name, String verifyOpening, String transaction = '') {
        """
            plan('${name}') {
                step('agent status') {
                    ${transaction}
                    guard { !enumType('agent_status') }
                    sql "CREATE TYPE agent_status AS ENUM ('development', 'testing', 'active')"
                    ${verifyOpening} {
                        enumType('agent_status') { labels 'development', 'testing', 'active' }
                    }
                }
                step('agents') {
                    sql 'CREATE TABLE agents (id int, status agent_status)'
                }
            }
        """
    }

    List<Map> journal(String plan) {
        TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT step, status FROM mig.steps WHERE plan = ${plan} ORDER BY position")*.toSpreadMap()
        }
    }

    def "an enum that exists with other labels fails the skipped step's verify, and nothing after it runs"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute("CREATE TYPE agent_status AS ENUM ('development', 'active')") }
        def plan = files.write('wrong_labels.groovy', enumPlan('wrong_labels', 'verify(whenSkipped: true)'))

        when:
        def result = MigCli.run(['run', '--url', url, plan.toString()])

        then:
        result.exitCode == ExitCode.VERIFY_FAILED.code()
        result.output =~ /VERIFY FAILED\s+agent status/
        result.output.contains('its guard skips it, but its verify does not hold: ')
        result.output.contains('enum type agent_status: expected labels [development, testing, active], found [development, active]')
        journal('wrong_labels').collect { it.step + ':' + it.status } == ['agent status:failed']
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('agents') IS NULL AS none").none }
    }

    def "the same enum with the right labels is skipped, and the run goes on"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute("CREATE TYPE agent_status AS ENUM ('development', 'testing', 'active')") }
        def plan = files.write('right_labels.groovy', enumPlan('right_labels', 'verify(whenSkipped: true)'))

        when:
        def result = MigCli.run(['run', '--url', url, plan.toString()])

        then:
        result.exitCode == 0
        journal('right_labels').collect { it.step + ':' + it.status } == ['agent status:skipped', 'agents:applied']
    }

    def "a plain verify block is checked only where the step ran"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute("CREATE TYPE agent_status AS ENUM ('development', 'active')") }
        def plan = files.write('opt_out.groovy', enumPlan('opt_out', 'verify'))

        when:
        def result = MigCli.run(['run', '--url', url, plan.toString()])

        then:
        result.exitCode == 0
        journal('opt_out').collect { it.step + ':' + it.status } == ['agent status:skipped', 'agents:applied']
    }

    def "a step without a transaction checks its verify when skipped too"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute("CREATE TYPE agent_status AS ENUM ('active')") }
        def plan = files.write('autocommit.groovy', enumPlan('autocommit', 'verify(whenSkipped: true)', 'transaction false'))

        when:
        def result = MigCli.run(['run', '--url', url, plan.toString()])

        then:
        result.exitCode == ExitCode.VERIFY_FAILED.code()
        result.output.contains('its guard skips it, but its verify does not hold: ')
        journal('autocommit').collect { it.step + ':' + it.status } == ['agent status:failed']
    }

    def "a fixed database lets the rerun skip the step and go on"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute("CREATE TYPE agent_status AS ENUM ('development', 'active')") }
        def plan = files.write('fixed.groovy', enumPlan('fixed', 'verify(whenSkipped: true)'))
        def first = MigCli.run(['run', '--url', url, plan.toString()])
        TestPostgres.withSql(db) { Sql s -> s.execute("ALTER TYPE agent_status ADD VALUE 'testing' BEFORE 'active'") }

        when:
        def second = MigCli.run(['run', '--url', url, plan.toString()])

        then:
        first.exitCode == ExitCode.VERIFY_FAILED.code()
        second.exitCode == 0
        journal('fixed').collect { it.step + ':' + it.status } == ['agent status:skipped', 'agents:applied']
    }

    def "a malformed verify option is a plan error with its line"() {
        given:
        def plan = files.write('bad_option.groovy', '''
            plan('bad_option') {
                step('one') {
                    verify(whenSkiped: true) { table 'x' }
                    verify(whenSkipped: 'no') { table 'x' }
                }
            }
        ''')

        when:
        def result = MigCli.run(['check', plan.toString()])

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        result.err.contains('bad_option.groovy:4: unknown option whenSkiped of verify')
        result.err.contains('bad_option.groovy:5: verify whenSkipped: takes true or false')
    }

    static String shopPlan(boolean withNext) {
        """
            plan('shop') {
                step('create authors') {
                    sql 'CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL)'
                    verify { table('authors') { column('name') { notNull true } } }
                }
                step('create tags') {
                    sql 'CREATE TABLE tags (id int PRIMARY KEY)'
                    verify { table('tags') }
                }
                ${withNext ? "step('create books') { sql 'CREATE TABLE books (id int)' }" : ''}
            }
        """
    }

    def "--reverify stops a run before it starts when an applied step's verify no longer holds"() {
        given:
        def first = files.write('shop1.groovy', shopPlan(false))
        def next = files.write('shop2.groovy', shopPlan(true))
        MigCli.run(['run', '--url', url, first.toString()])
        TestPostgres.withSql(db) { Sql s -> s.execute('ALTER TABLE authors ALTER COLUMN name DROP NOT NULL') }

        when:
        def stopped = MigCli.run(['run', '--reverify', '--url', url, next.toString()])

        then:
        stopped.exitCode == ExitCode.VERIFY_FAILED.code()
        stopped.err.contains('--reverify: 1 applied step no longer holds its verify; nothing was run')
        stopped.err.contains('create authors: table authors, column name: expected NOT NULL, found nullable')
        stopped.err.contains('mig verify PLAN lists the same')
        journal('shop').collect { it.step + ':' + it.status } == ['create authors:applied', 'create tags:applied']

        when: 'the database is put back'
        TestPostgres.withSql(db) { Sql s -> s.execute('ALTER TABLE authors ALTER COLUMN name SET NOT NULL') }
        def ran = MigCli.run(['run', '--reverify', '--url', url, next.toString()])

        then:
        ran.exitCode == 0
        ran.out.contains('reverify: 2 applied steps still hold their verify')
        journal('shop').collect { it.step + ':' + it.status } == ['create authors:applied', 'create tags:applied', 'create books:applied']
    }

    def "without --reverify the drift is not asked, as before"() {
        given:
        def first = files.write('shop3.groovy', shopPlan(false))
        def next = files.write('shop4.groovy', shopPlan(true))
        MigCli.run(['run', '--url', url, first.toString()])
        TestPostgres.withSql(db) { Sql s -> s.execute('ALTER TABLE authors ALTER COLUMN name DROP NOT NULL') }

        when:
        def ran = MigCli.run(['run', '--url', url, next.toString()])

        then:
        ran.exitCode == 0
        journal('shop').collect { it.step + ':' + it.status } == ['create authors:applied', 'create tags:applied', 'create books:applied']
    }
}
