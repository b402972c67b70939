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
        journal() == [[step: 'a', status: 'failed']]

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
    def "a block too long for a method fails with the compiler's message as text and what to do"() {
        given: 'plans of 10,000 steps load (LargePlanSpec); 12,000 local variables in one block are not cut'
        def text = new StringBuilder()
        12_000.times { text << "def v${it} = ${it}\n" }
        text << "plan('long') {\n  step('s0') {\n    sql 'CREATE TABLE t0 (i int)'\n  }\n}\n"
        def plan = files.write('many.groovy', text.toString())

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode == 2
        run.err.contains('many.groovy: compilation error: Method too large')
        run.err.contains('nor thousands of local variables in one block')
        !run.err.contains('ExceptionMessage@')
        !exists('public.t0')
    }

    @Unroll
    def "#what in #block is found by mig check (exit 2, line #line) and mig run refuses the plan before any SQL"() {
        given:
        def plan = files.write('words.groovy', """\
            plan('p') {
              step('a') {
                sql 'CREATE TABLE t (i int)'
              }
              step('b') {
            ${code}
                sql 'CREATE TABLE u (i int)'
              }
            }
            """)

        when:
        def check = MigCli.run(['check', plan.toString()])
        def run = mig(plan.toString())

        then:
        [check, run].every { it.exitCode == 2 }
        [check, run].every { it.err.contains("words.groovy:${line}: ${message}") }
        check.err.contains(hint)
        !exists('public.t')
        journal().isEmpty()

        where:
        what                | block             | line | code                                                                  | message                                          | hint
        'a misspelt word'   | 'a guard'         | 6    | "    guard { !enumTyp('tier').exists() }"                             | "unknown element 'enumTyp' in a guard block"      | "did you mean 'enumType'?"
        'a misspelt word'   | 'an iteration'    | 6    | "    guard { ['a'].every { tabel(it).exists() } }"                    | "unknown element 'tabel' in a guard block"        | "did you mean 'table'?"
        'a misspelt name'   | 'an expect block' | 6    | "    verify { expect('new') { serverVerson >= 150000 } }"             | "unknown name 'serverVerson' in an expect block"  | "did you mean 'serverVersion'?"
        'an undeclared db'  | 'a groovy block'  | 6    | "    groovy { db.execute('SELECT 1') }"                               | "unknown name 'db' in a groovy block"             | 'groovy { db -> '
        'an invalid name'   | 'a guard'         | 6    | "    guard { !table('a.b.c').exists() }"                              | "table: invalid name 'a.b.c'"                     | 'schema.name'
        'an invalid name'   | 'a verify block'  | 6    | "    verify { table 'x.\"open' }"                                     | "table: invalid name 'x.\"open'"                 | 'schema.name'
        'an invalid member' | 'an absent block' | 6    | "    verify { absent { column 't', 'a.b' } }"                         | "column: invalid name 'a.b'"                      | 'schema.name'
    }

    def "legitimate Groovy in guard, expect and groovy blocks passes: locals, parameters, it, helpers, binding variables, Groovy methods"() {
        given:
        def plan = files.write('fine.groovy', """\
            import groovy.transform.Field
            @Field int wanted = 1
            limit = 2
            check = { String name -> name.size() > 0 }
            def helper(String t) { t.toLowerCase() }
            plan('p') {
              step('a') {
                guard { def n = 1; [helper('T')].every { !table(it).exists() && check(it) && n < limit && wanted == 1 } }
                sql 'CREATE TABLE t (i int)'
                verify {
                  expect('t') { [1].any { x -> column('t', 'i').exists() && x == 1 } && serverVersion > 0 && Math.max(1, 2) == 2 }
                }
              }
              step('b') {
                groovy { db -> db.execute('CREATE TABLE u (i int)'); println "made \${table('u').name}" }
              }
            }
            """)

        expect:
        MigCli.run(['check', plan.toString()]).exitCode == 0
        mig(plan.toString()).exitCode == 0
        exists('public.t') && exists('public.u')
    }

    def "a word no check can see (a dynamic name) fails the step at run time with its message, never a NullPointerException"() {
        given:
        def plan = files.write('dynamic.groovy', """\
            def word = 'enumTyp'
            plan('p') {
              step('a') {
                guard { !"\${word}"('tier').exists() }
                sql 'CREATE TABLE t (i int)'
              }
            }
            """)

        when:
        def run = mig(plan.toString())
        String output = run.out + run.err

        then:
        run.exitCode != 0
        output.contains("unknown element 'enumTyp'")
        output.contains('dynamic.groovy:4')
        !output.contains('NullPointerException')
        !exists('public.t')
    }

    @Unroll
    def "mig #command --help says what runs: #says"() {
        when:
        def help = MigCli.run([command, '--help'])
        String text = help.out.replaceAll(/\s+/, ' ')

        then:
        help.exitCode == 0
        text.contains(says)
        !text.contains('without a database')
        !text.contains('No database.')

        where:
        command   | says
        'check'   | 'Loading runs the plan file as Groovy: its top-level code'
        'check'   | 'The plan is then loaded as without --strict: its top-level code and recipe bodies run'
        'lint'    | 'loading the plan runs its top-level code and recipe bodies'
        'recipes' | 'loading the plan runs its top-level code and recipe bodies'
        'plan'    | 'the guards run against the target in a read-only transaction that is rolled back'
        'status'  | 'loading the plan runs its top-level code and recipe bodies'
        'verify'  | 'Loading the plan runs its top-level code and recipe bodies, and verify blocks run their Groovy'
    }
}
