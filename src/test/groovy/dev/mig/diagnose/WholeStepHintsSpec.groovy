package dev.mig.diagnose

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Path

/**
 * Hints that read the whole step and the whole plan, from real failing runs on the embedded
 * PostgreSQL: a missing type whose CREATE EXTENSION comes later in the same step, SQL of other
 * databases that the server refuses, and a taken name in a schema the plan owns (mig reset).
 */
class WholeStepHintsSpec extends DatabaseSpec {

    static String hint(MigCli result) {
        DiagnosticsSpec.hint(result)
    }

    Path plan(String name, String text) {
        files.write(name + '.groovy', text)
    }

    // ---- a CREATE EXTENSION later in the same step ----------------------------------------------

    def "a type whose CREATE EXTENSION comes later in the same sql text is named with its line"() {
        given:
        def p = plan('same-text', """\
            plan('same-text') {
                step('tags') {
                    sql '''CREATE TABLE items (id int);
                           ALTER TABLE items ADD COLUMN attrs hstore;
                           CREATE EXTENSION IF NOT EXISTS hstore'''
                }
            }
            """)
        Path json = files.dir.resolve('report.json')

        when:
        def result = mig(p.toString(), '--report', "json:${json}".toString())

        then:
        result.exitCode == 1
        result.out.contains('type "hstore" does not exist')
        hint(result) ==~ /(?s)type hstore comes from extension hstore, available on this server \(version [\d.]+\) but not installed in this database\n/ +
                /the CREATE EXTENSION hstore that provides it comes later in this step, at .*same-text.groovy:5 \(line 3 of its sql text\): move it before the first use/
        new JsonSlurper().parse(json.toFile()).steps[0].error.migHint == hint(result).readLines()
        !exists('items')
    }

    def "a later action of the step (an sqlFile) that creates the extension is named at its file line"() {
        given:
        files.write('sql/extensions.sql', '''\
            -- what the users table needs
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE EXTENSION IF NOT EXISTS citext;
            ''')
        def p = plan('later-action', """\
            plan('later-action') {
                step('users') {
                    sql 'CREATE TABLE users (id int, email citext)'
                    sqlFile 'sql/extensions.sql'
                }
            }
            """)

        when:
        def result = mig(p.toString())

        then:
        result.exitCode == 1
        hint(result).readLines()[1] ==~ /the CREATE EXTENSION citext that provides it comes later in this step, at .*sql\/extensions.sql:3: move it before the first use/
    }

    def "a type the step itself creates later is named too, and a later step's extension still reads as before"() {
        given:
        def p = plan('later-type', """\
            plan('later-type') {
                step('feelings') {
                    sql 'CREATE TABLE feelings (m mood)'
                    sql "CREATE TYPE mood AS ENUM ('sad', 'happy')"
                }
            }
            """)
        def q = plan('later-step', """\
            plan('later-step') {
                step('users') { sql 'CREATE TABLE users (email citext)' }
                step('extensions') { sql 'CREATE EXTENSION IF NOT EXISTS citext' }
            }
            """)

        when:
        def type = mig(p.toString())
        def step = MigCli.run(['run', '--url', url, q.toString()])

        then:
        hint(type) ==~ /this step creates type mood later, at .*later-type.groovy:4: move that statement before the first use/
        hint(step) ==~ /(?s)type citext comes from extension citext, available on this server \(version [\d.]+\) but not installed in this database: CREATE EXTENSION IF NOT EXISTS citext in a step before this one\n/ +
                /step 'extensions' creates extension citext later in this plan \(.*later-step.groovy:3\): move that step before this one/
    }

    // ---- SQL of other databases that the server refuses ------------------------------------------

    def "42601: ADD CONSTRAINT IF NOT EXISTS run by a DO block's EXECUTE gets the PostgreSQL way"() {
        given: 'the statement is a string to the plan check (so the plan loads), the server runs and refuses it'
        def p = plan('do-block', '''\
            plan('do-block') {
                step('orders') {
                    sql 'CREATE TABLE orders (id int, total int)'
                    sql """DO \\$\\$ BEGIN
                             EXECUTE 'ALTER TABLE orders ADD CONSTRAINT IF NOT EXISTS total_positive CHECK (total > 0)';
                           END \\$\\$"""
                }
            }
            ''')

        when:
        def result = mig(p.toString())

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 42601')
        hint(result) == "in the statement the block runs (ALTER TABLE orders ADD CONSTRAINT IF NOT EXISTS total_pos...):" +
                " ADD CONSTRAINT IF NOT EXISTS is not PostgreSQL: ALTER TABLE has no IF NOT EXISTS for a constraint, so" +
                " PostgreSQL cannot parse it; write ALTER TABLE orders ADD CONSTRAINT total_positive ... in a step of its own" +
                " with guard { !constraint('orders', 'total_positive').exists() }"
    }

    def "42704 and 42883: a type and a function of another database name what PostgreSQL writes"() {
        given:
        def p = plan('datetime', """\
            plan('datetime') {
                step('events') { sql 'CREATE TABLE events (id int, at datetime)' }
            }
            """)
        def q = plan('getdate', """\
            plan('getdate') {
                step('events') { sql 'CREATE TABLE events (id int, at timestamptz DEFAULT GETDATE())' }
            }
            """)

        when:
        def type = mig(p.toString())
        def function = MigCli.run(['run', '--url', url, q.toString()])

        then:
        type.out.contains('SQL State: 42704')
        hint(type) == 'datetime is a MySQL and SQL Server type: PostgreSQL has no such type (unless this database defines' +
                ' one); write timestamp (or timestamptz, which keeps the time zone)'
        function.out.contains('SQL State: 42883')
        hint(function) == 'getdate() is a SQL Server function: PostgreSQL has no such function (unless this database' +
                ' defines one); write now() (or CURRENT_TIMESTAMP)'
    }

    // ---- a taken name in a schema the plan owns --------------------------------------------------

    def "42P07 in a schema the plan owns suggests mig reset with its command line, and that command works"() {
        given: 'a leftover of an earlier version of the plan, on a development database'
        sql { Sql s ->
            s.execute('CREATE SCHEMA kb')
            s.execute('CREATE TABLE kb.chunks (id int)')
        }
        def p = plan('owned', """\
            plan('owned') {
                owns 'kb'
                step('schema') { sql 'CREATE SCHEMA IF NOT EXISTS kb' }
                step('chunks') { sql 'CREATE TABLE kb.chunks (id int PRIMARY KEY, body text)' }
            }
            """)

        when:
        def result = mig(p.toString())
        List<String> lines = hint(result).readLines()

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 42P07')
        lines[0] == 'kb.chunks is a table that exists already'
        lines[3] == "schema kb is one this plan owns (owns 'kb'): on a development database, start afresh with"
        lines[4] == "  mig reset ${p} --yes".toString()
        lines[5] == "which drops schema kb with everything in it and this plan's journal rows, then runs the plan from its" +
                " first step (give it this run's --url and --journal-schema; without --yes it only says what it would drop)." +
                " Not on a database whose data you keep"

        when: 'the command of the hint, with this run\'s --url'
        def reset = MigCli.run(lines[4].trim().split(' ').drop(1).toList() + ['--url', url])

        then:
        reset.exitCode == 0
        sql { Sql s -> s.rows("SELECT attname FROM pg_attribute WHERE attrelid = 'kb.chunks'::regclass AND attnum > 0")*.attname } == ['id', 'body']
    }

    def "42P07 outside the schemas the plan owns says nothing of reset"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SCHEMA kb')
            s.execute('CREATE TABLE public.items (id int)')
        }
        def p = plan('not-owned', """\
            plan('not-owned') {
                owns 'kb'
                step('items') { sql 'CREATE TABLE items (id int)' }
            }
            """)

        when:
        def result = mig(p.toString())

        then:
        result.out.contains('SQL State: 42P07')
        hint(result).startsWith('public.items is a table that exists already')
        !hint(result).contains('mig reset')
    }

    def "42P06: CREATE SCHEMA of an owned schema that exists says IF NOT EXISTS and mig reset"() {
        given:
        sql { Sql s -> s.execute('CREATE SCHEMA "Core"') }
        def p = plan('owned-schema', """\
            plan('owned-schema') {
                owns 'kb', '"Core"'
                step('schemas') { sql 'CREATE SCHEMA "Core"' }
            }
            """)

        when:
        def result = mig(p.toString())
        List<String> lines = hint(result).readLines()

        then:
        result.out.contains('SQL State: 42P06')
        lines[0] == 'schema Core exists already: write CREATE SCHEMA IF NOT EXISTS "Core", or guard { !schema(\'"Core"\').exists() }'
        lines[1] == "schema \"Core\" is one this plan owns (owns 'kb', '\"Core\"'): on a development database, start afresh with"
        lines[3].startsWith('which drops schemas kb, "Core" with everything in them')
    }
}
