package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

/** Plans that apply recipes, run on the embedded PostgreSQL. */
class RecipeRunSpec extends DatabaseSpec {


    def "a recipe applied in cleanup clears a name before the step's SQL runs"() {
        given:
        files.write('recipes/names.groovy', """\
            recipe('free', description: 'constraint or index of that name') { String name ->
                dropConstraintNamed name
                dropRelationNamed name, kinds: ['index']
            }
        """)
        def plan = files.write('cleanup.groovy', """\
            use 'recipes/names.groovy'
            plan('cleanup') {
                step('old') { sql 'CREATE TABLE old_t (id int CONSTRAINT shared_name UNIQUE)' }
                step('new') {
                    cleanup { apply 'free', 'shared_name' }
                    sql 'CREATE TABLE new_t (id int CONSTRAINT shared_name UNIQUE)'
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 0
        result.out.contains('dropped constraint shared_name on public.old_t')
        result.out.contains('dropRelationNamed shared_name: nothing to drop')
        sql { Sql s -> s.firstRow("SELECT conrelid::regclass::text AS t FROM pg_constraint WHERE conname = 'shared_name'").t } == 'new_t'
    }

    def "a recipe applied in a step body adds its guard, SQL and verify to the step"() {
        given:
        files.write('recipes/tables.groovy', """\
            recipe('id table') { String name, int count = 1 ->
                guard { !table(name).exists() }
                sql "CREATE TABLE \${ident(name)} (id int)"
                verify { table(name) { columns count } }
            }
        """)
        def plan = files.write('body.groovy', """\
            use 'recipes/tables.groovy'
            plan('body') {
                step('one') {
                    apply 'id table', 'first'
                    sql 'INSERT INTO first VALUES (1)'
                    verify { rowCount 'first', 1 }
                }
                step('two') { apply 'id table', 'second', 2 }
                step('after') { sql 'CREATE TABLE after_t (id int)' }
            }
        """)

        when:
        def result = mig(plan.toString())

        then: 'the recipe verify of step two expects 2 columns: the step is rolled back, exit 3'
        result.exitCode == 3
        result.out =~ /applied\s+one/
        result.out.contains('table second: expected 2 columns, found 1')
        result.out.contains('recipes/tables.groovy:4')
        exists('first')
        !exists('second')
        !exists('after_t')

        when: "another plan applying it to a table that exists is skipped by the recipe's guard"
        def other = files.write('other.groovy', """\
            use 'recipes/tables.groovy'
            plan('other') { step('again') { apply 'id table', 'first' } }
        """)
        def again = mig(other.toString())

        then:
        again.exitCode == 0
        again.out =~ /skipped\s+again/
        again.out.contains('recipes/tables.groovy:2')
    }

    def "an SQL error in a recipe names the recipe file and line"() {
        given:
        files.write('recipes/broken.groovy', """\
            // the second statement has a typo
            recipe('two tables') { String name ->
                sql "CREATE TABLE \${ident(name)} (id int)"
                sql "CREATE TABLE \${ident(name + '_b')} (id intt)"
            }
        """)
        def plan = files.write('sqlerror.groovy', """\
            use 'recipes/broken.groovy'
            plan('sqlerror') {
                step('tables') { apply 'two tables', 't' }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out.contains('recipes/broken.groovy:4')
        result.out.contains('type "intt" does not exist')
        result.out.contains("Step:      'tables' (")
        result.out.contains('sqlerror.groovy:3)')
        !exists('t')
    }

    def "a groovy block from a recipe that throws names the recipe file line"() {
        given:
        files.write('recipes/code.groovy', """\
            recipe('count rows') { String table, long expected ->
                groovy { db ->
                    long n = db.firstRow('SELECT count(*) AS n FROM ' + ident(table)).n
                    if (n != expected) {
                        throw new IllegalStateException("\${table} has \${n} rows, not \${expected}")
                    }
                }
            }
        """)
        def plan = files.write('code.groovy', """\
            use 'recipes/code.groovy'
            plan('code') {
                step('t') { sql 'CREATE TABLE t (id int)'; apply 'count rows', 't', 0L }
                step('check') { apply 'count rows', 't', 2L }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out =~ /applied\s+t/
        result.out.contains('t has 0 rows, not 2')
        result.out.contains('recipes/code.groovy:5')
    }

    def "a version pin that matches runs, and one that no longer matches stops the run before it connects"() {
        given:
        files.write('lib/pinned.groovy', """\
            version '1.2'
            recipe('pinned table') { -> sql 'CREATE TABLE pinned (id int)' }
        """)
        def plan = files.write('pinned.groovy', """\
            plan('pinned') {
                use 'lib/pinned.groovy', version: '1'
                step('t') { apply 'pinned table' }
            }
        """)

        expect:
        mig(plan.toString()).exitCode == 0
        exists('pinned')

        when:
        files.write('lib/pinned.groovy', """\
            version '2.0'
            recipe('pinned table') { -> sql 'CREATE TABLE pinned (id int)' }
        """)
        def result = MigCli.run(['run', '--url', 'jdbc:postgresql://127.0.0.1:1/none', plan.toString()])

        then:
        result.exitCode == 2
        result.err.contains("pinned.groovy:2: use 'lib/pinned.groovy' requires version 1, but ")
        result.err.contains('lib/pinned.groovy is version 2.0')
    }

    def "editing what a recipe expands to is drift for the steps that applied it; editing its comments is not"() {
        given:
        def recipeFile = { String body -> files.write('recipes/drift.groovy', body) }
        recipeFile("""\
            // version one
            recipe('make') { String name -> sql "CREATE TABLE \${ident(name)} (id int)" }
        """)
        def plan = files.write('drift.groovy', """\
            use 'recipes/drift.groovy'
            plan('drift') {
                step('users') { apply 'make', 'users' }
                step('plain') { sql 'CREATE TABLE plain (id int)' }
            }
        """)

        expect:
        mig(plan.toString()).exitCode == 0

        when: 'a comment and the layout change'
        recipeFile("""\
            // version one, reformatted
            recipe('make') { String name ->
                sql "CREATE TABLE \${ident(name)} (id int)"   // the table
            }
        """)

        then:
        mig(plan.toString()).exitCode == 0

        when: 'what it expands to changes'
        recipeFile("""\
            recipe('make') { String name -> sql "CREATE TABLE \${ident(name)} (id bigint)" }
        """)
        def drifted = mig(plan.toString())

        then:
        drifted.exitCode == 5
        drifted.err.contains('users (')
        !drifted.err.contains('plain (')
        MigCli.run(['status', '--url', url, plan.toString()]).out =~ /DRIFTED\s+users/

        when:
        def accepted = mig('--accept-drift', plan.toString())

        then:
        accepted.exitCode == 0
        mig(plan.toString()).exitCode == 0
    }

    def "the example at the top of docs/RECIPES.md runs as written"() {
        given: 'its first two groovy blocks: the recipe file and the plan'
        def blocks = (java.nio.file.Path.of('docs/RECIPES.md').toFile().text =~ /(?s)```groovy\n(.*?)```/).collect { it[1] as String }
        files.write('recipes/search.groovy', blocks[0])
        files.write('sql/chunks.sql', 'CREATE TABLE chunks (id int, body text CONSTRAINT unique_chunk UNIQUE);\n')
        def plan = files.write('plan.groovy', blocks[1])

        when:
        def first = mig(plan.toString())
        def again = mig(plan.toString())

        then:
        blocks[0].startsWith('// recipes/search.groovy')
        first.exitCode == 0
        first.out =~ /applied\s+create chunks/
        again.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT indexdef FROM pg_indexes WHERE indexname = 'chunks_body_trgm'").indexdef }.contains('gin (body gin_trgm_ops)')
    }
}
