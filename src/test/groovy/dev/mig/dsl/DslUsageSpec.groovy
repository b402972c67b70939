package dev.mig.dsl

import dev.mig.plan.DslUsage
import dev.mig.plan.PlanException
import dev.mig.plan.PlanLoader
import dev.mig.testing.DatabaseSpec
import groovy.sql.Sql

import java.lang.reflect.Modifier

/**
 * The plan language's usage lines (DslUsage): one for every word of every block, so that a word
 * called with the wrong arguments says how it is called; and searchPath, which takes its schemas
 * in any of the three ways a plan author writes a list.
 */
class DslUsageSpec extends DatabaseSpec {

    /** Every block's delegate class of dev.mig.dsl: a new one is covered without a change here. */
    static List<Class<?>> delegates() {
        IdeSupportSpec.dslClasses().findAll { DslDelegate.isAssignableFrom(it) && !Modifier.isAbstract(it.modifiers) }
    }

    def "the usage table has a line for every word of every block, and none for a word that is gone"() {
        given:
        List<String> missing = []
        List<String> stale = []
        Set<String> shared = DslUsage.words('DslDelegate')
        delegates().each { Class<?> block ->
            Set<String> words = DslDelegate.words(block)
            (words - shared - DslUsage.words(block.simpleName)).each { missing << "${block.simpleName}.${it}".toString() }
            (DslUsage.words(block.simpleName) - words).each { stale << "${block.simpleName}.${it}".toString() }
            words.each { assert DslUsage.hint(block.simpleName, it)?.startsWith('usage: ') }
        }
        [PlanScript, RecipeScript].each { Class<?> top ->
            Set<String> words = MigScript.words(top)
            (words - DslUsage.words(top.simpleName)).each { missing << "${top.simpleName}.${it}".toString() }
            (DslUsage.words(top.simpleName) - words).each { stale << "${top.simpleName}.${it}".toString() }
        }
        (shared - DslDelegate.words(StepDelegate)).each { stale << "DslDelegate.${it}".toString() }

        expect: 'the reflection sees the blocks and their words'
        delegates()*.simpleName.containsAll(['PlanDelegate', 'StepDelegate', 'CleanupDelegate', 'VerifyDelegate', 'TableDelegate',
                                             'ColumnDelegate', 'IndexDelegate', 'EnumDelegate', 'AbsentDelegate', 'HookDelegate',
                                             'LintDelegate'])
        DslDelegate.words(PlanDelegate).containsAll(['step', 'searchPath', 'use', 'verify', 'atLeast'])
        MigScript.words(PlanScript) == ['ident', 'plan', 'recipe', 'use'] as Set
        MigScript.words(RecipeScript) == ['ident', 'recipe', 'use', 'version'] as Set

        and: 'a line for each, and a block in the table for each delegate'
        missing == []
        stale == []
        DslUsage.blocks() == (delegates()*.simpleName + ['DslDelegate', 'PlanScript', 'RecipeScript']) as Set
    }

    def "searchPath takes several names, a list, or one text with commas, and guards and verify resolve through it on PostgreSQL"() {
        given:
        sql { Sql s -> s.execute('CREATE SCHEMA kb; CREATE SCHEMA core') }
        def plan = { String path, String label -> files.write("${label}.groovy", """\
            plan('${label}') {
                ${path}
                step('tables') {
                    guard { !table('${label}_docs').exists() }
                    sql 'CREATE TABLE kb.${label}_docs (id int); CREATE TABLE core.${label}_tags (id int)'
                    verify { table '${label}_docs'; table('${label}_tags') { columns 1 } }
                }
                verify { rowCount '${label}_docs', 0 }
            }
        """) }

        expect:
        new PlanLoader().load(plan(setting, name)).settings().searchPath() == 'kb, core, public'
        with(mig(plan(setting, name).toString())) {
            exitCode == 0
            out =~ /applied\s+tables/
            out.contains('plan verify: 1 expectation holds')
        }
        sql { Sql s -> s.firstRow("SELECT to_regclass(?) IS NOT NULL AS e", ["core.${name}_tags".toString()]).e }

        where:
        setting                                | name
        "searchPath 'kb', 'core', 'public'"    | 'several'
        "searchPath(['kb', 'core', 'public'])" | 'listed'
        "searchPath 'kb, core, public'"        | 'text'
    }

    def "a searchPath that names no schema, an empty one or a dotted name is a plan error with its usage"() {
        when:
        new PlanLoader().load(files.write('paths.groovy', """\
            plan('paths') {
                searchPath()
                searchPath 'kb', ''
                searchPath([])
                searchPath 'kb.docs'
                step('a') { sql 'SELECT 1' }
            }
        """))

        then:
        PlanException e = thrown()
        e.problems()*.location()*.line() == [2, 3, 4, 5]
        e.problems()[0].message() == 'searchPath names no schema, or an empty one'
        e.problems()[3].message() == "searchPath: invalid name 'kb.docs': expected a single identifier, found 2 dotted parts"
        e.problems().every { it.hint() == "usage: searchPath 'kb', 'public'  or  searchPath(['kb', 'public'])  or  searchPath 'kb, public'" }
    }
}
