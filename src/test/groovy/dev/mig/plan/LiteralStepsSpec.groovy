package dev.mig.plan

import dev.mig.model.Plan
import dev.mig.testing.PlanFiles
import spock.lang.Specification

import java.nio.file.Path

/**
 * Steps of literal words compiled as data (LiteralSteps): the same plan, the same problems at the
 * same lines, as when each step is a closure. Each case is loaded both ways and compared whole.
 */
class LiteralStepsSpec extends Specification {

    PlanFiles files = new PlanFiles()

    static Plan load(Path plan) {
        new PlanLoader().load(plan)
    }

    static Plan asClosures(Path plan) {
        LiteralSteps.without { load(plan) }
    }

    static List<String> problems(Closure<Plan> loading) {
        try {
            loading()
            return []
        } catch (PlanException e) {
            return e.problems().collect { "${it.location()}: ${it.message()} | ${it.hint()}".toString() }
        }
    }

    static Class<?> compiled(Path plan) {
        ScriptCompiler.compile(java.nio.file.Files.readString(plan), plan.fileName.toString(), plan, PlanLoader.SCRIPT_BASE_CLASS).scriptClass()
    }

    static final String EVERY_WORD = '''\
        plan('every word') {
            description 'all the literal words'
            lockTimeout '3s'
            statementTimeout '1min'
            searchPath 'app, public'
            retries 1
            owns 'app'
            placeholderReplacement false

            step('schema') {
                description 'the schema'
                sql 'CREATE SCHEMA app'
                tags 'setup', 'ddl'
            }
            step('tables') { sql 'CREATE TABLE app.a (id int)'; sql "CREATE TABLE app.b (id int)" }
            step('from files') {
                requires 'schema', 'tables'
                sqlFile 'one.sql'
                sqlFile 'sub/two.sql'
                undo { sqlFile 'undo.sql'; sql 'DROP TABLE app.c' }
            }
            step('index') {
                transaction false
                lockTimeout '100ms'
                statementTimeout '2s'
                sql \'\'\'
                    CREATE INDEX CONCURRENTLY a_id ON app.a (id)
                \'\'\'
            }
            step('grants') {
                runAlways true
                retries 3
                sql 'GRANT USAGE ON SCHEMA app TO public'
            }
            step('text retries') { retries 2; sql 'SELECT 1' }
            step(
                'split over lines'
            ) {
                sql 'SELECT 2'
            }
            step('empty') { }
            step('undo of sql') {
                sql 'CREATE TABLE app.d (id int)'
                undo {
                    sql 'DROP TABLE app.d'
                }
            }
        }
        '''

    void writeSqlFiles() {
        files.write('one.sql', 'CREATE TABLE app.c (id int);\n')
        files.write('sub/two.sql', '-- two\nALTER TABLE app.c ADD COLUMN note text;\n')
        files.write('undo.sql', 'ALTER TABLE app.c DROP COLUMN note;\n')
    }

    def "a plan of literal steps is compiled as data and loads to the same plan as its closures"() {
        given:
        writeSqlFiles()
        Path plan = files.write('every.groovy', EVERY_WORD)

        when:
        Plan data = load(plan)
        Plan closures = asClosures(plan)

        then: 'every field of every step, locations and checksums included'
        data == closures
        data.steps()*.name() == ['schema', 'tables', 'from files', 'index', 'grants', 'text retries', 'split over lines', 'empty', 'undo of sql']
        data.steps()[2].actions()*.location()*.line() == [18, 19]
        data.steps()[2].undo()*.location()*.line() == [20, 20]
        data.steps()[8].undo()[0].location().line() == 45
        data.steps()[3].retries() == null && data.steps()[4].retries() == 3 && data.steps()[5].retries() == 2

        and: 'the whole file is literal'
        LiteralSteps.literalPlan(compiled(plan))
    }

    def "wrong literal words are the same problems at the same lines either way"() {
        given:
        files.write('there.sql', 'SELECT 1;')
        Path plan = files.write('wrong.groovy', '''\
            plan('wrong') {
                lockTimeout 'soon'
                step('a') {
                    lockTimeout 'later'
                    sqlFile 'missing.sql'
                    sql ''
                }
                step('b') {
                    transaction false
                    retries 2
                    sqlFile 'there.sql'
                }
                step('c') {
                    retries 'many'
                    requires 'nope'
                    undo { transaction false; lockTimeout '1s'; sql 'SELECT 2' }
                }
                step('') { sql 'SELECT 3' }
                step('a') { sql 'SELECT 4' }
                step('d') { requires 'e'; sql 'SELECT 5' }
                step('e') { sql 'SELECT 6' }
            }
            '''.stripIndent())

        when:
        List<String> data = problems { load(plan) }
        List<String> closures = problems { asClosures(plan) }

        then:
        data == closures
        data.size() >= 10
        data.any { it.contains('wrong.groovy:5: sqlFile \'missing.sql\' not found') }
        data.any { it.contains('wrong.groovy:10: retries 2 in step \'b\', which has transaction false') }
        data.any { it.contains('wrong.groovy:16: transaction inside undo') }
        LiteralSteps.literalPlan(compiled(plan))
    }

    def "steps that are not literal stay closures, beside literal ones, and the plan loads the same"() {
        given:
        Path plan = files.write('mixed.groovy', '''\
            def name = 'mixed'
            plan('mixed') {
                step('literal') { sql 'SELECT 1' }
                step('guarded') {
                    guard { !table('t').exists() }
                    sql 'CREATE TABLE t (id int)'
                }
                step('gstring') { sql "CREATE TABLE ${name} (id int)" }
                step('verified') {
                    sql 'CREATE TABLE v (id int)'
                    verify { table('v') { columns 1 } }
                }
                step('labelled') { here: sql 'SELECT 2' }
                step('explicit this') { this.sql 'SELECT 3' }
                step('negative') { retries(-1); sql 'SELECT 4' }
                step('number text') { lockTimeout 5; sql 'SELECT 5' }
                if (true) {
                    step('in an if') { sql 'SELECT 6' }
                }
                step('literal again') { sql 'SELECT 7' }
            }
            '''.stripIndent())

        expect:
        problems { load(plan) } == problems { asClosures(plan) }
        !LiteralSteps.literalPlan(compiled(plan))
    }

    def "a plan that loads the same either way, without problems, when some steps are not literal"() {
        given:
        Path plan = files.write('fine.groovy', '''\
            plan('fine') {
                step('literal') { sql 'CREATE TABLE t (id int)' }
                step('guarded') {
                    guard { !table('u').exists() }
                    sql 'CREATE TABLE u (id int)'
                }
                step('gstring') { sql "CREATE TABLE ${'w'} (id int)" }
            }
            '''.stripIndent())

        when:
        Plan data = load(plan)
        Plan closures = asClosures(plan)

        then:
        data.steps()*.checksum() == closures.steps()*.checksum()
        data.steps()*.location() == closures.steps()*.location()
        data.steps()*.actions() == closures.steps()*.actions()
        !LiteralSteps.literalPlan(compiled(plan))
    }

    def "a file with more than plan { } is not a literal plan, though its literal steps are data"() {
        given:
        Path plan = files.write(name + '.groovy', text.stripIndent())

        expect:
        !LiteralSteps.literalPlan(compiled(plan))
        load(plan) == asClosures(plan)

        where:
        name         | text
        'variable'   | "def x = 1\nplan('p') { step('a') { sql 'SELECT 1' } }\n"
        'method'     | "def helper() { 1 }\nplan('p') { step('a') { sql 'SELECT 1' } }\n"
        'class'      | "class Helper {}\nplan('p') { step('a') { sql 'SELECT 1' } }\n"
        'plan word'  | "plan('p') { beforeRun { sql 'SELECT 0' }; step('a') { sql 'SELECT 1' } }\n"
        'field'      | "@groovy.transform.Field String x = 'y'\nplan('p') { step('a') { sql 'SELECT 1' } }\n"
        'gstring'    | 'plan("p${1}") { step(\'a\') { sql \'SELECT 1\' } }\n'
    }
}
