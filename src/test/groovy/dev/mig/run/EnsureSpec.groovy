package dev.mig.run

import dev.mig.api.ExitCode
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

/**
 * ensureEnum, ensureSchema and ensureExtension (docs/DSL.md section 3, "Declarative small
 * objects") on real PostgreSQL: created where missing, completed where short, left alone where
 * whole, and a clear failure where only a removal or a move would do.
 */
class EnsureSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()

    String db
    String url

    def setup() {
        db = TestPostgres.createDatabase('ensure')
        url = TestPostgres.jdbcUrl(db)
    }

    MigCli run(String name, String body, String... extra) {
        def plan = files.write("${name}.groovy", """
            plan('${name}') {
${body}
            }
        """)
        MigCli.run(['run', '--url', url, *extra, plan.toString()])
    }

    List<String> labels(String type) {
        TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT enumlabel FROM pg_enum WHERE enumtypid = ${type}::regtype ORDER BY enumsortorder")*.enumlabel
        }
    }

    def "ensureEnum creates the type, and a rerun of an edited plan adds the new labels in their places"() {
        when:
        def first = run('enum_first', '''
                step('status') { ensureEnum 'agent_status', 'development', 'active' }
        ''')

        then:
        first.exitCode == 0
        first.out.contains('ensureEnum agent_status: created with 2 labels')
        labels('agent_status') == ['development', 'active']

        when: 'a later plan lists more labels, before, between and after'
        def second = run('enum_second', '''
                step('status') { ensureEnum 'agent_status', 'draft', 'development', 'testing', 'active', 'retired' }
                step('use it') { sql "CREATE TABLE agents (id int, status agent_status DEFAULT 'development')" }
        ''')

        then:
        second.exitCode == 0
        second.out.contains("ensureEnum agent_status: added 'draft' before 'development', 'testing' after 'development', 'retired' after 'active'")
        labels('agent_status') == ['draft', 'development', 'testing', 'active', 'retired']

        when: 'nothing to add'
        def third = run('enum_third', '''
                step('status') { ensureEnum('agent_status', ['draft', 'development', 'testing', 'active', 'retired']) }
        ''')

        then:
        third.exitCode == 0
        third.out.contains('ensureEnum agent_status: has its labels already')
    }

    def "a label the plan does not list, or labels in another order, fail the step with what is there"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')") }

        when:
        def extra = run('enum_extra', '''
                step('mood') { ensureEnum 'mood', 'ok', 'happy', 'ecstatic' }
        ''')
        def order = run('enum_order', '''
                step('mood') { ensureEnum 'mood', 'happy', 'ok', 'sad' }
        ''')
        def notEnum = run('enum_domain', '''
                step('slug') {
                    sql "CREATE DOMAIN slug AS text"
                    ensureEnum 'slug', 'a'
                }
        ''')

        then:
        extra.exitCode == ExitCode.STEP_FAILED.code()
        extra.output.contains("ensureEnum mood: enum public.mood has label ['sad'] that the plan does not list (it has ['sad', 'ok', 'happy'])")
        extra.output.contains('PostgreSQL cannot remove an enum label')
        order.exitCode == ExitCode.STEP_FAILED.code()
        order.output.contains("ensureEnum mood: enum public.mood has its labels in another order: ['sad', 'ok', 'happy'], the plan lists ['happy', 'ok', 'sad'] among them")
        notEnum.exitCode == ExitCode.STEP_FAILED.code()
        notEnum.output.contains("ensureEnum slug: type public.slug exists and is not an enum (its kind is 'd')")
        labels('mood') == ['sad', 'ok', 'happy']
        // the failed step rolled back its own SQL too
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regtype('slug') IS NULL AS none").none }
    }

    def "a label added in a step without a transaction commits with it"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute("CREATE TYPE level AS ENUM ('low', 'high')") }

        when:
        def result = run('enum_autocommit', '''
                step('levels') { transaction false; ensureEnum 'level', 'low', 'medium', 'high' }
        ''')

        then:
        result.exitCode == 0
        labels('level') == ['low', 'medium', 'high']
    }

    def "ensureSchema and ensureExtension create what is missing and leave what is there"() {
        given:
        String role = "ensure_owner_${db.replaceAll(/\W/, '')}"
        TestPostgres.withSql(db) { Sql s -> s.execute("DROP ROLE IF EXISTS ${role}".toString()); s.execute("CREATE ROLE ${role}".toString()) }

        when:
        def first = run('objects', """
                step('schemas') { ensureSchema 'kb', owner: '${role}'; ensureSchema 'extensions' }
                step('trgm') { ensureExtension 'pg_trgm', schema: 'extensions'; ensureExtension 'hstore', version: '1.7' }
        """)
        def again = run('objects_again', """
                step('schemas') { ensureSchema 'kb'; ensureSchema 'extensions' }
                step('trgm') { ensureExtension 'pg_trgm', schema: 'extensions'; ensureExtension 'hstore', version: '1.8' }
        """)
        def facts = TestPostgres.withSql(db) { Sql s ->
            [owner: s.firstRow("SELECT pg_get_userbyid(nspowner) AS o FROM pg_namespace WHERE nspname = 'kb'").o,
             trgm : s.firstRow("SELECT n.nspname AS n FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'pg_trgm'").n,
             hstore: s.firstRow("SELECT extversion AS v FROM pg_extension WHERE extname = 'hstore'").v]
        }

        then:
        first.exitCode == 0
        first.out.contains("ensureSchema kb: created, owned by ${role}")
        first.out.contains('ensureExtension pg_trgm: created, version ')
        first.out.contains('ensureExtension hstore: created, version 1.7')
        again.exitCode == 0
        again.out.contains('ensureSchema kb: exists already')
        again.out.contains('ensureExtension pg_trgm: installed already, version ')
        again.out.contains('ensureExtension hstore: updated from 1.7 to 1.8')
        facts == [owner: role, trgm: 'extensions', hstore: '1.8']

        cleanup:
        TestPostgres.withSql(db) { Sql s -> s.execute("DROP SCHEMA kb CASCADE"); s.execute("DROP ROLE IF EXISTS ${role}".toString()) }
    }

    def "an extension the server lacks, a version it lacks, or one installed elsewhere fail with the way out"() {
        given:
        TestPostgres.withSql(db) { Sql s -> s.execute('CREATE EXTENSION citext') }

        when:
        def missing = run('ext_missing', '''
                step('vector') { ensureExtension 'no_such_extension' }
        ''')
        def version = run('ext_version', '''
                step('hstore') { ensureExtension 'hstore', version: '99.0' }
        ''')
        def elsewhere = run('ext_elsewhere', '''
                step('schema') { ensureSchema 'ext' }
                step('citext') { ensureExtension 'citext', schema: 'ext' }
        ''')

        then:
        missing.exitCode == ExitCode.STEP_FAILED.code()
        missing.output.contains('ensureExtension no_such_extension: extension no_such_extension is not available on this server')
        missing.output.contains("guard { extension('no_such_extension').available }")
        version.exitCode == ExitCode.STEP_FAILED.code()
        version.output.contains('ensureExtension hstore: extension hstore has no version 99.0 on this server (it has ')
        elsewhere.exitCode == ExitCode.STEP_FAILED.code()
        elsewhere.output.contains('ensureExtension citext: extension citext is installed in schema public, the plan wants it in ext')
    }

    def "mig plan shows what the words would do, and a change of labels is drift"() {
        given:
        def plan = files.write('shown.groovy', '''
            plan('shown') {
                step('status') { ensureEnum 'status', 'new', 'done' }
            }
        ''')
        MigCli.run(['run', '--url', url, plan.toString()])
        plan.toFile().text = plan.toFile().text.replace("'new', 'done'", "'new', 'doing', 'done'")

        when:
        def preview = MigCli.run(['plan', '--url', url, plan.toString()])
        def status = MigCli.run(['status', '--url', url, plan.toString()])

        def fresh = MigCli.run(['plan', '--url', TestPostgres.jdbcUrl(TestPostgres.createDatabase('ensure_fresh')), plan.toString()])

        then: 'a changed label list changes the checksum: the applied step drifted'
        status.exitCode == ExitCode.DRIFT.code()
        preview.output.contains('status')
        fresh.out.contains("ensureEnum status ('new', 'doing', 'done')")
        !fresh.out.contains('groovy block')

        when: 'as JSON, conforming to docs/output.schema.json'
        def json = dev.mig.cli.JsonOutputSpec.parse(MigCli.run(['plan', '--format', 'json', '--url',
                TestPostgres.jdbcUrl(TestPostgres.createDatabase('ensure_json')), plan.toString()]))

        then:
        json.steps[0].ensures*.ensure == ["ensureEnum status ('new', 'doing', 'done')"]
        json.steps[0].groovyBlocks == []
    }

    def "mistakes in the words are plan errors with their line"() {
        given:
        def plan = files.write('bad_words.groovy', '''
            plan('bad_words') {
                step('one') {
                    ensureEnum 'status'
                    ensureEnum 'status', 'a', 'b', 'a'
                    ensureSchema 'kb', owners: 'x'
                    ensureExtension 'vector', versio: '1'
                    ensureEnum 'a.b.c.d', 'x'
                }
            }
        ''')

        when:
        def result = MigCli.run(['check', plan.toString()])

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        result.err.contains("bad_words.groovy:4: ensureEnum 'status' needs its labels, in order")
        result.err.contains("bad_words.groovy:5: ensureEnum 'status' lists 'a' more than once")
        result.err.contains('bad_words.groovy:6: unknown option owners of ensureSchema')
        result.err.contains('bad_words.groovy:7: unknown option versio of ensureExtension')
        result.err.contains('bad_words.groovy:8: ensureEnum: ')
    }
}
