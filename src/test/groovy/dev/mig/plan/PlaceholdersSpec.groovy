package dev.mig.plan

import dev.mig.Mig
import dev.mig.api.ExitCode
import dev.mig.api.MigException
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/** docs/DSL.md "Placeholders": ${name} in sql, sqlFile and recipe SQL (issue 14 item 5). */
class PlaceholdersSpec extends DatabaseSpec {

    static final String NOWHERE = 'postgres://mig@127.0.0.1:1/nowhere'

    List<String> tables() {
        sql { Sql s -> s.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")*.tablename }
    }

    def "values come from the plan, an environment and --set; --set wins over the environment, which wins over the plan"() {
        given:
        def plan = files.write('app.groovy', '''\
            plan('prec') {
                placeholders a: 'plan', b: 'plan', c: 'plan'
                step('t') { sql 'CREATE TABLE t_${a}_${b}_${c} (id int)' }
            }
            ''')
        Files.writeString(plan.resolveSibling('mig.groovy'), """\
            environments {
                dev { url '${url}'; placeholders b: 'env', c: 'env' }
            }
            """.stripIndent())

        when:
        def r = MigCli.run(['run', '--env', 'dev', '--set', 'c=set', plan.toString()])

        then:
        r.exitCode == 0
        tables() == ['t_plan_env_set']
    }

    def "sqlFile and recipe SQL take placeholders too"() {
        given:
        files.write('sql/two.sql', 'CREATE TABLE ${prefix}two (id int);\n')
        files.write('recipes/r.groovy', '''\
            recipe('make') { String n -> sql 'CREATE TABLE ${prefix}' + n + ' (id int)' }
            ''')
        def plan = files.write('p.groovy', '''\
            plan('files') {
                use 'recipes/r.groovy'
                placeholders prefix: 'app_'
                step('a') { sqlFile 'sql/two.sql' }
                step('b') { apply 'make', 'three' }
            }
            ''')

        expect:
        mig(plan.toString()).exitCode == 0
        tables() == ['app_three', 'app_two']
    }

    def "the built-ins: plan name, user, database and current schema, and Flyway's names for them"() {
        given:
        files.write('b.sql', '''\
            CREATE TABLE ${mig:schema}.b (p text, u text, d text, fu text, fd text, fs text);
            INSERT INTO b VALUES ('${mig:plan}', '${mig:user}', '${mig:database}',
                                  '${flyway:user}', '${flyway:database}', '${flyway:defaultSchema}');
            '''.stripIndent())
        def plan = files.write('b.groovy', "plan('built ins') { step('b') { sqlFile 'b.sql' } }")

        when:
        def r = mig(plan.toString())
        def row = sql { Sql s -> s.firstRow('SELECT b.*, current_user AS cu FROM b') }

        then:
        r.exitCode == 0
        row.p == 'built ins'
        row.u == row.cu
        row.fu == row.cu
        row.d == db
        row.fd == db
        row.fs == 'public'
    }

    def "an undefined placeholder is exit 2 at the plan line or the SQL file line, before connecting"() {
        given:
        files.write('sql/x.sql', 'CREATE TABLE a (id int);\n\nCREATE TABLE ${prefix}b (id int);\n')
        def inline = files.write('inline.groovy', """\
            plan('undefined') {
                step('a') {
                    sql '''CREATE TABLE a (id int);
                           CREATE TABLE \${missing_name} (id int)'''
                }
            }
            """)
        def fromFile = files.write('file.groovy', '''\
            plan('undefined') {
                placeholders prefix: null
                step('a') { sqlFile 'sql/x.sql' }
            }
            ''')

        when: 'the target cannot be reached: the placeholder is found first'
        def a = MigCli.run(['run', '--url', NOWHERE, inline.toString()])
        def b = MigCli.run(['run', '--url', NOWHERE, fromFile.toString()])
        def preview = MigCli.run(['plan', '--url', NOWHERE, inline.toString()])
        def set = MigCli.run(['run', '--url', url, '--set', 'prefix=x_', fromFile.toString()])

        then:
        a.exitCode == 2
        a.err.contains('inline.groovy:4')
        a.err.contains('placeholder ${missing_name} has no value')
        a.err.contains('--set missing_name=')
        !a.err.contains('Exception')
        b.exitCode == 2
        b.err.contains('x.sql:3')
        b.err.contains('the plan declares it without one at ')
        preview.exitCode == 2
        preview.err.contains('inline.groovy:4')
        set.exitCode == 0
        tables() == ['a', 'x_b']
    }

    def "dollar quotes, literals and comments: every \${name} is replaced, \\\${name} is the text itself"() {
        given:
        files.write('esc.sql', '''\
            CREATE TABLE esc (n int, v text);
            -- a comment naming ${who}
            INSERT INTO esc VALUES (1, '\\${not_a_placeholder}');
            INSERT INTO esc VALUES (2, '${who}');
            DO $$ BEGIN INSERT INTO esc VALUES (3, 'dollar ${who}'); END $$;
            DO $tag$ BEGIN INSERT INTO esc VALUES (4, $j${"a": 1}$j$); END $tag$;
            INSERT INTO esc VALUES (5, $${}$$);
            '''.stripIndent())
        def plan = files.write('e.groovy', '''\
            plan('esc') {
                placeholders who: 'me'
                step('e') { sqlFile 'esc.sql' }
            }
            ''')
        files.write('off.sql', "CREATE TABLE off_t (v text); INSERT INTO off_t VALUES ('\${raw}');\n")
        def off = files.write('off.groovy', "plan('off') { placeholderReplacement false; step('o') { sqlFile 'off.sql' } }")

        when:
        def r = mig(plan.toString())
        def o = mig(off.toString())

        then:
        r.exitCode == 0
        sql { Sql s -> s.rows('SELECT v FROM esc ORDER BY n')*.v } == ['${not_a_placeholder}', 'me', 'dollar me', '{"a": 1}', '{}']
        o.exitCode == 0
        sql { Sql s -> s.firstRow('SELECT v FROM off_t').v } == '${raw}'
    }

    def "the checksum is over the text as written: another value is no drift; history and --report json record the values, secrets masked"() {
        given:
        files.write('c.sql', "CREATE TABLE c (v text DEFAULT '\${owner}', k text DEFAULT '\${api_key}');\n")
        def plan = files.write('c.groovy', '''\
            plan('chk') {
                placeholders api_key: 'k-123', owner: 'plan'
                step('c') { sqlFile 'c.sql' }
            }
            ''')

        when:
        Path json = files.dir.resolve('report.json')
        def first = mig('--set', 'owner=first', '--report', "json:${json}".toString(), plan.toString())
        String checksum = sql { Sql s -> s.firstRow('SELECT checksum FROM mig.steps').checksum }
        def status = MigCli.run(['status', '--url', url, '--set', 'owner=second', plan.toString()])
        def again = mig('--set', 'owner=second', plan.toString())
        def runs = sql { Sql s -> s.rows('SELECT placeholders::text AS p FROM mig.history ORDER BY id')*.p }

        then:
        first.exitCode == 0
        status.exitCode == 0
        !status.output.contains('drift')
        again.exitCode == 0
        again.out.contains('1 applied earlier')
        sql { Sql s -> s.firstRow('SELECT checksum FROM mig.steps').checksum } == checksum
        checksum == Mig.plan(plan).model().steps()[0].checksum()
        runs.size() == 1
        new JsonSlurper().parseText(runs[0]) == [api_key: '***', owner: 'first']
        !runs[0].contains('k-123')
        new JsonSlurper().parse(json.toFile()).placeholders == [api_key: '***', owner: 'first']
        !Files.readString(json).contains('k-123')
    }

    def "a journal of version 2 gains the placeholders column"() {
        given:
        def plan = files.write('u.groovy', '''\
            plan('up') {
                placeholders n: '1'
                step('one') { sql 'CREATE TABLE one_${n} (id int)' }
                step('two') { sql 'CREATE TABLE two_${n} (id int)' }
            }
            ''')
        mig('--until', 'one', plan.toString())
        sql { Sql s ->
            s.execute('ALTER TABLE mig.history DROP COLUMN placeholders')
            s.execute('UPDATE mig.journal_meta SET schema_version = 2')
        }

        when:
        def r = mig(plan.toString())

        then:
        r.exitCode == 0
        sql { Sql s -> s.firstRow('SELECT schema_version FROM mig.journal_meta').schema_version } == 5
        sql { Sql s -> s.rows('SELECT placeholders::text AS p FROM mig.history ORDER BY id')*.p } == [null, '{"n": "1"}']
    }

    def "the API: MigRunner.placeholders wins over the plan; an undefined one throws before connecting"() {
        given:
        def loaded = Mig.planFromString('api.groovy', '''\
            plan('api') {
                placeholders t: 'plan'
                step('a') { sql 'CREATE TABLE api_${t} (id int)' }
                step('b') { sql 'CREATE TABLE api_${u} (id int)' }
            }
            ''', files.dir)

        when:
        loaded.runner().run(NOWHERE)

        then:
        MigException e = thrown()
        e.exitCode() == ExitCode.PLAN_ERROR
        e.location().toString().endsWith('api.groovy:4')
        e.message.contains('${u}')

        when:
        def result = loaded.runner().placeholders([t: 'api', u: 'two']).run(url)

        then:
        result.succeeded()
        tables() == ['api_api', 'api_two']
    }

    def "a plan that writes \${name} in a double-quoted Groovy string gets Groovy's reading, with a hint"() {
        given:
        def plan = files.write('g.groovy', '''\
            plan('gstring') {
                step('g') { sql "CREATE TABLE ${prefix}t (id int)" }
            }
            ''')

        def builtIn = files.write('h.groovy', '''\
            plan('gstring') {
                step('g') { sql "CREATE TABLE ${mig:schema}.t (id int)" }
            }
            ''')

        when:
        def r = mig(plan.toString())
        def h = mig(builtIn.toString())

        then:
        r.exitCode == 2
        r.err.contains('g.groovy:2')
        r.err.contains('prefix')
        r.err.contains('Groovy replaced ${prefix} in a "..." string before mig saw it')
        h.exitCode == 2
        h.err.contains('h.groovy:2')
        h.err.contains('Groovy replaced ${schema} in a "..." string')
    }

    def "a Flyway import declares its user placeholders to fill in and runs Flyway's built-ins as mig's; other tools' \${...} run as written"() {
        given:
        files.write('fw/V1__a.sql', 'CREATE TABLE ${flyway:defaultSchema}.${table_prefix}a (id int);\n')
        files.write('fw/V2__b.sql', 'COMMENT ON TABLE ${table_prefix}a IS \'by ${flyway:user} in ${flyway:database}\';\n')
        files.write('gm/1_a.up.sql', "CREATE TABLE gm (v text DEFAULT '\${not_for_golang_migrate}');\n")
        Path plan = files.dir.resolve('fw.groovy')
        Path gm = files.dir.resolve('gm.groovy')

        when:
        def imported = MigCli.run(['import', files.dir.resolve('fw').toString(), '--out', plan.toString()])
        def unfilled = mig(plan.toString())
        def filled = mig('--set', 'table_prefix=app_', plan.toString())
        def other = MigCli.run(['import', files.dir.resolve('gm').toString(), '--out', gm.toString()])
        def otherRun = mig(gm.toString())

        then:
        imported.exitCode == 0
        Files.readString(plan).contains('placeholders(table_prefix: null)    // fill in: used in V1__a.sql:1')
        !Files.readString(plan).contains('${flyway')
        unfilled.exitCode == 2
        unfilled.err.contains('V1__a.sql:1: placeholder ${table_prefix} has no value (the plan declares it without one at ')
        filled.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT obj_description('public.app_a'::regclass) AS d, current_user AS u").with { it.d == "by ${it.u} in ${db}".toString() } }
        other.exitCode == 0
        Files.readString(gm).contains('placeholderReplacement false')
        otherRun.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'gm'").d }.contains('${not_for_golang_migrate}')
    }

    def "bad declarations are exit 2 at their line: a mig: name, a value that is not text, --set without =, a null in an environment"() {
        given:
        def builtIn = files.write('bi.groovy', """\
            plan('bad') {
                placeholders 'mig:user': 'me'
                step('a') { sql 'SELECT 1' }
            }
            """)
        def list = files.write('list.groovy', """\
            plan('bad') {

                placeholders names: ['a', 'b']
                step('a') { sql 'SELECT 1' }
            }
            """)
        def ok = files.write('env/ok.groovy', "plan('ok') { step('a') { sql 'SELECT 1' } }")
        Files.writeString(ok.resolveSibling('mig.groovy'), "environments {\n  dev {\n    placeholders region: null\n  }\n}\n")

        when:
        def a = MigCli.run(['run', '--url', NOWHERE, builtIn.toString()])
        def b = MigCli.run(['run', '--url', NOWHERE, list.toString()])
        def c = MigCli.run(['run', '--url', NOWHERE, '--set', 'region', ok.toString()])
        def d = MigCli.run(['run', '--url', NOWHERE, '--env', 'dev', ok.toString()])

        then:
        a.exitCode == 2
        a.err.contains("bi.groovy:2: placeholders: 'mig:user' is not a placeholder name")
        b.exitCode == 2
        b.err.contains("list.groovy:3: placeholders: the value of 'names' is a ArrayList, not text")
        c.exitCode == 2
        c.err.contains('--set')
        c.err.contains('KEY=VALUE')
        d.exitCode == 2
        d.err.contains('mig.groovy:3')
        d.err.contains("placeholder 'region' needs a value")
        [a, b, c, d].every { !it.output.contains('Exception') }
    }

    def "measured: replacing placeholders in a 300-step plan costs little beside loading it"() {
        given:
        def text = new StringBuilder("plan('big') {\n  placeholders p: 'x'\n")
        300.times { text << "  step('s${it}') { sql 'CREATE TABLE t${it}_\${p} (id int); COMMENT ON TABLE t${it}_\${p} IS \\'\${p}\\'' }\n" }
        text << '}\n'
        def plan = files.write('big.groovy', text.toString())

        when:
        long t0 = System.nanoTime()
        def model = Mig.plan(plan).model()
        long loaded = System.nanoTime()
        def resolved = dev.mig.model.PlaceholderResolution.resolve(model)
        long done = System.nanoTime()
        System.out.println("measured: placeholders, 300 steps: load ${(loaded - t0).intdiv(1_000_000)} ms, resolve ${(done - loaded).intdiv(1_000_000)} ms")

        then:
        (resolved.steps()[299].actions()[0] as dev.mig.model.Action.Sql).text() == "CREATE TABLE t299_x (id int); COMMENT ON TABLE t299_x IS 'x'"
        resolved.steps()[299].checksum() == model.steps()[299].checksum()
        (done - loaded) < (loaded - t0)
    }
}
