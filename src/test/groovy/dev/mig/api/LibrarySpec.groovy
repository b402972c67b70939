package dev.mig.api

import dev.mig.Mig
import dev.mig.run.RunListener
import dev.mig.result.StepOutcome
import dev.mig.result.StepResult
import dev.mig.result.VerifyFailure
import dev.mig.testing.TestPostgres
import org.postgresql.ds.PGSimpleDataSource
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/** mig as a library: the dev.mig facade (README, "mig as a library"). */
class LibrarySpec extends Specification {

    @TempDir
    Path dir

    String database = TestPostgres.createDatabase('library')

    PGSimpleDataSource dataSource() {
        def ds = new PGSimpleDataSource()
        ds.setURL(TestPostgres.jdbcUrl(database))
        ds
    }

    def "plan text compiles under the given name, sqlFile resolves against the base directory, and runs on a DataSource"() {
        given:
        Files.createDirectories(dir.resolve('sql'))
        Files.writeString(dir.resolve('sql/t.sql'), 'CREATE TABLE t (id int PRIMARY KEY);\n')
        def plan = Mig.planFromString('inline.groovy', """\
            plan('inline') {
                step('t') { sqlFile 'sql/t.sql' }
                step('u') { tags 'later'; sql 'CREATE TABLE u (id int)' }
            }""".stripIndent(), dir)

        when: 'a tag no step has would run nothing: refused before running'
        plan.runner().tags('none-such')

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        plan.name() == 'inline'
        plan.stepNames() == ['t', 'u']

        when:
        def result = plan.runner().run(dataSource())

        then:
        result.exitCode() == ExitCode.OK
        result.steps()*.outcome() == [StepOutcome.APPLIED, StepOutcome.APPLIED]
        result.steps().every { it.failure() == null && it.durationMs() >= 0 }
        TestPostgres.withSql(database) { it.firstRow("SELECT count(*) AS n FROM mig.steps WHERE plan = 'inline'").n } == 2
    }

    def "a failed step carries its message, SQL State and file:line; the exit code is mig run's"() {
        given:
        def plan = Mig.planFromString('broken.groovy', """\
            plan('broken') {
                step('ok') { sql 'CREATE TABLE a (id int)' }
                step('bad') {
                    sql 'CREATE TABLE b (x nosuchtype)'
                }
                step('after') { sql 'SELECT 1' }
            }""".stripIndent(), dir)

        when:
        def result = plan.runner().run(TestPostgres.jdbcUrl(database))

        then:
        !result.succeeded()
        result.exitCode() == ExitCode.STEP_FAILED
        result.steps()*.outcome() == [StepOutcome.APPLIED, StepOutcome.FAILED, StepOutcome.NOT_RUN]
        with(result.step('bad').get().failure()) {
            sqlState() == '42704'
            message().contains('nosuchtype')
            location().toString().endsWith('broken.groovy:4')
        }
        result.failureSummary().contains("step 'bad' FAILED")
    }

    def "a verify failure is exit 3 with expected against found"() {
        given:
        def plan = Mig.planFromString('v.groovy', """\
            plan('v') {
                step('t') {
                    sql 'CREATE TABLE t (a int, b int)'
                    verify { table('t') { columns 3 } }
                }
            }""".stripIndent(), dir)

        when:
        def result = plan.runner().run(dataSource())

        then:
        result.exitCode() == ExitCode.VERIFY_FAILED
        result.steps()[0].outcome() == StepOutcome.VERIFY_FAILED
        result.steps()[0].verifyFailures().any { it.message().contains('expected 3 columns, found 2') }
    }

    def "library users get the reports' typed results: each verify failure's subject, expected, found, file and line"() {
        given:
        def plan = Mig.planFromString('typed.groovy', """\
            plan('typed') {
                step('t') {
                    sql 'CREATE TABLE t (a int, b int)'
                    verify {
                        table('t') { column('a') { type 'text' } }
                        rowCount('t', 1)
                    }
                }
                verify { absent { table 't' } }
            }""".stripIndent(), dir)

        when:
        def result = plan.runner().run(dataSource())

        then:
        StepResult step = result.step('t').get()
        step.outcome() == StepOutcome.VERIFY_FAILED
        step.outcome().failed()
        step.failure() == null
        List<VerifyFailure> failures = step.verifyFailures()
        failures*.subject() == ['table t, column a', 'rowCount t']
        failures*.expected() == ['type text', '1 rows']
        failures*.found() == ['integer', '0']
        failures*.location()*.line() == [5, 6]
        failures.every { it.location().displayFile().endsWith('typed.groovy') }
        failures[0].text() == "table t, column a: expected type text, found integer (${failures[0].location()})"
        result.planVerifyFailures() == []
        result.details().steps() == result.steps()
        result.failureSummary().contains('verify: rowCount t: expected 1 rows, found 0 (')

        when: 'the plan-level verify, checked once every step held'
        def second = Mig.planFromString('typed2.groovy', """\
            plan('typed2') {
                step('u') { sql 'CREATE TABLE u (a int)' }
                verify { absent { table 'u' } }
            }""".stripIndent(), dir).runner().run(dataSource())

        then:
        second.exitCode() == ExitCode.VERIFY_FAILED
        with(second.planVerifyFailures()[0]) {
            subject() == 'table u'
            expected() == 'absent'
            found() == 'exists'
            message() == 'absent: table u exists'
            location().line() == 3
        }
    }

    def "plan problems are one InvalidPlanException listing each with file and line, before any connection"() {
        when:
        Mig.planFromString('bad.groovy', """\
            plan('bad') {
                step('a') { sqll 'SELECT 1' }
                step('a') { sql 'SELECT 2' }
            }""".stripIndent(), dir)

        then:
        InvalidPlanException e = thrown()
        e.exitCode() == ExitCode.PLAN_ERROR
        e.planProblems().size() == 2
        e.planProblems()*.location()*.line() == [2, 3]
        e.planProblems().every { it.location().toString().contains('bad.groovy:') }
    }

    def "dry run, journal schema, lock wait, until and a listener"() {
        given:
        def plan = Mig.planFromString('d.groovy', """\
            plan('d') {
                step('one') { sql 'CREATE TABLE one (id int)' }
                step('two') { sql 'CREATE TABLE two (id int)' }
            }""".stripIndent(), dir)
        List<String> seen = []
        def listener = new RunListener() {
            @Override
            void stepFinished(StepResult r) { seen << r.step().name() }
        }

        when:
        def dry = plan.runner().dryRun(true).journalSchema('j').lockWait(Duration.ofSeconds(5)).listener(listener).run(dataSource())

        then:
        dry.dryRun()
        dry.steps()*.outcome() == [StepOutcome.APPLIED, StepOutcome.APPLIED]
        seen == ['one', 'two']
        TestPostgres.withSql(database) { it.firstRow("SELECT to_regclass('one') AS r").r } == null

        when:
        def real = plan.runner().journalSchema('j').until('one').run(dataSource())

        then:
        real.steps()*.outcome() == [StepOutcome.APPLIED, StepOutcome.NOT_RUN]
        TestPostgres.withSql(database) { it.firstRow("SELECT count(*) AS n FROM j.steps").n } == 1

        when:
        plan.runner().until('three')

        then:
        MigException e = thrown()
        e.exitCode() == ExitCode.PLAN_ERROR
    }

    def "an unreachable DataSource is a connection failure, exit 6"() {
        given:
        def ds = new PGSimpleDataSource()
        ds.setURL('jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2')

        when:
        Mig.planFromString('c.groovy', "plan('c') { step('s') { sql 'SELECT 1' } }").runner().run(ds)

        then:
        MigException e = thrown()
        e.exitCode() == ExitCode.CONNECTION_FAILED
    }
}
