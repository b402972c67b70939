package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql

class RunSpec extends DatabaseSpec {


    List<Map> journal() {
        sql { Sql s -> s.rows('SELECT step, status, checksum FROM mig.steps ORDER BY position')*.toSpreadMap() }
    }

    List<Map> history() {
        sql { Sql s -> s.rows('SELECT step, outcome, sqlstate, error FROM mig.history ORDER BY id')*.toSpreadMap() }
    }

    def "a plan's steps are applied in order, journalled, and a rerun does nothing"() {
        given:
        def plan = files.write('basic.groovy', """
            plan('basic') {
                step('create users') {
                    sql 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)'
                    verify { table('users') { columns 2; column('email') { type 'text'; notNull true } } }
                }
                step('seed users') {
                    sql "INSERT INTO users VALUES (1, 'a@example.org'), (2, 'b@example.org')"
                    verify { rowCount 'users', 2 }
                }
            }
        """)

        when:
        def first = mig(plan.toString())

        then:
        first.exitCode == 0
        first.out =~ /applied\s+create users/
        first.out =~ /applied\s+seed users/
        first.out.contains('done in')
        journal()*.step == ['create users', 'seed users']
        journal()*.status == ['applied', 'applied']
        sql { it.firstRow('SELECT count(*) AS n FROM users').n } == 2

        when:
        def second = mig(plan.toString())

        then:
        second.exitCode == 0
        second.out.contains('0 applied, 0 skipped, 2 applied earlier')
        sql { it.firstRow('SELECT count(*) AS n FROM users').n } == 2
        history()*.outcome == ['applied', 'applied']
    }

    def "a failed verify rolls the step back, records the attempt, and exits 3"() {
        given:
        def plan = files.write('verify-fails.groovy', """
            plan('verify-fails') {
                step('ok') { sql 'CREATE TABLE kept (id int)' }
                step('chunks') {
                    sql 'CREATE TABLE chunks (id int, body text)'
                    verify {
                        table('chunks') { columns 3; column('embedding') { type 'real[]' } }
                        table 'chunk_meta'
                    }
                }
                step('after') { sql 'CREATE TABLE after_table (id int)' }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 3
        result.out.contains('table chunks: expected 3 columns, found 2 (missing: embedding)')
        result.out.contains('chunk_meta')
        result.out =~ /not run\s+after/
        sql { it.firstRow("SELECT to_regclass('chunks') IS NULL AS gone").gone }
        sql { it.firstRow("SELECT to_regclass('kept') IS NOT NULL AS kept").kept }
        sql { it.firstRow("SELECT to_regclass('after_table') IS NULL AS gone").gone }
        journal().find { it.step == 'chunks' }.status == 'failed'
        history().find { it.step == 'chunks' }.outcome == 'verify-failed'
    }

    def "a SQL error names the file and line, shows the statement, rolls back the step and exits 1"() {
        given:
        files.write('sql/two.sql', """\
            -- two tables
            CREATE TABLE parent (id int PRIMARY KEY);

            CREATE TABLE child (
                id int PRIMARY KEY,
                parent_id intt REFERENCES parent (id)
            );
        """)
        def plan = files.write('sql-error.groovy', """
            plan('sql-error') {
                step('tables') { sqlFile 'sql/two.sql' }
                step('later') { sql 'CREATE TABLE later (id int)' }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out.contains('sql/two.sql:6')
        result.out.contains('type "intt" does not exist')
        result.out.contains('SQL State: 42704')
        result.out.contains('parent_id intt REFERENCES parent (id)')
        result.out =~ /\n\s+\^/
        result.out =~ /not run\s+later/
        sql { it.firstRow("SELECT to_regclass('parent') IS NULL AS gone").gone }
        history().find { it.step == 'tables' }.sqlstate == '42704'
    }

    def "an error in inline SQL points at the plan line of the statement"() {
        given:
        def plan = files.write('inline-error.groovy', """\
            plan('inline-error') {
                step('two statements') {
                    sql '''CREATE TABLE a (id int);
                           CREATE TABLE a (id int);'''
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out.contains('inline-error.groovy:4')
        result.out.contains('relation "a" already exists')
    }

    def "guards skip, fail, or warn, and a skipped step's guard is asked again on the next run"() {
        given:
        def plan = files.write('guards.groovy', """
            plan('guards') {
                step('only when flag exists') {
                    guard { table('flag').exists() }
                    sql 'CREATE TABLE guarded (id int)'
                }
                step('warns') {
                    guard(onFalse: 'warn', message: 'no flag yet') { table('flag').exists() }
                    sql 'CREATE TABLE warned (id int)'
                }
            }
        """)

        when:
        def first = mig(plan.toString())

        then:
        first.exitCode == 0
        first.out =~ /skipped\s+only when flag exists/
        first.out.contains('warning: no flag yet')
        journal().find { it.step == 'only when flag exists' }.status == 'skipped'
        sql { it.firstRow("SELECT to_regclass('guarded') IS NULL AS gone").gone }

        when:
        sql { it.execute('CREATE TABLE flag (id int)') }
        def second = mig(plan.toString())

        then:
        second.exitCode == 0
        second.out =~ /applied\s+only when flag exists/
        journal().find { it.step == 'only when flag exists' }.status == 'applied'
        sql { it.firstRow("SELECT to_regclass('guarded') IS NOT NULL AS made").made }
    }

    def "a failing precondition fails the step with its message"() {
        given:
        def plan = files.write('precondition.groovy', """
            plan('precondition') {
                step('needs pgvector') {
                    guard(onFalse: 'fail', message: 'install pgvector first') { extension('vector').exists() }
                    sql 'CREATE TABLE v (id int)'
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out.contains('precondition failed: install pgvector first')
        result.out.contains('precondition.groovy:4')
    }

    def "notices are printed with the outcome of their transaction"() {
        given:
        def plan = files.write('notices.groovy', """
            plan('notices') {
                step('talks') {
                    sql '''DO \$\$ BEGIN RAISE NOTICE 'hello from a committed step'; END \$\$'''
                }
                step('talks then fails') {
                    sql '''DO \$\$ BEGIN RAISE NOTICE 'hello from a doomed step'; END \$\$'''
                    sql 'SELECT 1/0'
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out =~ /NOTICE: hello from a committed step\s+\[committed\]/
        result.out =~ /NOTICE: hello from a doomed step\s+\[rolled back\]/
    }

    def "runAlways steps run on every run"() {
        given:
        def plan = files.write('always.groovy', """
            plan('always') {
                step('table') { sql 'CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)' }
                step('bump') {
                    runAlways true
                    sql 'UPDATE counter SET n = n + 1'
                }
            }
        """)

        when:
        3.times { assert mig(plan.toString()).exitCode == 0 }

        then:
        sql { it.firstRow('SELECT n FROM counter').n } == 3
    }

    def "a changed applied step is drift: exit 5 before anything runs, unless --accept-drift"() {
        given:
        def plan = files.write('drift.groovy', """
            plan('drift') {
                step('users') { sql 'CREATE TABLE users (id int)' }
            }
        """)
        assert mig(plan.toString()).exitCode == 0
        files.write('drift.groovy', """
            plan('drift') {
                step('users') { sql 'CREATE TABLE users (id bigint)' }
                step('posts') { sql 'CREATE TABLE posts (id int)' }
            }
        """)

        when:
        def drifted = mig(plan.toString())

        then:
        drifted.exitCode == 5
        drifted.err.contains('1 applied step has changed since they ran')
        drifted.err.contains('users (')
        sql { it.firstRow("SELECT to_regclass('posts') IS NULL AS gone").gone }

        and: 'status shows it too'
        with(MigCli.run(['status', '--url', url, plan.toString()])) {
            exitCode == 5
            out =~ /DRIFTED\s+users/
            out =~ /pending\s+posts/
        }

        when:
        def accepted = mig('--accept-drift', plan.toString())

        then:
        accepted.exitCode == 0
        sql { it.firstRow("SELECT to_regclass('posts') IS NOT NULL AS made").made }
        mig(plan.toString()).exitCode == 0
    }

    def "reformatting an applied SQL file is not drift"() {
        given:
        files.write('sql/fmt.sql', 'CREATE TABLE fmt (id int, name text);\n')
        def plan = files.write('fmt.groovy', "plan('fmt') { step('fmt') { sqlFile 'sql/fmt.sql' } }")
        assert mig(plan.toString()).exitCode == 0
        files.write('sql/fmt.sql', '-- the fmt table\r\nCREATE TABLE fmt (\r\n    id   int,\r\n    name text\r\n);\r\n')

        expect:
        mig(plan.toString()).exitCode == 0
    }

    def "transaction false steps run in autocommit and are journalled"() {
        given:
        def plan = files.write('concurrently.groovy', """
            plan('concurrently') {
                step('table') { sql 'CREATE TABLE items (id int)' }
                step('index') {
                    transaction false
                    sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS items_id_idx ON items (id)'
                    verify { index('items_id_idx') { valid true; on 'items' } }
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 0
        journal()*.status == ['applied', 'applied']
        history()*.outcome == ['applied', 'running', 'applied']
    }

    def "--tags and --until select steps"() {
        given:
        def plan = files.write('select.groovy', """
            plan('select') {
                step('a') { tags 'core'; sql 'CREATE TABLE a (id int)' }
                step('b') { sql 'CREATE TABLE b (id int)' }
                step('c') { tags 'core'; sql 'CREATE TABLE c (id int)' }
            }
        """)

        when:
        def tagged = mig('--tags', 'core', plan.toString())

        then:
        tagged.exitCode == 0
        journal()*.step == ['a', 'c']

        when:
        def until = mig('--until', 'b', plan.toString())

        then:
        until.exitCode == 0
        journal()*.step.sort() == ['a', 'b', 'c']
        MigCli.run(['run', '--url', url, '--until', 'zz', plan.toString()]).exitCode == 2
    }

    def "groovy blocks get a Sql on the step's transaction"() {
        given:
        def plan = files.write('groovy.groovy', """
            plan('groovy') {
                step('code') {
                    sql 'CREATE TABLE g (n int)'
                    groovy { db ->
                        (1..5).each { db.executeInsert('INSERT INTO g VALUES (?)', [it]) }
                    }
                    verify { rowCount 'g', 5 }
                }
                step('code fails') {
                    groovy { db ->
                        db.execute('INSERT INTO g VALUES (6)')
                        throw new IllegalStateException('nope')
                    }
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out.contains('groovy block threw IllegalStateException: nope')
        result.out.contains('groovy.groovy:13')
        sql { it.firstRow('SELECT count(*) AS n FROM g').n } == 5
    }

    def "a JSON report is written, and no password appears in output, report or journal"() {
        given:
        sql { it.execute("CREATE ROLE reporter LOGIN SUPERUSER PASSWORD 'Sekr1t-pass'") }
        def plan = files.write('report.groovy', """
            plan('report') {
                step('ok') { sql 'CREATE TABLE r (id int)' }
                step('bad') { sql 'SELECT * FROM nope' }
            }
        """)
        def report = files.dir.resolve('out/report.json')
        def secretUrl = "postgres://reporter:Sekr1t-pass@localhost:${TestPostgres.port()}/${db}"

        when:
        def result = MigCli.run(['run', '--url', secretUrl, '--report', "json:${report}", plan.toString()])
        def json = new JsonSlurper().parse(report.toFile())

        then:
        result.exitCode == 1
        json.plan == 'report'
        json.exitCode == 1
        json.steps*.outcome == ['applied', 'failed']
        json.steps[1].error.sqlState == '42P01'
        json.target.contains('reporter@localhost')
        !result.output.contains('Sekr1t')
        !report.toFile().text.contains('Sekr1t')
        sql { Sql s -> s.rows('SELECT * FROM mig.history')*.values().flatten().every { !String.valueOf(it).contains('Sekr1t') } }
    }

    def "statementTimeout and lockTimeout are set per step and fail it with the server's error"() {
        given:
        def plan = files.write('timeouts.groovy', """
            plan('timeouts') {
                step('table') { sql 'CREATE TABLE busy (id int)' }
                step('slow') {
                    statementTimeout '200ms'
                    sql 'SELECT pg_sleep(5)'
                }
            }
        """)
        def locked = files.write('locked.groovy', """
            plan('locked') {
                lockTimeout '300ms'
                step('alter busy') { sql 'ALTER TABLE busy ADD COLUMN note text' }
            }
        """)

        when:
        long started = System.nanoTime()
        def slow = mig(plan.toString())
        long slowMs = (System.nanoTime() - started) / 1_000_000

        then:
        slow.exitCode == 1
        slow.out.contains('SQL State: 57014')
        slow.out.contains('canceling statement due to statement timeout')
        slowMs < 4000

        when: 'another session holds a lock on the table'
        def blocker = TestPostgres.connect(db)
        blocker.autoCommit = false
        blocker.createStatement().execute('LOCK TABLE busy IN ACCESS SHARE MODE')
        started = System.nanoTime()
        def waited = mig(locked.toString())
        long waitedMs = (System.nanoTime() - started) / 1_000_000

        then:
        waited.exitCode == 1
        waited.out.contains('SQL State: 55P03')
        waited.out.contains('lock timeout')
        waitedMs < 4000
        sql { it.firstRow("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'busy'").n } == 1

        cleanup:
        blocker?.close()
    }

    def "a non-transactional step interrupted by a crash is run again"() {
        given:
        def plan = files.write('interrupted.groovy', """
            plan('interrupted') {
                step('table') { sql 'CREATE TABLE items (id int)' }
                step('index') {
                    transaction false
                    sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS items_idx ON items (id)'
                }
            }
        """)
        assert mig(plan.toString()).exitCode == 0
        sql { it.execute("UPDATE mig.steps SET status = 'running' WHERE step = 'index'") }

        expect:
        with(MigCli.run(['status', '--url', url, plan.toString()])) {
            out =~ /interrupted\s+index/
        }
        with(mig(plan.toString())) {
            exitCode == 0
            out =~ /applied\s+index/
        }
        journal()*.status == ['applied', 'applied']
    }

    def "a run stopped before any step still writes its JSON report"() {
        given:
        def plan = files.write('drift-report.groovy', "plan('drift-report') { step('a') { sql 'CREATE TABLE dr (id int)' } }")
        assert mig(plan.toString()).exitCode == 0
        files.write('drift-report.groovy', "plan('drift-report') { step('a') { sql 'CREATE TABLE dr (id bigint)' } }")
        def report = files.dir.resolve('drift-report.json')

        when:
        def result = mig('--report', "json:${report}", plan.toString())
        def json = new JsonSlurper().parse(report.toFile())

        then:
        result.exitCode == 5
        json.exitCode == 5
        json.error.message.contains('changed since they ran')
        json.steps == []
    }

    def "tricky SQL runs statement by statement on the server, and an error after it keeps its exact line"() {
        given:
        def sqlText = '''\
            /* a comment /* nested; still comment */ and more; */
            CREATE TABLE "odd;name" ("semi;colon" text);
            INSERT INTO "odd;name" VALUES (E'it\\'s; escaped'), ('plain ''quoted''; text');
            CREATE FUNCTION tricky() RETURNS int LANGUAGE plpgsql AS $body$
            BEGIN
                -- a $$ inside a tagged body; and semicolons
                RETURN length($$;;$$);
            END
            $body$;
            CREATE FUNCTION atomic_one() RETURNS int LANGUAGE sql
            BEGIN ATOMIC
                SELECT 1;
                SELECT tricky();
            END;
            SELECT no_such_column FROM "odd;name";
            '''.stripIndent()
        files.write('sql/tricky.sql', sqlText)
        def plan = files.write('tricky.groovy', "plan('tricky') { step('tricky') { sqlFile 'sql/tricky.sql' } }")

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 1
        result.out.contains('sql/tricky.sql:15')
        result.out.contains('column "no_such_column" does not exist')
        sql { it.firstRow('SELECT to_regclass(\'"odd;name"\') IS NULL AS gone').gone }

        when: 'the same statements without the error'
        files.write('sql/tricky.sql', sqlText.replace('no_such_column', '*'))
        def ok = mig(plan.toString())

        then:
        ok.exitCode == 0
        sql { it.firstRow('SELECT tricky() AS n').n } == 2
        sql { it.firstRow('SELECT atomic_one() AS n').n } == 2   // the body's last statement: SELECT tricky()
        sql { it.rows('SELECT "semi;colon" AS v FROM "odd;name" ORDER BY 1')*.v } == ["it's; escaped", "plain 'quoted'; text"]
    }

    def "a step's catalog reading is shared by guard and verify, and read again after each change"() {
        given:
        def plan = files.write('snapshot.groovy', """
            plan('snapshot') {
                step('made in groovy') {
                    guard { !table('made_here').exists() }
                    groovy { db ->
                        assert !table('made_here').exists()
                        db.execute 'CREATE TABLE made_here (id int)'
                        assert table('made_here').exists()
                        assert table('made_here').columns == ['id']
                        db.execute 'ALTER TABLE made_here ADD COLUMN name text'
                        assert table('made_here').columns == ['id', 'name']
                    }
                    sql 'ALTER TABLE made_here ADD COLUMN at timestamptz'
                    verify { table('made_here') { columns 3 } }
                }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'made_here'").n } == 3
    }

    def "the journal keeps what each guard read and answered, and status says why a step was skipped"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE projects (id int, tenant_id bigint NOT NULL)') }
        def plan = files.write('evidence.groovy', """
            plan('evidence') {
                step('add tenant to projects') {
                    guard(message: 'projects has no tenant_id yet') {
                        !column('projects', 'tenant_id').exists() && serverVersion >= 140000
                    }
                    sql 'ALTER TABLE projects ADD COLUMN tenant_id bigint'
                }
                step('pgcrypto if missing') {
                    guard { !extension('pgcrypto') && value('select count(*) from projects') == 0 }
                    sql 'CREATE EXTENSION pgcrypto'
                }
            }
        """)

        when:
        def run = mig(plan.toString())
        def status = MigCli.run(['status', '--url', url, plan.toString()])

        then:
        run.exitCode == 0
        run.out =~ /skipped\s+add tenant to projects/
        run.out =~ /applied\s+pgcrypto if missing/
        status.out.contains('evidence.groovy:4 (skip) was false: projects has no tenant_id yet')
        status.out.contains('read column projects.tenant_id: exists (bigint, NOT NULL)')
        // && stopped at the first false operand: serverVersion was never read
        !status.out.contains('serverVersion')
        // applied steps' evidence shows with -v only
        !status.out.contains('read extension pgcrypto')

        when:
        def verbose = MigCli.run(['status', '-v', '--url', url, plan.toString()])
        def evidence = sql { Sql s -> s.firstRow("SELECT guard_evidence::text AS e FROM mig.steps WHERE step = 'pgcrypto if missing'").e }
        def history = sql { Sql s -> s.rows("SELECT guard_evidence::text AS e FROM mig.history WHERE step = 'add tenant to projects'")*.e }

        then:
        verbose.out.contains('evidence.groovy:10 (skip) was true')
        verbose.out.contains('read extension pgcrypto: does not exist')
        verbose.out.contains("read value('select count(*) from projects') = 0")
        // a missing extension's evidence says whether the server could install it
        new groovy.json.JsonSlurper().parseText(evidence)[0].read[0] ==~ /extension pgcrypto: does not exist \(available, version [\d.]+\)/
        new groovy.json.JsonSlurper().parseText(evidence)[0].read[1] == "value('select count(*) from projects') = 0"
        history.size() == 1 && history[0].contains('tenant_id: exists')

        when: 'the JSON report carries the same evidence'
        def report = files.dir.resolve('evidence-report.json')
        mig('--report', "json:${report}", plan.toString())
        def steps = new JsonSlurper().parse(report.toFile()).steps

        then:
        steps[0].guards[0].answer == false
        steps[0].guards[0].message == 'projects has no tenant_id yet'
        steps[0].guards[0].read == ['column projects.tenant_id: exists (bigint, NOT NULL)']
    }

    def "a journal written before guard evidence existed is upgraded in place"() {
        given:
        def plan = files.write('upgrade.groovy', """
            plan('upgrade') {
                step('one') { sql 'CREATE TABLE one (id int)' }
                step('two') { guard { !table('two') }; sql 'CREATE TABLE two (id int)' }
            }
        """)
        MigCli.run(['run', '--url', url, '--until', 'one', plan.toString()])
        sql { Sql s ->
            s.execute('ALTER TABLE mig.steps DROP COLUMN guard_evidence')
            s.execute('ALTER TABLE mig.history DROP COLUMN guard_evidence')
            s.execute('UPDATE mig.journal_meta SET schema_version = 1')
        }

        when: 'status reads the old journal without changing it'
        def status = MigCli.run(['status', '--url', url, plan.toString()])

        then:
        status.exitCode == 0
        sql { Sql s -> s.firstRow('SELECT schema_version FROM mig.journal_meta').schema_version } == 1

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode == 0
        sql { Sql s -> s.firstRow('SELECT schema_version FROM mig.journal_meta').schema_version } == 5
        sql { Sql s -> s.firstRow("SELECT guard_evidence::text AS e FROM mig.steps WHERE step = 'two'").e }.contains('table two: does not exist')
    }

    def "a journal from a newer mig is refused and left as it is"() {
        given:
        def plan = files.write('newer.groovy', "plan('newer') { step('one') { sql 'CREATE TABLE one (id int)' } }")
        mig(plan.toString())
        sql { Sql s -> s.execute('UPDATE mig.journal_meta SET schema_version = 99') }

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode != 0
        run.err.contains('was written by a newer mig (journal version 99, this mig knows 5)')
        !run.err.contains('\tat ')
        sql { Sql s -> s.firstRow('SELECT schema_version FROM mig.journal_meta').schema_version } == 99
    }
}
