package dev.mig.plan

import dev.mig.api.ExitCode
import dev.mig.model.Action
import dev.mig.model.Expectation
import dev.mig.model.Plan
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import spock.lang.Specification
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/** Recipes as the loader sees them: files, use, apply, versions, problems with file and line, checksums. */
class RecipesSpec extends Specification {

    static Path fixture(String name) {
        Path.of(RecipesSpec.getResource("/plans/errors/${name}").toURI())
    }

    PlanFiles files = new PlanFiles()

    Plan load(String name, String text) {
        new PlanLoader().load(files.write(name, text))
    }

    PlanException problems(String name, String text) {
        try {
            load(name, text)
        } catch (PlanException e) {
            return e
        }
        throw new AssertionError('expected plan problems')
    }

    @Unroll
    def "#plan: #where:#line says '#text', exit 2, before any connection"() {
        when: 'run against a port where nothing listens: a connection attempt would exit 6'
        def result = MigCli.run(['run', '--url', 'jdbc:postgresql://127.0.0.1:1/none', fixture(plan).toString()])

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        result.err.contains("${where}:${line}: ")
        result.err.contains(text)
        !result.err.contains('\tat ')
        !result.err.contains('recipeUses')   // plumbing is never offered as a word

        where:
        plan                                | where                                   | line | text
        'recipe-file-missing.groovy'        | 'recipe-file-missing.groovy'            | 2    | "recipe file 'recipes/does-not-exist.groovy' not found (looked for "
        'recipe-syntax-error.groovy'        | 'recipes/broken.groovy'                 | 4    | 'syntax error'
        'recipe-duplicate.groovy'           | 'recipes/clear-b.groovy'                | 4    | "recipe 'clear name' is defined twice: here and at "
        'recipe-duplicate.groovy'           | 'recipes/clear-b.groovy'                | 4    | 'recipes/clear-a.groovy:2'
        'recipe-unknown.groovy'             | 'recipe-unknown.groovy'                 | 4    | "unknown recipe 'clear nmae'"
        'recipe-unknown.groovy'             | 'recipe-unknown.groovy'                 | 4    | "did you mean 'clear name'?"
        'recipe-unknown.groovy'             | 'recipe-unknown.groovy'                 | 7    | "unknown recipe 'no such thing'"
        'recipe-unknown.groovy'             | 'recipe-unknown.groovy'                 | 7    | "visible recipes: 'clear name'"
        'recipe-arguments.groovy'           | 'recipe-arguments.groovy'               | 6    | "recipe 'clear name' takes 1 argument (String name), got none"
        'recipe-arguments.groovy'           | 'recipe-arguments.groovy'               | 7    | "recipe 'clear name' takes 1 argument (String name), got 2: 'x', 'y'"
        'recipe-arguments.groovy'           | 'recipe-arguments.groovy'               | 11   | "recipe 'ensure extension' takes 1 to 2 arguments (String name, String schema = 'public'), got 3"
        'recipe-arguments.groovy'           | 'recipe-arguments.groovy'               | 11   | 'hint: it is defined at classpath:mig/recipes/extensions.groovy:'
        'recipe-version.groovy'             | 'recipe-version.groovy'                 | 2    | "use 'recipes/clear-b.groovy' requires version 1.0, but "
        'recipe-version.groovy'             | 'recipe-version.groovy'                 | 2    | 'recipes/clear-b.groovy is version 2.0 ('
        'recipe-version.groovy'             | 'recipe-version.groovy'                 | 2    | 'recipes/clear-b.groovy:2)'
        'recipe-version-missing.groovy'     | 'recipe-version-missing.groovy'         | 2    | "use 'recipes/clear-a.groovy' requires version 1, but "
        'recipe-version-missing.groovy'     | 'recipe-version-missing.groovy'         | 2    | 'recipes/clear-a.groovy declares no version'
        'recipe-cycle.groovy'               | 'recipes/cycle-b.groovy'                | 2    | 'use cycle: '
        'recipe-cycle.groovy'               | 'recipes/cycle-b.groovy'                | 2    | 'recipes/cycle-a.groovy uses '
        'recipe-wrong-block.groovy'         | 'recipes/elements.groovy'               | 3    | "unknown element 'sql' in the cleanup block of step 'a' (in recipe 'make table' applied at "
        'recipe-wrong-block.groovy'         | 'recipes/elements.groovy'               | 3    | 'hint: known here: apply, atLeast, dropConstraintNamed'
        'recipe-wrong-block.groovy'         | 'recipes/elements.groovy'               | 3    | 'recipe-wrong-block.groovy:4)'
        'recipe-wrong-block.groovy'         | 'recipes/elements.groovy'               | 7    | "unknown element 'sqll' in step 'b'"
        'recipe-wrong-block.groovy'         | 'recipes/elements.groovy'               | 7    | "did you mean 'sql'?"
        'recipe-applies-itself.groovy'      | 'recipes/elements.groovy'               | 11   | "recipe 'ping' applies itself: 'ping' applies 'pong' applies 'ping'"
        'recipe-top-level-typo.groovy'      | 'recipes/top-level-typo.groovy'         | 2    | "unknown element 'recip' at the top of the recipe file"
        'recipe-top-level-typo.groovy'      | 'recipes/top-level-typo.groovy'         | 2    | "did you mean 'recipe'?"
        'recipe-applied-before-use.groovy'  | 'recipe-applied-before-use.groovy'      | 3    | "recipe 'clear name' is applied before it is defined (at "
        'recipe-use-in-step.groovy'         | 'recipe-use-in-step.groovy'             | 3    | "use 'recipes/clear-a.groovy' inside step 'a'"
        'recipe-hidden-word.groovy'         | 'recipes/hidden-word.groovy'            | 4    | "recipe 'make table': its parameter 'table' hides the DSL word 'table': table(...) here calls the parameter (a String), not the word"
        'recipe-hidden-word.groovy'         | 'recipes/hidden-word.groovy'            | 4    | 'hint: rename the parameter (tableName, say) and pass it to the word: table tableName'
    }

    def "mig check fails a plan whose recipe file has a problem, and lists the plan's problems before the recipe file's"() {
        given:
        files.write('recipes/bad.groovy', """\
            recipe('bad') { ->
                sqll 'SELECT 1'
            }
        """)
        def plan = files.write('both.groovy', """\
            use 'recipes/bad.groovy'
            plan('both') {
                step('a') { apply 'bad' }
                step('a') { sql 'SELECT 1' }
            }
        """)

        when:
        def result = MigCli.run(['check', plan.toString()])

        then:
        result.exitCode == 2
        def lines = result.err.readLines().findAll { it.contains('.groovy:') }
        lines.size() == 2
        lines[0].contains("both.groovy:4: duplicate step name 'a'")
        lines[1].contains("recipes/bad.groovy:2: unknown element 'sqll' in step 'a'")
    }

    def "a recipe's elements land in the step where it is applied, located in the recipe file"() {
        given:
        files.write('sql/seed.sql', 'INSERT INTO t VALUES (1);\n')
        files.write('recipes/tables.groovy', """\
            version '1.2.3'
            recipe('table with seed', description: 'a table and its rows') { String name, int count = 1 ->
                guard { !table(name).exists() }
                sql "CREATE TABLE \${ident(name)} (id int)"
                sqlFile '../sql/seed.sql'
                verify { table(name) { columns count } }
            }
            recipe('clear') { String... names ->
                names.each { String n -> dropConstraintNamed n }
            }
        """)

        when:
        def plan = load('p.groovy', """\
            plan('p') {
                use 'recipes/tables.groovy', version: '1.2'
                step('t') {
                    apply 'table with seed', 't'
                    cleanup { apply 'clear', 'a', 'b' }
                    verify { rowCount 't', 1 }
                }
            }
        """)
        def step = plan.steps()[0]
        def recipeFile = files.dir.resolve('recipes/tables.groovy')

        then:
        step.guards()[0].location() == new dev.mig.api.SourceLocation(recipeFile, 3)
        step.guards()[0].source().contains('!table(name).exists()')
        step.actions()*.getClass() == [Action.Sql, Action.Sql]
        (step.actions()[0] as Action.Sql).text() == 'CREATE TABLE "t" (id int)'
        step.actions()[0].location() == new dev.mig.api.SourceLocation(recipeFile, 4)
        (step.actions()[1] as Action.Sql).file() == files.dir.resolve('sql/seed.sql')
        step.cleanup()*.name() == ['a', 'b']
        step.verify().expectations()*.getClass() == [Expectation.Table, Expectation.RowCount]
        step.recipes()*.recipe() == ['table with seed', 'clear']
        step.recipes()*.arguments() == [['t'], ['a', 'b']]
        step.recipes()*.location()*.line() == [4, 5]

        and: 'the plan lists what it can see'
        with(plan.recipes().find { it.name() == 'table with seed' }) {
            description() == 'a table and its rows'
            signature() == '(String name, int count = 1)'
            requiredArguments() == 1
            maximumArguments() == 2
            version() == '1.2.3'
            location().line() == 2
        }
        plan.recipes().find { it.name() == 'clear' }.signature() == '(String... names)'
        plan.recipes().find { it.name() == 'clear' }.maximumArguments() == -1
    }

    def "use works at the top and in the plan block, resolves relative to the file that names it, and loads each file once"() {
        given:
        files.write('lib/base.groovy', "recipe('base') { -> sql 'SELECT 1' }\n")
        files.write('lib/more.groovy', "use 'base.groovy'\nrecipe('more') { -> apply 'base'; sql 'SELECT 2' }\n")

        when:
        def plan = load('twice.groovy', """\
            use 'lib/base.groovy'
            plan('twice') {
                use 'lib/more.groovy'
                step('a') { apply 'more' }
            }
        """)

        then:
        plan.recipes()*.name() == ['base', 'more']
        plan.steps()[0].actions()*.text() == ['SELECT 1', 'SELECT 2']
        plan.steps()[0].recipes()*.recipe() == ['more', 'base']
    }

    def "a plan may define recipes of its own at its top"() {
        when:
        def plan = load('own.groovy', """\
            recipe('grant read') { String role, String table ->
                sql "GRANT SELECT ON \${ident(table)} TO \${ident(role)}"
            }
            plan('own') {
                step('grants') { apply 'grant read', 'reader', 'x"; DROP TABLE users; --' }
            }
        """)

        then:
        plan.steps()[0].actions()[0].text() == 'GRANT SELECT ON "x""; DROP TABLE users; --" TO "reader"'
        plan.recipes()[0].source().endsWith('own.groovy')
        plan.recipes()[0].version() == null
    }

    def "ident quotes names in plans too: in a step, in a recipe body and in closures that run later"() {
        when:
        def plan = load('ident.groovy', """\
            plan('ident') {
                step('a') {
                    sql "CREATE TABLE \${ident('kb', 'My Table')} (\${ident('x"y')} int)"
                    groovy { db -> assert ident('a b') == '"a b"' }
                }
            }
        """)

        then:
        plan.steps()[0].actions()[0].text() == 'CREATE TABLE "kb"."My Table" ("x""y" int)'
        plan.steps()[0].actions()[1].body().call(null) == null
    }

    def "named arguments, wrong types and recipes defined inside blocks are plan problems"() {
        when:
        def e = problems('odd.groovy', """\
            recipe('one') { String name -> sql "SELECT \${name}" }
            plan('odd') {
                step('a') { apply 'one', name: 'x' }
                step('b') { apply 'one', new Object() }
                step('c') { recipe('inner') { -> sql 'SELECT 1' } }
            }
        """)

        then:
        e.problems()*.location()*.line() == [3, 4, 5]
        e.problems()[0].message() == "apply 'one' with named arguments"
        e.problems()[1].message().startsWith("recipe 'one' takes (String name), got (Object ")
        e.problems()[2].message() == "recipe('inner') inside a block"
    }

    def "a parameter named like a DSL word is a problem only where it is called as the word, found when the file compiles"() {
        when: 'the fixture: one recipe calls table with its parameter table, the other only passes table and column on'
        new PlanLoader().load(fixture('recipe-hidden-word.groovy'))

        then: 'one problem in the recipe file; the plan cannot apply what the file would have defined'
        PlanException e = thrown()
        def inRecipes = e.problems().findAll { it.location().file().endsWith('recipes/hidden-word.groovy') }
        inRecipes.size() == 1
        inRecipes[0].location().line() == 4
        inRecipes[0].message() == "recipe 'make table': its parameter 'table' hides the DSL word 'table': table(...) here calls the parameter (a String), not the word"
        inRecipes[0].hint() == 'rename the parameter (tableName, say) and pass it to the word: table tableName'
        (e.problems() - inRecipes).every { it.hint().contains('recipes/hidden-word.groovy could not be loaded') }

        when: 'renamed, the same recipe loads and its verify holds the table expectation'
        files.write('recipes/renamed.groovy', """\
            recipe('make table') { String tableName ->
                sql "CREATE TABLE \${ident(tableName)} (id int)"
                verify { table tableName }
            }
        """)
        def plan = load('renamed.groovy', """\
            use 'recipes/renamed.groovy'
            plan('renamed') { step('things') { apply 'make table', 'things' } }
        """)

        then:
        plan.steps()[0].verify().expectations().size() == 1
        (plan.steps()[0].verify().expectations()[0] as Expectation.Table).name() == 'things'
    }

    def "a recipe that throws while applied is a problem at its own line"() {
        when:
        def e = problems('throws.groovy', """\
            recipe('picky') { String name ->
                if (name.contains('.')) {
                    throw new IllegalArgumentException("no schema here: \${name}")
                }
                sql 'SELECT 1'
            }
            plan('throws') {
                step('a') { apply 'picky', 'kb.x' }
            }
        """)

        then:
        e.problems().size() == 1
        e.problems()[0].location().line() == 3
        e.problems()[0].message() == "the recipe threw IllegalArgumentException: no schema here: kb.x (in recipe 'picky' applied at ${files.dir.resolve('throws.groovy')}:8)"
    }

    def "a version pin matches the version or its leading parts, compared as numbers"() {
        expect:
        RecipeFiles.versionMatches(required, declared) == matches

        where:
        required | declared | matches
        '1.2'    | '1.2'    | true
        '1.2'    | '1.2.7'  | true
        '1'      | '1.4'    | true
        '1.2'    | '1.20'   | false
        '1.2'    | '1'      | false
        '2'      | '1.9'    | false
        '01.2'   | '1.2'    | true
    }

    def "classpath: recipes come from the thread context class loader, so a team's jar beside mig works"() {
        given:
        Path jarDir = Files.createTempDirectory('team-jar')
        Files.createDirectories(jarDir.resolve('team/recipes'))
        Files.writeString(jarDir.resolve('team/recipes/grants.groovy'), "version '3.1'\nuse 'more.groovy'\nrecipe('team grant') { -> sql 'SELECT 1' }\n")
        Files.writeString(jarDir.resolve('team/recipes/more.groovy'), "recipe('team more') { -> sql 'SELECT 2' }\n")
        def plan = files.write('team.groovy', """\
            use 'classpath:team/recipes/grants.groovy', version: '3'
            use 'classpath:mig/recipes/catalog.groovy'
            plan('team') { step('a') { apply 'team grant'; apply 'team more'; cleanup { apply 'clear name', 'x' } } }
        """)
        def previous = Thread.currentThread().contextClassLoader
        def teamLoader = new URLClassLoader([jarDir.toUri().toURL()] as URL[], previous)

        when:
        Thread.currentThread().contextClassLoader = teamLoader
        def loaded = new PlanLoader().load(plan)

        then:
        loaded.recipes()*.source().unique() == ['classpath:team/recipes/more.groovy', 'classpath:team/recipes/grants.groovy',
                                       'classpath:mig/recipes/catalog.groovy']
        loaded.recipes()[1].where().startsWith('file:')
        loaded.recipes()[1].version() == '3.1'
        loaded.steps()[0].actions()*.text() == ['SELECT 1', 'SELECT 2']
        loaded.steps()[0].cleanup()*.kind() == ['dropConstraintNamed', 'dropRelationNamed']

        cleanup:
        Thread.currentThread().contextClassLoader = previous
    }

    def "a classpath: file that is not there is a problem naming the class path"() {
        when:
        def e = problems('nojar.groovy', "use 'classpath:team/recipes/nope.groovy'\nplan('nojar') { step('a') { sql 'SELECT 1' } }\n")

        then:
        e.problems()[0].location().line() == 1
        e.problems()[0].message() == "recipe file 'classpath:team/recipes/nope.groovy' not found (looked for classpath:team/recipes/nope.groovy on the class path)"
        e.problems()[0].hint().contains('MIG_CLASSPATH')
    }

    def "checksums of steps without recipes are what they were before recipes existed"() {
        when: 'the same plan, checksummed by mig before recipes (commit df9db04)'
        def plan = load('anchor.groovy', """\
            plan('anchor') {
                step('everything') {
                    guard { !table('t').exists() }
                    cleanup { dropConstraintNamed 'x'; dropRelationNamed 'y', kinds: ['index'] }
                    sql 'CREATE TABLE t (id int)'
                    groovy { db -> db.execute('SELECT 1') }
                    verify { table('t') { columns 1 } }
                }
                step('plain') { sql 'SELECT 1' }
            }
        """)

        then:
        plan.steps()*.checksum() == ['v1:b12d301e26b8a36801a7fe76d1b5b493a21fb2f1df27990ce85104075f60638e',
                                     'v1:dbf7f6c29ddefdc7fa097a9800fea66b7b06014a006e244f36a3fa01d52f9891']
    }

    def "a step's checksum follows what its recipes expand to, not how the recipe file is written"() {
        given:
        def checksum = { String recipeFile, String apply ->
            def dir = Files.createTempDirectory('sums')
            Files.writeString(dir.resolve('r.groovy'), recipeFile.stripIndent())
            Files.writeString(dir.resolve('p.groovy'), "use 'r.groovy'\nplan('p') { step('s') { ${apply} } }\n")
            new PlanLoader().load(dir.resolve('p.groovy')).steps()[0].checksum()
        }
        def original = checksum("""\
            recipe('r') { String name ->
                guard { !table(name).exists() }
                sql "CREATE TABLE \${ident(name)} (id int)"
            }
        """, "apply 'r', 't'")

        expect: 'comments, layout, description, version and the recipe name do not count'
        checksum("""\
            version '7.0'
            // makes a table
            recipe('renamed', description: 'words') { String name ->
                guard {   !table(name).exists()   }
                sql "CREATE   TABLE \${ident(name)} (id int)"   // the table
            }
        """, "apply 'renamed', 't'") == original

        and: 'what the recipe expands to counts: its SQL, its closures, and the arguments they see'
        checksum("""\
            recipe('r') { String name ->
                guard { !table(name).exists() }
                sql "CREATE TABLE \${ident(name)} (id bigint)"
            }
        """, "apply 'r', 't'") != original
        checksum("""\
            recipe('r') { String name ->
                guard { !view(name).exists() }
                sql "CREATE TABLE \${ident(name)} (id int)"
            }
        """, "apply 'r', 't'") != original
        checksum("""\
            recipe('r') { String name ->
                guard { !table(name).exists() }
                sql "CREATE TABLE \${ident(name)} (id int)"
            }
        """, "apply 'r', 'u'") != original

        and: 'the same SQL written in the step itself is a different step: it has no recipe arguments'
        checksum("recipe('unused') { -> }\n", "guard { !table('t').exists() }\nsql 'CREATE TABLE \"t\" (id int)'") != original
    }

    def "a recipe's closures see their arguments, so the arguments count even when the text does not show them"() {
        given:
        files.write('r.groovy', "recipe('check') { String t -> guard { table(t).exists() } }\n")

        when:
        def plan = load('args.groovy', """\
            use 'r.groovy'
            plan('args') {
                step('a') { apply 'check', 'one'; sql 'SELECT 1' }
                step('b') { apply 'check', 'two'; sql 'SELECT 1' }
            }
        """)

        then:
        plan.steps()[0].guards()[0].source() == plan.steps()[1].guards()[0].source()
        plan.steps()[0].checksum() != plan.steps()[1].checksum()
    }

    def "mig recipes lists every recipe with parameters, description, version, source and the steps that apply it"() {
        given:
        files.write('recipes/local.groovy', """\
            version '1.2'
            recipe('make table', description: 'one table') { String name, String column = 'id' ->
                sql "CREATE TABLE \${ident(name)} (\${ident(column)} int)"
            }
        """)
        def plan = files.write('listed.groovy', """\
            use 'classpath:mig/recipes/catalog.groovy'
            plan('listed') {
                use 'recipes/local.groovy', version: '1'
                step('tables') {
                    apply 'make table', 'a'
                    undo { sql 'DROP TABLE a' }
                }
                step('clear') { cleanup { apply 'clear name', 'a_pkey' } }
            }
        """)

        when:
        def result = MigCli.run(['recipes', plan.toString()])

        then:
        result.exitCode == 0
        result.out.contains("plan 'listed' (")
        result.out.contains('4 recipes')
        result.out.contains('  clear name (String name)\n')
        result.out.contains('      Drops whatever holds a name')
        result.out =~ /from classpath:mig\/recipes\/catalog\.groovy:\d+, version 1\.0 \((file|jar):/
        result.out.contains("applied by step 'clear' at ")
        result.out.contains("  make table (String name, String column = 'id')\n")
        result.out.contains('      one table\n')
        result.out.contains("recipes/local.groovy:2, version 1.2\n")
        result.out.contains("applied by step 'tables' at ")
        result.out.contains('listed.groovy:5')
    }

    def "mig recipes of a plan without recipes says how to load some, and a broken plan exits 2"() {
        given:
        def plain = files.write('plain.groovy', "plan('plain') { step('a') { sql 'SELECT 1' } }")

        expect:
        with(MigCli.run(['recipes', plain.toString()])) {
            exitCode == 0
            out.contains("plan 'plain'")
            out.contains('no recipes')
            out.contains("use 'classpath:mig/recipes/catalog.groovy'")
        }
        with(MigCli.run(['recipes', fixture('recipe-unknown.groovy').toString()])) {
            exitCode == 2
            err.contains("unknown recipe 'clear nmae'")
        }
        with(MigCli.run(['--help'])) {
            exitCode == 0
            out.contains('recipes')
            out.contains('List the recipes a plan can see')
        }
    }
}
