package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/** mig import of Sqitch projects and Liquibase formatted SQL, and Flyway's callbacks and placeholders, run on real PostgreSQL. */
class SqitchLiquibaseSpec extends ImportSpecification {

    private static List<String> journal(String db) {
        TestPostgres.withSql(db) { Sql s -> s.rows("SELECT step FROM mig.steps WHERE status = 'applied' ORDER BY 1")*.step }
    }

    // ---- Sqitch

    /** A Sqitch project written the way `sqitch add` writes one: BEGIN/COMMIT around deploy and revert, BEGIN/ROLLBACK around verify. */
    private static List<MigrationHistory.Script> writeSqitch(MigrationHistory history, Path dir) {
        Files.createDirectories(dir.resolve('deploy'))
        Files.createDirectories(dir.resolve('revert'))
        Files.createDirectories(dir.resolve('verify'))
        StringBuilder plan = new StringBuilder('%syntax-version=1.0.0\n%project=gen\n%uri=https://example.com/gen/\n\n')
        List<MigrationHistory.Script> order = []
        Set<String> seen = []
        List<String> names = history.changes.withIndex().collect { c, i -> seen.add(c.slug) ? c.slug : "${c.slug}_${i}".toString() }
        history.changes.eachWithIndex { MigrationHistory.Change c, int i ->
            String name = names[i]
            List<String> deps = []
            if (i > 0 && i % 3 == 0) deps << names[i - 1]
            if (i > 1 && i % 7 == 0) deps << 'gen:enable_pgcrypto'
            plan << name << (deps ? " [${deps.join(' ')}]" : '') << " 2024-01-0${1 + i % 9}T10:00:00Z Marge N. O'Vera <marge@example.com> # change ${i}\n"
            if (i % 40 == 39) plan << "@v${i} 2024-02-01T10:00:00Z Marge N. O'Vera <marge@example.com> # Tag v${i}.\n"
            String deploy = c.concurrent ? "-- Deploy gen:${c.slug} to pg\n\n${c.up}\n"
                    : "-- Deploy gen:${c.slug} to pg\n-- requires: nothing\n\nBEGIN;\n\n${c.up}\nCOMMIT;\n"
            Files.writeString(dir.resolve("deploy/${name}.sql"), deploy)
            Files.writeString(dir.resolve("revert/${name}.sql"), "-- Revert gen:${c.slug} from pg\n\nBEGIN;\n\n${c.down}\n\nCOMMIT;\n")
            Files.writeString(dir.resolve("verify/${name}.sql"), "-- Verify gen:${c.slug} on pg\n\nBEGIN;\n\nSELECT 1/count(*) FROM pg_namespace WHERE nspname = 'public';\n\nROLLBACK;\n")
            order << new MigrationHistory.Script(file: name, sql: deploy, autocommit: true)
        }
        Files.writeString(dir.resolve('sqitch.plan'), plan.toString())
        Files.writeString(dir.resolve('sqitch.conf'), '[core]\n\tengine = pg\n')
        order
    }

    def "a generated Sqitch project of 150 changes: plan order, dependencies as requires, BEGIN/COMMIT left to mig, and the catalog of its scripts applied by psql"() {
        given:
        def history = new MigrationHistory(41, 150)
        Path dir = tmp.resolve('sqitch-gen')
        def scripts = writeSqitch(history, dir)
        Path plan = tmp.resolve('plans/gen.groovy')

        when:
        long t0 = System.nanoTime()
        def imported = importing(dir, plan)
        long importMs = (System.nanoTime() - t0) / 1_000_000
        String text = imported.exitCode == 0 ? Files.readString(plan) : imported.toString()

        then:
        imported.exitCode == 0
        imported.out.contains("imported ${scripts.size()} sqitch migrations")
        stepNames(plan) == scripts*.file
        text.count('requires ') == (1..<scripts.size()).count { it % 3 == 0 || (it > 1 && it % 7 == 0) }
        text.contains("requires 'enable_pgcrypto'")
        text.count('transaction false') == history.changes.count { it.concurrent }
        text.count('undo { sqlFile') == scripts.size()
        text.count("sqlFile 'imported/sqitch/verify/") == scripts.size()
        !imported.out.contains('BEGIN in the file')                       // the template's BEGIN/COMMIT are not warnings
        Files.readString(plan.resolveSibling('imported/sqitch/deploy/' + scripts[1].file + '.sql')).contains('/* BEGIN */;')
        MigCli.run(['check', plan.toString()]).exitCode == 0

        when:
        String a = TestPostgres.createDatabase('sqitch_files')
        String b = TestPostgres.createDatabase('sqitch_mig')
        applyInOrder(a, scripts)
        long t1 = System.nanoTime()
        def ran = running(b, plan)
        println "measured: sqitch, ${scripts.size()} changes: import ${importMs} ms, run ${(System.nanoTime() - t1) / 1_000_000 as long} ms"

        then:
        ran.exitCode == 0
        fingerprint(b) == fingerprint(a)
        fingerprint(a).any { it.startsWith('index ') && it.contains('_ci') }
        journal(b).size() == scripts.size()

        when: 'mig undo runs the revert scripts'
        def undo = MigCli.run(['undo', '--url', TestPostgres.jdbcUrl(b), '--steps', '5', plan.toString()])
        String c = TestPostgres.createDatabase('sqitch_files_less')
        applyInOrder(c, scripts.take(scripts.size() - 5))

        then:
        undo.exitCode == 0
        fingerprint(b).findAll { !it.startsWith('sequence ') } == fingerprint(c).findAll { !it.startsWith('sequence ') }
    }

    private Path flipr(Map<String, String> changed = [:]) {
        Map<String, String> files = [
                'sqitch.conf'                          : '[core]\n\tengine = pg\n',
                'sqitch.plan'                          : '''\
                    %syntax-version=1.0.0
                    %project=flipr
                    %uri=https://github.com/sqitchers/sqitch-intro/

                    appschema 2013-12-30T23:19:51Z Marge N. O'Vera <marge@example.com> # Add schema for all flipr objects.
                    users [appschema] 2013-12-31T00:28:40Z Marge N. O'Vera <marge@example.com> # Creates table to track our users.
                    flips [appschema users] 2013-12-31T00:39:02Z Marge N. O'Vera <marge@example.com> # Adds table for storing flips.
                    insert_user [users appschema] 2013-12-31T00:45:12Z Marge N. O'Vera <marge@example.com> # Creates a function to insert a user.
                    @v1.0.0-dev1 2013-12-31T00:48:10Z Marge N. O'Vera <marge@example.com> # Tag v1.0.0-dev1.

                    flips_idx [flips !old_idx] 2014-01-02T10:00:00Z Marge N. O'Vera <marge@example.com> # Index flips by user, concurrently.
                    insert_user [insert_user@v1.0.0-dev1 flipr:users] 2014-01-03T10:00:00Z Marge N. O'Vera <marge@example.com> # Change insert_user to set a nickname.
                    '''.stripIndent(),
                'deploy/appschema.sql'                 : '-- Deploy flipr:appschema to pg\n\nBEGIN;\n\nCREATE SCHEMA flipr;\n\nCOMMIT;\n',
                'revert/appschema.sql'                 : '-- Revert flipr:appschema from pg\n\nBEGIN;\n\nDROP SCHEMA flipr;\n\nCOMMIT;\n',
                'verify/appschema.sql'                 : '-- Verify flipr:appschema on pg\n\nBEGIN;\n\nSELECT pg_catalog.has_schema_privilege(\'flipr\', \'usage\');\n\nROLLBACK;\n',
                'deploy/users.sql'                     : '-- Deploy flipr:users to pg\n-- requires: appschema\n\nBEGIN;\n\nCREATE TABLE flipr.users (\n    nickname  TEXT        PRIMARY KEY,\n    password  TEXT        NOT NULL,\n    timestamp TIMESTAMPTZ NOT NULL DEFAULT NOW()\n);\n\nCOMMIT;\n',
                'revert/users.sql'                     : 'BEGIN;\nDROP TABLE flipr.users;\nCOMMIT;\n',
                'verify/users.sql'                     : 'BEGIN;\nSELECT nickname, password, timestamp FROM flipr.users WHERE FALSE;\nROLLBACK;\n',
                'deploy/flips.sql'                     : 'BEGIN;\nCREATE TABLE flipr.flips (\n    id        BIGSERIAL   PRIMARY KEY,\n    nickname  TEXT        NOT NULL REFERENCES flipr.users(nickname),\n    body      TEXT        NOT NULL DEFAULT \'\' CHECK ( length(body) <= 180 ),\n    timestamp TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()\n);\nCOMMIT;\n',
                'revert/flips.sql'                     : 'BEGIN;\nDROP TABLE flipr.flips;\nCOMMIT;\n',
                'verify/flips.sql'                     : 'BEGIN;\nSELECT id, nickname, body, timestamp FROM flipr.flips WHERE FALSE;\nROLLBACK;\n',
                'deploy/insert_user@v1.0.0-dev1.sql'   : 'BEGIN;\nCREATE OR REPLACE FUNCTION flipr.insert_user(\n    nickname TEXT,\n    password TEXT\n) RETURNS VOID LANGUAGE SQL SECURITY DEFINER AS $$\n    INSERT INTO flipr.users VALUES($1, md5($2));\n$$;\nCOMMIT;\n',
                'revert/insert_user@v1.0.0-dev1.sql'   : 'BEGIN;\nDROP FUNCTION flipr.insert_user(TEXT, TEXT);\nCOMMIT;\n',
                'verify/insert_user@v1.0.0-dev1.sql'   : 'BEGIN;\nSELECT has_function_privilege(\'flipr.insert_user(text, text)\', \'execute\');\nROLLBACK;\n',
                'deploy/flips_idx.sql'                 : '-- no transaction: Sqitch runs this file with psql as written\nCREATE INDEX CONCURRENTLY flips_nickname ON flipr.flips (nickname);\n',
                'revert/flips_idx.sql'                 : 'DROP INDEX flipr.flips_nickname;\n',
                'deploy/insert_user.sql'               : 'BEGIN;\nCREATE OR REPLACE FUNCTION flipr.insert_user(\n    nickname TEXT,\n    password TEXT\n) RETURNS VOID LANGUAGE SQL SECURITY DEFINER AS $$\n    INSERT INTO flipr.users VALUES(lower($1), md5($2));\n$$;\nCOMMIT;\n',
                'revert/insert_user.sql'               : 'BEGIN;\nCREATE OR REPLACE FUNCTION flipr.insert_user(\n    nickname TEXT,\n    password TEXT\n) RETURNS VOID LANGUAGE SQL SECURITY DEFINER AS $$\n    INSERT INTO flipr.users VALUES($1, md5($2));\n$$;\nCOMMIT;\n',
                'verify/insert_user.sql'               : 'BEGIN;\nSELECT 1/(prosrc LIKE \'%lower%\')::int FROM pg_proc WHERE proname = \'insert_user\';\nROLLBACK;\n',
                'README.md'                            : '# flipr\n']
        folder('flipr', files + changed)
    }

    def "the Sqitch tutorial's project: a reworked change, a tag dependency, a conflict and a cross-project dependency, a script without a transaction"() {
        given:
        Path dir = flipr()
        Path plan = tmp.resolve('flipr.groovy')

        when:
        def imported = importing(dir, plan)
        String text = imported.exitCode == 0 ? Files.readString(plan) : imported.toString()

        then:
        imported.exitCode == 0
        stepNames(plan) == ['appschema', 'users', 'flips', 'insert_user@v1.0.0-dev1', 'flips_idx', 'insert_user']
        text.contains("""\
            step('flips') {
                    requires 'appschema', 'users'""".stripIndent().replace('\n        ', '\n        '))
        text.contains("requires 'insert_user@v1.0.0-dev1', 'users'")          // flipr:users is this project's users
        text.contains("sqlFile 'imported/sqitch/deploy/insert_user@v1.0.0-dev1.sql'")
        text.contains("transaction false    // CREATE INDEX CONCURRENTLY")
        text.contains("sqlFile 'flipr/deploy/flips_idx.sql'")                 // nothing to strip: the original is run
        imported.out.contains('sqitch.plan:11: conflict !old_idx of flips_idx not carried')

        when:
        String a = TestPostgres.createDatabase('flipr_files')
        String b = TestPostgres.createDatabase('flipr_mig')
        applyInOrder(a, ['appschema', 'users', 'flips', 'insert_user@v1.0.0-dev1', 'flips_idx', 'insert_user'].collect {
            new MigrationHistory.Script(file: it, sql: Files.readString(dir.resolve("deploy/${it}.sql")), autocommit: true)
        })
        def ran = running(b, plan)

        then:
        ran.exitCode == 0
        fingerprint(b) == fingerprint(a)
        fingerprint(b).any { it.startsWith('function ') && it.contains('lower($1)') }
        journal(b) == ['appschema', 'flips', 'flips_idx', 'insert_user', 'insert_user@v1.0.0-dev1', 'users']

        when: 'undoing the rework restores the first version of the function, as sqitch revert does'
        def undo = MigCli.run(['undo', '--url', TestPostgres.jdbcUrl(b), '--steps', '1', plan.toString()])

        then:
        undo.exitCode == 0
        fingerprint(b).any { it.startsWith('function ') && it.contains('VALUES($1, md5($2))') }
    }

    def "a Sqitch verify script that fails rolls its change back, as sqitch deploy --verify reverts it"() {
        given: 'users whose verify asks for a column the deploy script forgot'
        Path dir = flipr(['verify/users.sql': 'BEGIN;\nSELECT nickname, password, timestamp, email FROM flipr.users WHERE FALSE;\nROLLBACK;\n'])
        Path plan = tmp.resolve('flipr-bad.groovy')
        assert importing(dir, plan).exitCode == 0
        String b = TestPostgres.createDatabase('flipr_verify')

        when:
        def ran = running(b, plan)

        then:
        ran.exitCode == 1
        (ran.out + ran.err).contains('42703')
        (ran.out + ran.err).contains('verify/users.sql')
        journal(b) == ['appschema']
        TestPostgres.withSql(b) { Sql s -> s.firstRow("SELECT to_regclass('flipr.users') AS t").t } == null
    }

    def "bad Sqitch projects are errors naming sqitch.plan and the line"() {
        expect:
        with(importing(folder('p1', ['sqitch.plan': '%project=p\n\nb [a] 2024-01-01T00:00:00Z M <m@x> # b\n', 'deploy/b.sql': 'SELECT 1;']), tmp.resolve('p1.groovy'))) {
            exitCode == 2
            err.contains("sqitch.plan:3: b requires 'a', which is not an earlier change of sqitch.plan")
            !err.contains('Exception')
        }
        with(importing(folder('p2', ['sqitch.plan': '%project=p\na 2024-01-01T00:00:00Z M <m@x> # a\n']), tmp.resolve('p2.groovy'))) {
            exitCode == 2
            err.contains("sqitch.plan:2: change 'a' has no deploy/a.sql")
        }
        with(importing(folder('p3', ['x.sql': 'SELECT 1;']), tmp.resolve('p3.groovy'), '--format', 'sqitch')) {
            exitCode == 2
            err.contains('no sqitch.plan in')
        }
    }

    // ---- Liquibase formatted SQL

    private static List<MigrationHistory.Script> writeLiquibase(MigrationHistory history, Path dir) {
        Files.createDirectories(dir)
        List<MigrationHistory.Script> order = []
        history.changes.collate(60).eachWithIndex { List<MigrationHistory.Change> part, int f ->
            StringBuilder text = new StringBuilder('--liquibase formatted sql\n\n')
            part.eachWithIndex { MigrationHistory.Change c, int i ->
                String id = "${f * 60 + i + 1}"
                text << "--changeset dev${i % 3}:${id}${c.concurrent ? ' runInTransaction:false' : ''}\n--comment: ${c.slug}\n${c.up}\n"
                c.down.readLines().each { text << "--rollback ${it}\n" }
                text << '\n'
                order << new MigrationHistory.Script(file: "dev${i % 3}:${id}", sql: c.up, autocommit: c.concurrent)
            }
            Files.writeString(dir.resolve("changelog-${f + 1}.sql"), text.toString())
        }
        order
    }

    def "a generated Liquibase formatted SQL history of 130 changesets in three files: steps named author:id, rollbacks as undo, runInTransaction:false"() {
        given:
        def history = new MigrationHistory(42, 130)
        Path dir = tmp.resolve('lb-gen')
        def scripts = writeLiquibase(history, dir)
        Files.writeString(dir.resolve('db.changelog-master.xml'), '<databaseChangeLog/>')
        Path plan = tmp.resolve('lb.groovy')

        when:
        long t0 = System.nanoTime()
        def imported = importing(dir, plan)
        long importMs = (System.nanoTime() - t0) / 1_000_000
        String text = imported.exitCode == 0 ? Files.readString(plan) : imported.toString()

        then:
        imported.exitCode == 0
        imported.out.contains("imported ${scripts.size()} liquibase migrations")
        stepNames(plan) == scripts*.file
        text.count('transaction false') == scripts.count { it.autocommit }
        text.count('undo { sqlFile') == scripts.size()
        imported.out.contains('db.changelog-master.xml: not a .sql file, skipped')
        Files.readString(plan.resolveSibling('imported/liquibase/changelog-1.dev0_1.sql')).startsWith('-- changelog-1.sql changeset dev0:1 from line 5, written by mig import')

        when:
        String a = TestPostgres.createDatabase('lb_files')
        String b = TestPostgres.createDatabase('lb_mig')
        applyInOrder(a, scripts)
        long t1 = System.nanoTime()
        def ran = running(b, plan)
        println "measured: liquibase, ${scripts.size()} changesets: import ${importMs} ms, run ${(System.nanoTime() - t1) / 1_000_000 as long} ms"

        then:
        ran.exitCode == 0
        fingerprint(b) == fingerprint(a)
        fingerprint(a).any { it.startsWith('index ') && it.contains('_ci') }
        journal(b).size() == scripts.size()

        when: 'mig undo runs the --rollback lines'
        def undo = MigCli.run(['undo', '--url', TestPostgres.jdbcUrl(b), '--steps', '6', plan.toString()])
        String c = TestPostgres.createDatabase('lb_files_less')
        applyInOrder(c, scripts.take(scripts.size() - 6))

        then:
        undo.exitCode == 0
        journal(b).size() == scripts.size() - 6
        fingerprint(b).findAll { !it.startsWith('sequence ') } == fingerprint(c).findAll { !it.startsWith('sequence ') }
    }

    private static final String CHANGELOG = '''\
        --liquibase formatted sql

        --changeset alice:1
        --comment: people
        CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
        INSERT INTO person VALUES (1, 'ann');
        --rollback DROP TABLE person;

        --changeset alice:2 runInTransaction:false
        CREATE INDEX CONCURRENTLY person_name ON person (name);
        --rollback DROP INDEX person_name;

        --changeset bob:legacy-table
        --preconditions onFail:MARK_RAN onError:HALT
        --precondition-sql-check expectedResult:0 SELECT count(*) FROM information_schema.tables WHERE table_name = 'legacy'
        CREATE TABLE legacy (id int, made_by text DEFAULT 'liquibase');
        --rollback DROP TABLE legacy;

        --changeset bob:needs-ann
        --preconditions onFail:HALT
        --precondition-sql-check expectedResult:1 SELECT count(*) FROM person WHERE name = 'ann'
        UPDATE person SET name = 'Ann' WHERE name = 'ann';
        --rollback UPDATE person SET name = 'ann' WHERE name = 'Ann';

        --changeset carol:refresh runAlways:true
        CREATE TABLE IF NOT EXISTS runs (n serial);
        INSERT INTO runs DEFAULT VALUES;

        --changeset carol:oracle-only dbms:oracle
        CREATE TABLE dual_copy (x varchar2(1));
        '''.stripIndent()

    def "Liquibase preconditions: onFail:MARK_RAN skips the changeset, onFail:HALT stops the run; runAlways and dbms kept"() {
        given:
        Path dir = folder('lb', ['changelog.sql': CHANGELOG])
        Path plan = tmp.resolve('lb.groovy')

        when:
        def imported = importing(dir, plan)
        String text = imported.exitCode == 0 ? Files.readString(plan) : imported.toString()

        then:
        imported.exitCode == 0
        stepNames(plan) == ['alice:1', 'alice:2', 'bob:legacy-table', 'bob:needs-ann', 'carol:refresh']
        text.contains("transaction false    // CREATE INDEX CONCURRENTLY")
        text.contains("guard { value('SELECT count(*) FROM information_schema.tables WHERE table_name = \\'legacy\\'')?.toString() == '0' }")
        text.contains("guard(onFalse: 'fail', message: 'precondition at changelog.sql:21 is false (Liquibase onFail:HALT)')")
        text.contains('runAlways true       // Liquibase runAlways:true')
        imported.out.contains('changelog.sql:29: changeset carol:oracle-only is for dbms:oracle, skipped')

        when: 'a database that already has a legacy table of its own'
        String b = TestPostgres.createDatabase('lb_pre')
        TestPostgres.withSql(b) { Sql s -> s.execute('CREATE TABLE legacy (id int, made_by text DEFAULT \'hand\')') }
        def first = running(b, plan)
        def second = running(b, plan)

        then: 'the legacy changeset is skipped and its table untouched; the HALT precondition held; runAlways ran twice'
        first.exitCode == 0
        first.out =~ /(?m)^\s*skipped\s+bob:legacy-table/
        TestPostgres.withSql(b) { Sql s -> s.firstRow("SELECT pg_get_expr(adbin, adrelid) AS d FROM pg_attrdef WHERE adrelid = 'legacy'::regclass").d } == "'hand'::text"
        TestPostgres.withSql(b) { Sql s -> s.firstRow("SELECT name FROM person").name } == 'Ann'
        second.exitCode == 0
        TestPostgres.withSql(b) { Sql s -> s.firstRow('SELECT count(*) AS n FROM runs').n } == 2
        TestPostgres.withSql(b) { Sql s -> s.firstRow("SELECT indisvalid AS v FROM pg_index WHERE indexrelid = 'person_name'::regclass").v }

        when: 'the HALT precondition is false on another database'
        String c = TestPostgres.createDatabase('lb_halt')
        Path halting = folder('lb2', ['changelog.sql': CHANGELOG.replace("VALUES (1, 'ann')", "VALUES (1, 'bea')")])
        assert importing(halting, tmp.resolve('lb2/plan.groovy')).exitCode == 0
        def halted = running(c, tmp.resolve('lb2/plan.groovy'))

        then:
        halted.exitCode == 1
        (halted.out + halted.err).contains('precondition at changelog.sql:21 is false (Liquibase onFail:HALT)')
        !journal(c).contains('bob:needs-ann')
    }

    def "bad Liquibase files are errors naming the file and line"() {
        expect:
        with(importing(folder('d', ['a.sql': '--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n--changeset a:1\nSELECT 2;\n']), tmp.resolve('d.groovy'))) {
            exitCode == 2
            err.contains('a.sql:4: changeset a:1 again (first at a.sql:2)')
        }
        with(importing(folder('e', ['a.sql': '--liquibase formatted sql\nCREATE TABLE t (id int);\n']), tmp.resolve('e.groovy'))) {
            exitCode == 2
            err.contains("a.sql:2: SQL before the first '--changeset author:id' line")
        }
    }

    // ---- Flyway details

    def "Flyway: versions part by part, placeholders declared and warned with file:line, beforeMigrate/afterMigrate callbacks as runAlways steps, other callbacks and .md files noted"() {
        given:
        Path dir = folder('fw', [
                'V1__schema.sql'        : 'CREATE TABLE items (id int);\nCREATE TABLE ${table_prefix}_x (id int);\nCOMMENT ON TABLE items IS \'in ${flyway:defaultSchema}\';\n',
                'V2__b.sql'             : 'ALTER TABLE items ADD COLUMN b int;\n',
                'V2.1__c.sql'           : 'ALTER TABLE items ADD COLUMN c int;\n',
                'V9__d.sql'             : 'ALTER TABLE items ADD COLUMN d int;\n',
                'V10__e.sql'            : 'ALTER TABLE items ADD COLUMN e int;\n',
                'beforeMigrate.sql'     : 'CREATE TABLE IF NOT EXISTS migrate_log (at text);\nINSERT INTO migrate_log VALUES (\'before\');\n',
                'afterMigrate__log.sql' : 'INSERT INTO migrate_log VALUES (\'after\');\n',
                'afterEachMigrate.sql'  : 'SELECT 1;\n',
                'README.md'             : '# migrations\n'])
        Path plan = tmp.resolve('fw.groovy')

        when:
        def imported = importing(dir, plan)

        then:
        imported.exitCode == 0
        stepNames(plan) == ['beforeMigrate.sql', 'V1__schema.sql', 'V2__b.sql', 'V2.1__c.sql', 'V9__d.sql', 'V10__e.sql', 'afterMigrate__log.sql']
        imported.out.contains('V1__schema.sql:2: Flyway placeholder ${table_prefix}: declared in the plan\'s placeholders without a value')
        !imported.out.contains('${flyway:defaultSchema}')
        Files.readString(plan).contains('placeholders(table_prefix: null)    // fill in: used in V1__schema.sql:2')
        imported.out.contains('afterEachMigrate.sql: a Flyway afterEachMigrate callback, not carried')
        imported.out.contains('README.md: not a .sql file, skipped')
        Files.readString(plan).contains('runAlways true       // Flyway beforeMigrate callback: runs at the start of every mig run')

        when: 'the placeholder table name is replaced as Flyway would have; two runs'
        Files.writeString(dir.resolve('V1__schema.sql'), 'CREATE TABLE items (id int);\nCREATE TABLE app_x (id int);\n')
        String b = TestPostgres.createDatabase('fw_cb')
        def first = running(b, plan)
        def second = running(b, plan)

        then: 'the columns come in version order, and the callbacks ran on both runs, around the migrations'
        first.exitCode == 0
        second.exitCode == 0
        TestPostgres.withSql(b) { Sql s -> s.rows("SELECT attname FROM pg_attribute WHERE attrelid = 'items'::regclass AND attnum > 0 ORDER BY attnum")*.attname } == ['id', 'b', 'c', 'd', 'e']
        TestPostgres.withSql(b) { Sql s -> s.rows('SELECT at FROM migrate_log')*.at } == ['before', 'after', 'before', 'after']
    }
}
