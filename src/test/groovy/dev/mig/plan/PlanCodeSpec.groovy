package dev.mig.plan

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql
import spock.lang.Timeout
import spock.lang.Unroll

/** Plan code that would end mig, plans too deep or too long to compile: clear errors, never exit 0. */
class PlanCodeSpec extends DatabaseSpec {

    List<Map> journal() {
        sql { Sql s ->
            boolean hasJournal = s.firstRow("SELECT to_regclass('mig.steps') IS NOT NULL AS e").e
            hasJournal ? s.rows("SELECT step, status FROM mig.steps ORDER BY position").collect { [step: it.step, status: it.status] } : []
        }
    }

    @Unroll
    def "System.exit written in #position is a plan error at line #line for check and run, and nothing runs"() {
        given:
        def plan = files.write('exit.groovy', text)

        when:
        def check = MigCli.run(['check', plan.toString()])
        def run = mig(plan.toString())

        then:
        [check, run].every { it.exitCode == 2 }
        [check, run].every { it.err.contains("exit.groovy:${line}: ${call} would end mig itself") }
        run.err.contains('throw new IllegalStateException')
        !exists('public.t')
        journal().isEmpty()

        where:
        position          | line | call                              | text
        'the top level'   | 1    | 'System.exit(...)'                | "System.exit(3)\nplan('p') { step('a') { sql 'CREATE TABLE t (i int)' } }"
        'a guard'         | 3    | 'System.exit(...)'                | "plan('p') {\n  step('a') {\n    guard { System.exit(0); true }\n    sql 'CREATE TABLE t (i int)'\n  }\n}"
        'a verify block'  | 4    | 'System.exit(...)'                | "plan('p') {\n  step('a') {\n    sql 'CREATE TABLE t (i int)'\n    verify { expect('x') { System.exit(0) } }\n  }\n}"
        'a groovy block'  | 3    | 'Runtime.getRuntime().halt(...)'  | "plan('p') {\n  step('a') {\n    groovy { Runtime.runtime.halt(0) }\n  }\n}"
        'a recipe body'   | 1    | 'System.exit(...)'                | "recipe('r') { System.exit(0) }\nplan('p') { step('a') { apply 'r'; sql 'CREATE TABLE t (i int)' } }"
    }

    @Unroll
    def "System.exit reached dynamically in #position fails the step with its line, and the step is not applied"() {
        given:
        def plan = files.write('exit.groovy', "def quit = System\n" + text)

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode != 0
        run.exitCode != 5 && run.exitCode != 7   // the codes the plan asked for
        (run.out + run.err).contains("exit.groovy:${line}")
        (run.out + run.err).contains('System.exit(...) called by plan code')
        !exists('public.t')
        journal().findAll { it.status == 'applied' }.isEmpty()

        where:
        position         | line | text
        'a guard'        | 4    | "plan('p') {\n  step('a') {\n    guard { quit.exit(5); true }\n    sql 'CREATE TABLE t (i int)'\n  }\n}"
        'a verify block' | 5    | "plan('p') {\n  step('a') {\n    sql 'CREATE TABLE t (i int)'\n    verify { expect('x') { quit.'exit'(7) } }\n  }\n}"
        'a groovy block' | 4    | "plan('p') {\n  step('a') {\n    groovy { db -> db.execute('CREATE TABLE t (i int)'); quit.exit(5) }\n  }\n}"
    }

    def "System.exit reached dynamically at the top level is a plan error of mig check, exit 2"() {
        given:
        def plan = files.write('exit.groovy', "def quit = System\nquit.exit(0)\nplan('p') { step('a') { sql 'SELECT 1' } }")

        when:
        def check = MigCli.run(['check', plan.toString()])

        then:
        check.exitCode == 2
        check.err.contains('exit.groovy:2: the plan failed while loading: System.exit(...) called by plan code')
    }

    @Timeout(60)
    def "a plan of 3,000 nested closures is refused within seconds, naming the line and the limit"() {
        given:
        def plan = files.write('nested.groovy', "plan('nested') {\n  step('a') {\n    guard {\n"
                + '[1].each { ' * 3000 + 'true' + ' }' * 3000 + "\n    }\n    sql 'CREATE TABLE t (i int)'\n  }\n}\n")

        when:
        long started = System.nanoTime()
        def check = MigCli.run(['check', plan.toString()])
        def run = mig(plan.toString())
        long seconds = (System.nanoTime() - started) / 1_000_000_000

        then:
        seconds < 20
        [check, run].every { it.exitCode == 2 }
        check.err.contains('nested.groovy:4: blocks and brackets nest more than 100 levels deep')
        check.err.contains('flatten the nesting')
        !exists('public.t')
    }

    def "a plan nested 90 levels deep still loads and runs"() {
        given:
        def plan = files.write('deep.groovy', "plan('deep') {\n  step('a') {\n    guard {\n"
                + '[1].every { ' * 85 + 'true' + ' }' * 85 + "\n    }\n    sql 'CREATE TABLE t (i int)'\n  }\n}\n")

        expect:
        mig(plan.toString()).exitCode == 0
        exists('public.t')
    }

    @Timeout(300)
    def "a plan of 10,000 steps fails with the compiler's message as text and what to do"() {
        given:
        def text = new StringBuilder("plan('long') {\n")
        10_000.times { text << "  step('s${it}') {\n    sql 'CREATE TABLE t${it} (i int)'\n  }\n" }
        def plan = files.write('long.groovy', text.append('}\n').toString())

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode == 2
        run.err.contains('long.groovy: compilation error: Method too large')
        run.err.contains('split the steps over several plan files')
        !run.err.contains('ExceptionMessage@')
        !exists('public.t0')
    }
}
