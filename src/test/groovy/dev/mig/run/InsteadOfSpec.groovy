package dev.mig.run

import dev.mig.api.ExitCode
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

/**
 * insteadOf (docs/DSL.md section 3, "Alternatives"): a step that stands in for an earlier one
 * runs where that one was skipped by its guard and is skipped where it applied, and the journal,
 * the output, the reports and mig plan say which.
 */
class InsteadOfSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()

    String db
    String url

    def setup() {
        db = TestPostgres.createDatabase('instead_of')
        url = TestPostgres.jdbcUrl(db)
    }

    static String plan(String name, String extension) {
        """
            plan('${name}') {
                step('${extension} search') {
                    guard(message: '${extension} is not on this server') { extension('${extension}').available }
                    sql 'CREATE EXTENSION IF NOT EXISTS ${extension}'
                }
                step('plain search') {
                    insteadOf '${extension} search'
                    sql 'CREATE TABLE plain_search (id int)'
                }
                step('after') {
                    sql 'CREATE TABLE after_search (id int)'
                }
            }
        """
    }

    List<Map> journal(String plan) {
        TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT step, status, guard_evidence::text AS evidence FROM mig.steps WHERE plan = ${plan} ORDER BY position")*.toSpreadMap()
        }
    }

    boolean exists(String table) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass(${table}) IS NOT NULL AS e").e }
    }

    def "where the extension is missing, the step that stands in for its step runs, and says so"() {
        given:
        def file = files.write('missing.groovy', plan('missing', 'no_such_extension'))
        def report = files.dir.resolve('missing.json')

        when:
        def result = MigCli.run(['run', '--url', url, '--report', "json:${report}", file.toString()])
        def rows = journal('missing')

        then:
        result.exitCode == 0
        result.out =~ /skipped\s+no_such_extension search .*no_such_extension is not on this server/
        result.out =~ /applied\s+plain search\s+\(\d+ ms\)\s+instead of 'no_such_extension search', which its guard skipped/
        rows*.status == ['skipped', 'applied', 'applied']
        rows[1].evidence.contains("'no_such_extension search' was skipped by its guard: this step stands in for it")
        exists('plain_search')
        def steps = new JsonSlurper().parse(report.toFile()).steps
        steps.find { it.name == 'plain search' }.insteadOf == 'no_such_extension search'
        steps.find { it.name == 'after' }.insteadOf == null

        when: 'run again: nothing changes'
        def again = MigCli.run(['run', '--url', url, file.toString()])

        then:
        again.exitCode == 0
        journal('missing')*.status == ['skipped', 'applied', 'applied']
    }

    def "where the extension is there, its step applies and the stand-in is skipped, on every run"() {
        given:
        def file = files.write('present.groovy', plan('present', 'hstore'))

        when:
        def first = MigCli.run(['run', '--url', url, file.toString()])
        def second = MigCli.run(['run', '--url', url, file.toString()])

        then:
        first.exitCode == 0
        first.out =~ /skipped\s+plain search .*'hstore search' is applied: this step stands in for it only where its guard skips it/
        second.exitCode == 0
        second.out =~ /skipped\s+plain search .*'hstore search' is applied/
        journal('present')*.status == ['applied', 'skipped', 'applied']
        !exists('plain_search')
    }

    def "mig plan tells which of the two a run would take"() {
        given:
        def missing = files.write('plan_missing.groovy', plan('plan_missing', 'no_such_extension'))
        def present = files.write('plan_present.groovy', plan('plan_present', 'hstore'))

        when:
        def one = MigCli.run(['plan', '--url', url, missing.toString()])
        def two = MigCli.run(['plan', '--url', url, present.toString()])

        then:
        one.exitCode == 0
        one.out.contains("'no_such_extension search' was skipped by its guard: this step stands in for it")
        two.out.contains("'hstore search' is applied: this step stands in for it only where its guard skips it")
        !exists('plain_search')
    }

    def "insteadOf a step no guard skips, a later step or an unknown one is a plan error"() {
        given:
        def file = files.write('bad_instead.groovy', '''
            plan('bad_instead') {
                step('always') { sql 'SELECT 1' }
                step('never') { insteadOf 'always'; sql 'SELECT 2' }
                step('early') { insteadOf 'late'; sql 'SELECT 3' }
                step('late') { guard { false }; sql 'SELECT 4' }
                step('typo') { insteadOf 'alway'; sql 'SELECT 5' }
                step('twice') { insteadOf 'late'; insteadOf 'always'; sql 'SELECT 6' }
            }
        ''')

        when:
        def result = MigCli.run(['check', file.toString()])

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        result.err.contains("step 'never' is insteadOf 'always', which has no guard that skips it: this step would never run")
        result.err.contains("step 'early' requires 'late', which comes later")
        result.err.contains("step 'typo' requires unknown step 'alway'")
        result.err.contains("a step stands in for one step; this one has insteadOf 'late' already")
    }
}
