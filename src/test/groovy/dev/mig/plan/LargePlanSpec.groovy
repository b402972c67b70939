package dev.mig.plan

import dev.mig.model.Plan
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.nio.file.Path

/**
 * Plans of many steps (issue 15): {@link LargeBlocks} cuts long blocks into chunk closures, so no
 * method goes over the JVM's 64 KB. The small plans here are cut with lowered limits, and must
 * load exactly as they do uncut: same steps, order, checksums, lines and messages.
 */
class LargePlanSpec extends DatabaseSpec {

    /** Limits that cut a block of more than three steps into chunks of about three. */
    static final int SMALL_LIMIT = 30
    static final int SMALL_CHUNK = 40

    /** A statement that, run in a chunk, records that it did (a chunk runs under LargeBlocks.run). */
    static final String PROBE = "inChunk = new Throwable().stackTrace.any { it.className == 'dev.mig.plan.LargeBlocks' }"

    Plan load(Path plan, boolean cut) {
        cut ? LargeBlocks.withLimits(SMALL_LIMIT, SMALL_CHUNK) { new PlanLoader().load(plan) } : new PlanLoader().load(plan)
    }

    MigCli cutCli(List<String> args) {
        LargeBlocks.withLimits(SMALL_LIMIT, SMALL_CHUNK) { MigCli.run(args) }
    }

    /** Everything a run records or compares of a step. */
    static List<String> summary(Plan plan) {
        plan.steps().collect { "${it.name()} ${it.checksum()} ${it.location()}".toString() }
    }

    def "a generated plan of 10,000 steps loads and runs, every step journaled in plan order"() {
        given:
        def text = new StringBuilder("plan('big') {\n")
        (1..10000).each { text << "    step('s$it') {\n        sql 'SELECT $it'\n    }\n" }
        def plan = files.write('big.groovy', text.append('}\n').toString())

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE plan = 'big' AND status = 'applied'").n } == 10000
        sql { Sql s -> s.rows("SELECT step FROM mig.steps WHERE plan = 'big' ORDER BY position DESC LIMIT 2")*.step } == ['s10000', 's9999']

        when: 'the rerun has nothing to do'
        def again = mig(plan.toString())

        then:
        again.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.history WHERE plan = 'big' AND outcome = 'applied'").n } == 10000
    }

    def "cut or not, a plan of every shape has the same steps, order, checksums and lines"() {
        given:
        files.write('sql/seed.sql', 'INSERT INTO t VALUES (1);\n')
        files.write('recipes/lib.groovy', '''\
            recipe('table with seed') { String name, int count = 1 ->
                sql "CREATE TABLE ${ident(name)} (id int)"
                verify { table(name) }
            }
        '''.stripIndent())
        def plan = files.write('shapes.groovy', '''\
            use 'recipes/lib.groovy'
            def prefix = 'app'
            def tables = []
            tables << 'first'
            tables << 'second'
            tables << 'third'
            String helper(String name) { "CREATE TABLE IF NOT EXISTS ${name} (id int)" }
            plan('shapes') {
                step('one') { sql helper(prefix + '_one') }
                step('two') {
                    guard { !table('app_two').exists() }
                    sql 'CREATE TABLE app_two (id int)'
                    verify { table('app_two') { column('id') { type 'integer' } } }
                }
                def counter = 0
                counter++
                step('three') { sqlFile 'sql/seed.sql' }
                step('four') { apply 'table with seed', 'four', 2 }
                counter++
                def late = "${prefix}_late"
                step('five') { groovy { db -> db.execute('SELECT 1') } }
                tables.each { t -> step("each ${t}") { sql "SELECT '${t}'" } }
                counter++
                step('six') { sql "SELECT ${counter}" }
                step(late) { sql "CREATE TABLE ${late} (id int)" }
                step('seven') {
                    transaction false
                    sql 'VACUUM'
                }
                step('eight') { sql 'SELECT 8' }
                step('nine') { sql 'SELECT 9' }
            }
        '''.stripIndent())

        when:
        def whole = summary(load(plan, false))
        def cut = summary(load(plan, true))

        then:
        whole.size() == 13
        whole.find { it.startsWith('six ') } != null
        cut == whole
        load(plan, true).steps()*.name() == ['one', 'two', 'three', 'four', 'five', 'each first', 'each second', 'each third',
                                             'six', 'app_late', 'seven', 'eight', 'nine']
        load(plan, true).steps().find { it.name() == 'six' }.actions()[0].text() == 'SELECT 3'
    }

    def "the lowered limits cut such plans: a late statement runs in a chunk"() {
        given:
        def plan = files.write('probe.groovy', """\
            plan('probe') {
                def inChunk = false
                step('a') { sql 'SELECT 1' }
                step('b') { sql 'SELECT 2' }
                step('c') { sql 'SELECT 3' }
                step('d') { sql 'SELECT 4' }
                $PROBE
                step("in chunk \${inChunk}") { sql 'SELECT 5' }
            }
        """.stripIndent())

        expect:
        load(plan, false).steps()*.name()[-1] == 'in chunk false'
        load(plan, true).steps()*.name()[-1] == 'in chunk true'
    }

    def "a local declared early and changed in one chunk is seen changed by a later chunk"() {
        given:
        def plan = files.write('locals.groovy', '''\
            plan('locals') {
                def n = 0
                step('a') { sql 'SELECT 1' }
                n = n + 1
                step('b') { sql 'SELECT 2' }
                n = n + 1
                step('c') { sql 'SELECT 3' }
                n = n + 1
                step('d') { sql 'SELECT 4' }
                n = n + 1
                step("n is ${n}") { sql 'SELECT 5' }
            }
        '''.stripIndent())

        expect:
        load(plan, true).steps()*.name() == ['a', 'b', 'c', 'd', 'n is 4']
    }

    def "a closure's parameters, and its implicit it, are seen in every chunk of its body"() {
        given:
        files.write('recipes/many.groovy', """\
            recipe('many') { String name ->
                ${(1..12).collect { "sql 'SELECT $it'" }.join('\n                ')}
                sql "SELECT '\${name}'"
            }
        """.stripIndent())
        def plan = files.write('params.groovy', """\
            use 'recipes/many.groovy'
            plan('params') {
                def inChunk = false
                ['x'].each {
                    ${(1..8).collect { n -> "step(\"\${it} $n\") { sql 'SELECT $n' }" }.join('\n                    ')}
                    $PROBE
                    step("last \${it} \${inChunk}") { apply 'many', 'late' }
                }
            }
        """.stripIndent())

        when:
        def cut = load(plan, true)

        then:
        cut.steps()*.name() == (1..8).collect { "x $it".toString() } + ['last x true']
        cut.steps()[-1].actions()*.text()[-1] == "SELECT 'late'"
        summary(cut).init() == summary(load(plan, false)).init()
        cut.steps()[-1].checksum() == load(plan, false).steps()[-1].checksum()
    }

    def "a return in the plan block ends it, in a chunk as in one block"() {
        given:
        def plan = files.write('returns.groovy', '''\
            def stopEarly = true
            plan('returns') {
                step('a') { sql 'SELECT 1' }
                step('b') { sql 'SELECT 2' }
                if (stopEarly) return
                step('c') { sql 'SELECT 3' }
                step('d') { sql 'SELECT 4' }
                step('e') { sql 'SELECT 5' }
                step('f') { sql 'SELECT 6' }
            }
        '''.stripIndent())

        expect:
        load(plan, false).steps()*.name() == ['a', 'b']
        load(plan, true).steps()*.name() == ['a', 'b']
    }

    def "a misspelt word in a late chunk is reported at its line, with the message it has uncut"() {
        given:
        def text = new StringBuilder("plan('typo') {\n")
        (1..40).each { text << "    step('s$it') { sql 'SELECT $it' }\n" }
        text << "    step('bad') { sqll 'SELECT 1' }\n"   // line 42
        text << "    step('last') { sql 'SELECT 2' }\n"
        def plan = files.write('typo.groovy', text.append('}\n').toString())

        when:
        def whole = MigCli.run(['check', plan.toString()])
        def cut = cutCli(['check', plan.toString()])

        then:
        whole.exitCode == 2
        whole.err.contains("typo.groovy:42: unknown element 'sqll' in step 'bad'")
        cut.exitCode == whole.exitCode
        cut.err == whole.err
    }

    def "an exception thrown by plan code in a late chunk names its line, cut or not"() {
        given:
        def text = new StringBuilder("plan('throws') {\n")
        (1..40).each { text << "    step('s$it') { sql 'SELECT $it' }\n" }
        text << "    String missing = null\n"                 // line 42
        text << "    step(missing.toUpperCase()) { sql 'SELECT 1' }\n"   // line 43
        def plan = files.write('throws.groovy', text.append('}\n').toString())

        when:
        def whole = MigCli.run(['check', plan.toString()])
        def cut = cutCli(['check', plan.toString()])

        then:
        whole.exitCode == 2
        whole.err.contains('throws.groovy:43: ')
        cut.exitCode == whole.exitCode
        cut.err == whole.err
    }

    def "many top-level statements and helper calls before the plan are cut too, and still define it"() {
        given:
        def text = new StringBuilder("def names = []\n")
        (1..300).each { text << "names << 'n$it'\n" }
        text << "plan('top') {\n    names.each { n -> step(n) { sql 'SELECT 1' } }\n}\n"
        def plan = files.write('top.groovy', text.toString())

        expect:
        load(plan, true).steps()*.name() == (1..300).collect { "n$it".toString() }
        summary(load(plan, true)) == summary(load(plan, false))
    }

    def "the strict check reads a cut plan as it reads it whole"() {
        given:
        def text = new StringBuilder("plan('strict') {\n")
        (1..40).each { text << "    step('s$it') { sql 'SELECT $it'\n verify { table('t$it') } }\n" }
        def plan = files.write('strict.groovy', text.append('}\n').toString())

        expect:
        MigCli.run(['check', '--strict', plan.toString()]).exitCode == 0
        cutCli(['check', '--strict', plan.toString()]).exitCode == 0
    }
}
