package dev.mig.run

import dev.mig.Mig
import dev.mig.result.HookResult
import dev.mig.testing.DatabaseSpec
import groovy.json.JsonSlurper
import groovy.sql.Sql
import org.postgresql.ds.PGSimpleDataSource

/** Plan-level hooks: beforeRun, afterStep, afterRun and onFailure, each in a transaction of its own, on real PostgreSQL. */
class HooksSpec extends DatabaseSpec {

    /** A plan whose hooks write what ran into hook_log (made by beforeRun), with {@code steps} as its steps. */
    static String plan(String steps, String more = '') {
        """\
        plan('hooks') {
            beforeRun {
                sql 'CREATE TABLE IF NOT EXISTS hook_log (id serial, what text)'
                sql "INSERT INTO hook_log (what) VALUES ('beforeRun')"
            }
            afterStep {
                groovy { db -> db.execute("INSERT INTO hook_log (what) VALUES ('afterStep')") }
            }
            afterRun {
                sql "INSERT INTO hook_log (what) VALUES ('afterRun')"
            }
            onFailure {
                sql "INSERT INTO hook_log (what) VALUES ('onFailure')"
            }
        ${more}
        ${steps}
        }
        """.stripIndent()
    }

    List<String> log() {
        sql { Sql s -> s.rows('SELECT what FROM hook_log ORDER BY id')*.what }
    }

    def "beforeRun, afterStep for each applied step, and afterRun run in order, each committed; a rerun runs no afterStep"() {
        given:
        def file = files.write('hooks.groovy', plan("""
            step('a') { sql 'CREATE TABLE a (id int)' }
            step('b') { sql 'CREATE TABLE b (id int)' }"""))
        def report = files.dir.resolve('report.json')

        when:
        def first = mig('--report', "json:${report}", file.toString())

        then:
        first.exitCode == 0
        log() == ['beforeRun', 'afterStep', 'afterStep', 'afterRun']
        first.out.contains("hook ran     beforeRun")
        first.out.contains("hook ran     afterStep (after 'a')")
        first.out.contains("hook ran     afterRun")

        and: 'the JSON report lists them, in the order they ran'
        def json = new JsonSlurper().parse(report.toFile())
        json.hooks*.when == ['beforeRun', 'afterStep', 'afterStep', 'afterRun']
        json.hooks*.afterStep == [null, 'a', 'b', null]
        json.hooks.every { it.error == null && it.line > 0 }

        when: 'nothing is pending'
        def second = mig(file.toString())

        then: 'no step was applied, so no afterStep; afterRun runs on every successful run'
        second.exitCode == 0
        log() == ['beforeRun', 'afterStep', 'afterStep', 'afterRun', 'beforeRun', 'afterRun']
    }

    def "a failing step: onFailure runs in its own committed transaction, afterRun does not, the exit code is the step's"() {
        given:
        def file = files.write('hooks.groovy', plan("""
            step('a') { sql 'CREATE TABLE a (id int)' }
            step('b') { sql 'INSERT INTO missing VALUES (1)' }
            step('c') { sql 'CREATE TABLE c (id int)' }"""))

        when:
        def run = mig(file.toString())

        then:
        run.exitCode == 1
        log() == ['beforeRun', 'afterStep', 'onFailure']
        exists('a')
        !exists('c')
        run.out.contains('hook ran     onFailure')
    }

    def "a failing afterRun hook fails the run (exit 1) with a failure block naming the hook and its line; the steps stay applied"() {
        given:
        def file = files.write('hooks.groovy', """\
            plan('p') {
                step('a') { sql 'CREATE TABLE a (id int)' }
                afterRun {
                    sql 'REFRESH MATERIALIZED VIEW no_such_view'
                }
                onFailure { sql 'CREATE TABLE failure_seen (id int)' }
            }
            """.stripIndent())

        when:
        def run = mig(file.toString())

        then:
        run.exitCode == 1
        run.out.contains('hook FAILED  afterRun')
        run.out =~ /Hook:\s+afterRun \(.*hooks\.groovy:3\)/
        run.out.contains('no_such_view')
        run.out.contains('42P01')
        run.out.contains('every step stays applied')
        run.out.contains('failed: the afterRun hook failed')
        exists('a')
        exists('failure_seen')
        sql { Sql s -> s.firstRow("SELECT status FROM mig.steps WHERE step = 'a'").status } == 'applied'
    }

    def "a failing beforeRun hook runs no step; a failing afterStep hook is rolled back, its step stays applied, no later step runs"() {
        when:
        def before = files.write('before.groovy', """\
            plan('before') {
                beforeRun { sql 'SELECT 1/0' }
                step('a') { sql 'CREATE TABLE a (id int)' }
            }
            """.stripIndent())
        def run = mig(before.toString())

        then:
        run.exitCode == 1
        !exists('a')
        run.out.contains('hook FAILED  beforeRun')
        run.out.contains('no step ran')

        when:
        def after = files.write('after.groovy', """\
            plan('after') {
                afterStep {
                    sql 'CREATE TABLE half (id int)'
                    sql 'SELECT 1/0'
                }
                step('x') { sql 'CREATE TABLE x (id int)' }
                step('y') { sql 'CREATE TABLE y (id int)' }
            }
            """.stripIndent())
        def second = mig(after.toString())

        then:
        second.exitCode == 1
        exists('x')
        !exists('half')       // the hook's own transaction was rolled back
        !exists('y')
        second.out.contains("hook FAILED  afterStep (after 'x')")
    }

    def "transaction false runs a hook's statements in autocommit, so VACUUM works; a dry run runs no hook"() {
        given:
        def file = files.write('vac.groovy', """\
            plan('vac') {
                step('t') { sql 'CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100)' }
                afterRun {
                    transaction false
                    sql 'VACUUM ANALYZE t'
                }
            }
            """.stripIndent())

        when:
        def dry = mig('--dry-run', file.toString())

        then:
        dry.exitCode == 0
        !dry.out.contains('hook ')

        when:
        def run = mig(file.toString())

        then:
        run.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT last_vacuum IS NOT NULL AS v FROM pg_stat_user_tables WHERE relname = 't'").v }
    }

    def "a hook's SQL takes placeholders as a step's does, from --set and the built-ins"() {
        given:
        def file = files.write('ph.groovy', """\
            plan('ph') {
                placeholders team: 'nobody'
                step('a') { sql 'CREATE TABLE a (id int)' }
                afterRun { sql '''COMMENT ON TABLE a IS '\${team} on \${mig:database}' ''' }
            }
            """.stripIndent())

        when:
        def run = mig('--set', 'team=ci', file.toString())

        then:
        run.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT obj_description('a'::regclass) AS c").c } == "ci on ${db}"
    }

    def "an empty hook is a plan error naming its line, before connecting"() {
        given:
        def file = files.write('empty.groovy', """\
            plan('e') {
                afterRun { }
                step('a') { sql 'SELECT 1' }
            }
            """.stripIndent())

        when:
        def run = dev.mig.testing.MigCli.run(['run', '--url', 'postgresql://nobody@127.0.0.1:1/none', file.toString()])

        then:
        run.exitCode == 2
        run.err.contains('empty.groovy:2')
        run.err.contains('afterRun { } does nothing')
    }

    def "the Java API's RunListener sees each hook, and MigResult has them"() {
        given:
        def plan = Mig.planFromString('api.groovy', """\
            plan('api') {
                step('a') { sql 'CREATE TABLE a (id int)' }
                afterRun { sql 'ANALYZE a' }
            }""".stripIndent(), files.dir)
        List<String> seen = []
        def listener = new RunListener() {
            @Override
            void hookFinished(HookResult r) { seen << r.label() }
        }
        def ds = new PGSimpleDataSource()
        ds.setURL(url)

        when:
        def result = plan.runner().listener(listener).run(ds)

        then:
        result.succeeded()
        seen == ['afterRun']
        result.hooks()*.label() == ['afterRun']
    }
}
