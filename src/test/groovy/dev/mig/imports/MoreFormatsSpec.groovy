package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/** mig import of goose and Prisma Migrate folders (issue 13), run on real PostgreSQL and compared with the files applied by each tool's rules. */
class MoreFormatsSpec extends ImportSpecification {

    def "a generated goose history imports to a plan whose run leaves the catalog the Up sections applied by goose's rules leave"() {
        given:
        def history = new MigrationHistory(41, 150)
        Path dir = tmp.resolve('db/goose')
        List<MigrationHistory.Script> scripts = writeGoose(history, dir)
        Path plan = tmp.resolve('plans/goose.groovy')
        assert scripts.count { it.autocommit } >= 3

        when:
        def imported = importing(dir, plan, '--skip-code-migrations')

        then: 'auto detection reads the goose markers; every Down becomes an undo block; the Go file is left out with a warning'
        imported.exitCode == 0
        imported.out.contains("imported ${scripts.size()} goose migrations")
        stepNames(plan) == scripts*.file
        Files.readString(plan).count('transaction false') == scripts.count { it.autocommit }
        Files.readString(plan).count('undo { sqlFile') == scripts.size()
        imported.out =~ /\d{5}_backfill_in_go\.go: a goose code migration, left out \(--skip-code-migrations\)/
        imported.out.contains('goose sends this StatementBegin/End block as one statement; mig runs its 3 statements one by one')
        MigCli.run(['check', plan.toString()]).exitCode == 0

        when:
        String a = TestPostgres.createDatabase('more_goose_files')
        String b = TestPostgres.createDatabase('more_goose_mig')
        applyInOrder(a, scripts)
        def run = running(b, plan)
        def expected = fingerprint(a)

        then: 'no Down section ran (the catalog is the Up sections\' one)'
        run.exitCode == 0
        expected.size() > 150
        expected.any { it.startsWith('function ') && it.contains('total := total + i *') }
        expected.any { it.startsWith('index ') && it.contains('_ci') }
        fingerprint(b) == expected
        TestPostgres.withSql(b) { Sql s -> s.firstRow('SELECT count(*) AS n FROM mig.steps').n } == scripts.size()
    }

    def "goose NO TRANSACTION, matched case-insensitively, runs ALTER TYPE ... ADD VALUE outside a transaction so the new value can be used"() {
        given:
        Path dir = folder('goose', [
                '00001_mood.sql' : '-- +goose Up\nCREATE TYPE mood AS ENUM (\'sad\', \'ok\');\nCREATE TABLE feelings (m mood);\n\n-- +goose Down\nDROP TABLE feelings;\nDROP TYPE mood;\n',
                '00002_great.sql': '-- +goose no transaction\n-- +goose Up\nALTER TYPE mood ADD VALUE \'great\';\nINSERT INTO feelings VALUES (\'great\');\n\n-- +goose Down\nDELETE FROM feelings;\n'])
        Path plan = tmp.resolve('g.groovy')
        String db = TestPostgres.createDatabase('more_goose_enum')

        when:
        def imported = importing(dir, plan)
        def run = running(db, plan)

        then:
        imported.exitCode == 0
        Files.readString(plan).contains("""\
            step('00002_great.sql') {
                    transaction false    // -- +goose NO TRANSACTION in the file""".stripIndent())
        run.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT m::text AS m FROM feelings')*.m } == ['great']

        when: 'the same statements in a transaction, as goose runs a file without the annotation, fail with 55P04'
        String other = TestPostgres.createDatabase('more_goose_enum_tx')
        Files.writeString(dir.resolve('00002_great.sql'), Files.readString(dir.resolve('00002_great.sql')).replace('-- +goose no transaction\n', ''))
        assert importing(dir, plan, '--force').exitCode == 0
        def failed = running(other, plan)

        then:
        failed.exitCode == 1
        (failed.out + failed.err).contains('55P04')
    }

    def "a goose file's Down section is not run after its Up; it is the step's undo"() {
        given:
        Path dir = folder('goose', ['20240101120000_users.sql': '-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE users (id int);\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE users;\n'])
        Path plan = tmp.resolve('out/app.groovy')
        String db = TestPostgres.createDatabase('more_goose_down')

        when:
        def imported = importing(dir, plan)
        def run = running(db, plan)

        then:
        imported.exitCode == 0
        imported.out.contains('imported 1 goose migration ')
        Files.readString(plan.resolveSibling('imported/20240101120000_users.up.sql')).contains('CREATE TABLE users (id int);')
        !Files.readString(plan.resolveSibling('imported/20240101120000_users.up.sql')).contains('DROP TABLE')
        Files.readString(plan.resolveSibling('imported/20240101120000_users.down.sql')).contains('DROP TABLE users;')
        Files.readString(plan).contains("undo { sqlFile 'imported/20240101120000_users.down.sql' }")
        run.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('users') IS NOT NULL AS t").t }

        when:
        def undo = MigCli.run(['undo', '--url', TestPostgres.jdbcUrl(db), '--steps', '1', plan.toString()])

        then:
        undo.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('users') IS NULL AS t").t }
    }

    def "a goose .go migration is a step that fails naming the file, unless --skip-code-migrations leaves it out with a warning"() {
        given:
        Path dir = folder('goose', [
                '00001_a.sql'       : '-- +goose Up\nCREATE TABLE a (id int);\n',
                '00002_backfill.go' : 'package migrations\n',
                '00002_backfill_test.go' : 'package migrations\n',
                '00003_c.sql'       : '-- +goose Up\nCREATE TABLE c (id int);\n'])
        Path plan = tmp.resolve('go.groovy')
        String db = TestPostgres.createDatabase('more_goose_go')

        when:
        def imported = importing(dir, plan)
        def run = running(db, plan)

        then: 'the step stands at its place; the run stops there: what the Go code did is not done, and nothing after it runs'
        imported.exitCode == 0
        stepNames(plan) == ['00001_a.sql', '00002_backfill.go', '00003_c.sql']
        imported.out.contains('00002_backfill_test.go: not a .sql file, skipped')      // goose skips _test.go files too
        imported.out.contains('1 code migration as steps that fail')
        run.exitCode == 1
        (run.out + run.err).contains('00002_backfill.go is a goose code migration, which mig cannot run')
        TestPostgres.withSql(db) { Sql s -> s.rows("SELECT step FROM mig.steps WHERE status = 'applied' ORDER BY 1")*.step } == ['00001_a.sql']
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('c') IS NULL AS t").t }

        when:
        def skipped = importing(dir, plan, '--force', '--skip-code-migrations')
        def again = running(db, plan)

        then:
        skipped.exitCode == 0
        stepNames(plan) == ['00001_a.sql', '00003_c.sql']
        skipped.out.contains('00002_backfill.go: a goose code migration, left out (--skip-code-migrations)')
        Files.readString(plan).contains('//   00002_backfill.go: a goose code migration, left out')
        again.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('c') IS NOT NULL AS t").t }
    }

    def "a file with goose annotations is never plain; malformed annotations are errors naming file and line"() {
        given:
        Path plainNames = folder('p', ['a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n', '2_b.sql': 'SELECT 1;'])
        Path unclosed = folder('u', ['00001_f.sql': '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n'])
        Path noUp = folder('n', ['00001_a.sql': '-- +goose Up\nSELECT 1;\n', '00002_b.sql': 'SELECT 1;\n-- +goose Down\nSELECT 2;\n'])

        expect:
        with(importing(plainNames, tmp.resolve('p.groovy'), '--format', 'goose')) {
            exitCode == 2
            err.contains('2_b.sql:1: no \'-- +goose Up\' line')
        }
        with(importing(plainNames, tmp.resolve('p.groovy'))) {
            exitCode == 2                              // detected as goose, not run as plain with its Down section
            err.contains('2_b.sql:1: no \'-- +goose Up\' line')
        }
        with(importing(unclosed, tmp.resolve('u.groovy'))) {
            exitCode == 2
            err.contains("00001_f.sql:2: '-- +goose StatementBegin' without StatementEnd")
            !err.contains('Exception')
        }
        with(importing(noUp, tmp.resolve('n.groovy'))) {
            exitCode == 2
            err.contains("00002_b.sql:2: '-- +goose Down' before '-- +goose Up'")
        }
        !Files.exists(tmp.resolve('p.groovy'))
    }

    def "a generated Prisma Migrate history imports folder by folder, in lexical order, lock file noted; its run leaves the files' catalog"() {
        given:
        def history = new MigrationHistory(42, 120)
        Path dir = tmp.resolve('prisma/migrations')
        List<MigrationHistory.Script> scripts = writePrisma(history, dir)
        Path plan = tmp.resolve('plans/prisma.groovy')

        when:
        def imported = importing(dir, plan)

        then:
        imported.exitCode == 0
        imported.out.contains("imported ${scripts.size()} prisma migrations")
        imported.out.contains('migration_lock.toml: ignored (Prisma keeps the provider there, postgresql)')
        stepNames(plan) == scripts*.file
        Files.readString(plan).contains("sqlFile '../prisma/migrations/${scripts[0].file}/migration.sql'")
        Files.readString(plan).count('transaction false') == scripts.count { it.autocommit }

        when:
        String a = TestPostgres.createDatabase('more_prisma_files')
        String b = TestPostgres.createDatabase('more_prisma_mig')
        applyInOrder(a, scripts)
        def run = running(b, plan)
        def expected = fingerprint(a)

        then:
        run.exitCode == 0
        expected.size() > 120
        fingerprint(b) == expected
    }

    def "Prisma folders sort as strings, a folder without migration.sql is a warning, and --format prisma reads a folder without a lock file"() {
        given:
        Path dir = folder('pm', ['20240102_b/migration.sql': 'CREATE TABLE b (id int);', '20240101_a/migration.sql': 'CREATE TABLE a (id int);',
                                 '9_z/migration.sql': 'CREATE TABLE z (id int);', 'drafts/notes.txt': 'x'])

        expect:
        with(importing(dir, tmp.resolve('pm.groovy'))) {
            exitCode == 0
            out.contains('imported 3 prisma migrations')
            out.contains('drafts/: no migration.sql in it, skipped')
        }
        stepNames(tmp.resolve('pm.groovy')) == ['20240101_a', '20240102_b', '9_z']
        importing(dir, tmp.resolve('pm2.groovy'), '--format', 'prisma').exitCode == 0
    }

    def "a generated ory/popx history: PostgreSQL files override dialect-less ones, other dialects and empty overrides are not run"() {
        given:
        def history = new MigrationHistory(43, 130)
        Path dir = tmp.resolve('db/popx')
        List<MigrationHistory.Script> scripts = writePopx(history, dir)
        Path plan = tmp.resolve('plans/popx.groovy')

        when:
        def imported = importing(dir, plan)

        then:
        imported.exitCode == 0
        imported.out.contains("imported ${scripts.size()} popx migrations")
        stepNames(plan) == scripts*.file
        Files.readString(plan).count('transaction false') == scripts.count { it.autocommit }
        imported.out.contains('.mysql.up.sql: for mysql, not run on PostgreSQL, skipped')
        imported.out =~ /\.postgres\.up\.sql: empty \(comments only\); popx records version \d+ and runs nothing, so it is no step \(and \d+_\w+\.up\.sql is not run\)/

        when:
        String a = TestPostgres.createDatabase('more_popx_files')
        String b = TestPostgres.createDatabase('more_popx_mig')
        applyInOrder(a, scripts)
        def run = running(b, plan)
        def expected = fingerprint(a)

        then:
        run.exitCode == 0
        expected.size() > 130
        fingerprint(b) == expected
    }

    def "popx: a .postgres. file wins over the dialect-less one, .autocommit. runs outside a transaction, an empty PostgreSQL file runs nothing"() {
        given:
        Path dir = folder('popx', [
                '20240101000001_init.up.sql'                     : "CREATE TYPE mood AS ENUM ('sad');\nCREATE TABLE feelings (m mood);",
                '20240101000001_init.down.sql'                   : 'DROP TABLE feelings;\nDROP TYPE mood;',
                '20240101000001_init.mysql.up.sql'               : "CREATE TABLE feelings (m ENUM('sad')) ENGINE=InnoDB;",
                '20240101000002_index.up.sql'                    : 'CREATE INDEX feelings_all ON feelings (m);',
                '20240101000002_index.postgres.up.sql'           : 'CREATE INDEX feelings_pg ON feelings (m);',
                '20240101000002_index.down.sql'                  : 'DROP INDEX feelings_all;',
                '20240101000002_index.postgres.down.sql'         : 'DROP INDEX feelings_pg;',
                '20240101000003_great.postgres.autocommit.up.sql': "ALTER TYPE mood ADD VALUE 'great';\nINSERT INTO feelings VALUES ('great');",
                '20240101000003_great.down.sql'                  : '',
                '20240101000004_mysql_fix.up.sql'                : 'ALTER TABLE feelings MODIFY m text;',
                '20240101000004_mysql_fix.postgres.up.sql'       : '-- nothing to do on PostgreSQL\n\n',
                '20240101000004_mysql_fix.down.sql'              : '',
                '20240101000005_seed.sqlite3.up.sql'             : 'INSERT INTO feelings VALUES (1);'])
        Path plan = tmp.resolve('popx.groovy')
        String db = TestPostgres.createDatabase('more_popx_rules')

        when:
        def imported = importing(dir, plan)
        def run = running(db, plan)

        then:
        imported.exitCode == 0
        stepNames(plan) == ['20240101000001_init.up.sql', '20240101000002_index.postgres.up.sql', '20240101000003_great.postgres.autocommit.up.sql']
        Files.readString(plan).contains("undo { sqlFile 'popx/20240101000002_index.postgres.down.sql' }")
        Files.readString(plan).count('undo {') == 2                 // an empty down file is no undo block
        Files.readString(plan).contains("""\
            step('20240101000003_great.postgres.autocommit.up.sql') {
                    transaction false    // popx .autocommit. file""".stripIndent())
        imported.out.contains('20240101000005_seed.sqlite3.up.sql: for sqlite3, not run on PostgreSQL, skipped')
        run.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.rows("SELECT indexname FROM pg_indexes WHERE tablename = 'feelings'")*.indexname } == ['feelings_pg']
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT m::text AS m FROM feelings')*.m } == ['great']
    }

    def "popx names are detected even beside golang-migrate-looking ones; .autocommit without a dialect is skipped as popx skips it"() {
        given:
        Path dir = folder('px', ['1_a.up.sql': 'CREATE TABLE a (id int);', '1_a.down.sql': 'DROP TABLE a;', '2_b.autocommit.up.sql': 'SELECT 1;',
                                 '3_c.postgres.up.sql': 'CREATE TABLE c (id int);'])

        expect:
        with(importing(dir, tmp.resolve('px.groovy'))) {
            exitCode == 0
            out.contains('imported 2 popx migrations')
            out.contains("2_b.autocommit.up.sql: popx reads 'autocommit' without a dialect before it as a dialect and skips the file")
        }
        stepNames(tmp.resolve('px.groovy')) == ['1_a.up.sql', '3_c.postgres.up.sql']
    }

    def "a generated sqlx history, simple and reversible files mixed, with -- no-transaction files, imports and runs to the files' catalog"() {
        given:
        def history = new MigrationHistory(44, 140)
        Path dir = tmp.resolve('db/sqlx')
        List<MigrationHistory.Script> scripts = writeSqlx(history, dir)
        Path plan = tmp.resolve('plans/sqlx.groovy')
        assert scripts.count { it.autocommit } >= 3 && scripts.count { it.file.endsWith('.up.sql') } >= 40

        when:
        def imported = importing(dir, plan)

        then: 'detected from the -- no-transaction files; .up.sql files get their .down.sql as undo'
        imported.exitCode == 0
        imported.out.contains("imported ${scripts.size()} sqlx migrations")
        stepNames(plan) == scripts*.file
        Files.readString(plan).count('transaction false') == scripts.count { it.autocommit }
        Files.readString(plan).count('undo { sqlFile') == scripts.count { it.file.endsWith('.up.sql') }

        when:
        String a = TestPostgres.createDatabase('more_sqlx_files')
        String b = TestPostgres.createDatabase('more_sqlx_mig')
        applyInOrder(a, scripts)
        def run = running(b, plan)
        def expected = fingerprint(a)

        then:
        run.exitCode == 0
        expected.size() > 140
        fingerprint(b) == expected
    }

    def "sqlx: -- no-transaction as the first bytes runs the file outside a transaction; a version that is not a number is an error naming the file"() {
        given:
        Path dir = folder('sqlx', [
                '1_mood.up.sql'  : "CREATE TYPE mood AS ENUM ('sad');\nCREATE TABLE feelings (m mood);",
                '1_mood.down.sql': 'DROP TABLE feelings;\nDROP TYPE mood;',
                '2_great.sql'    : "-- no-transaction\nALTER TYPE mood ADD VALUE 'great';\nINSERT INTO feelings VALUES ('great');",
                'notes.txt'      : 'x'])
        Path bad = folder('bad', ['1_a.sql': '-- no-transaction\nSELECT 1;', 'v2_b.sql': 'SELECT 1;'])
        Path plan = tmp.resolve('sqlx.groovy')
        String db = TestPostgres.createDatabase('more_sqlx_rules')

        when:
        def imported = importing(dir, plan)
        def run = running(db, plan)

        then:
        imported.exitCode == 0
        imported.out.contains('imported 2 sqlx migrations')
        Files.readString(plan).contains("""\
            step('2_great.sql') {
                    transaction false    // -- no-transaction first in the file""".stripIndent())
        run.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT m::text AS m FROM feelings')*.m } == ['great']

        expect:
        with(importing(bad, tmp.resolve('bad.groovy'), '--format', 'sqlx')) {
            exitCode == 2
            err.contains("v2_b.sql: 'v2' before the first _ is not a version")
        }
    }

    /**
     * goose: 00001_slug.sql with -- +goose Up and -- +goose Down sections; NO TRANSACTION at the top of
     * concurrent index files (goose would fail them in a transaction); $$ bodies inside StatementBegin/End,
     * as goose needs; a Go migration in the middle. The scripts are the Up sections, as goose runs them.
     */
    static List<MigrationHistory.Script> writeGoose(MigrationHistory history, Path dir) {
        Files.createDirectories(dir)
        List<MigrationHistory.Script> order = []
        history.changes.eachWithIndex { MigrationHistory.Change c, int i ->
            String file = String.format('%05d_%s.sql', (i + 1) * 10, c.slug)
            boolean block = c.up.contains('$')
            String up = block ? "-- +goose StatementBegin\n${c.up}-- +goose StatementEnd\n" : c.up
            Files.writeString(dir.resolve(file), (c.concurrent ? '-- +goose NO TRANSACTION\n' : '') + "-- +goose Up\n${up}\n-- +goose Down\n${c.down}\n")
            order << new MigrationHistory.Script(file: file, sql: c.up, autocommit: c.concurrent)
            if (i == history.changes.size().intdiv(2)) {
                Files.writeString(dir.resolve(String.format('%05d_backfill_in_go.go', (i + 1) * 10 + 5)),
                        'package migrations\n\nfunc init() { goose.AddMigrationContext(upBackfill, downBackfill) }\n')
            }
        }
        order
    }

    /** Prisma Migrate: <timestamp>_<name>/migration.sql and migration_lock.toml. */
    static List<MigrationHistory.Script> writePrisma(MigrationHistory history, Path dir) {
        Files.createDirectories(dir)
        Files.writeString(dir.resolve('migration_lock.toml'), '# Please do not edit this file manually\nprovider = "postgresql"\n')
        List<MigrationHistory.Script> order = []
        long stamp = 20230101000000L
        history.changes.each { MigrationHistory.Change c ->
            stamp += 7
            String name = "${stamp}_${c.slug}"
            Files.createDirectories(dir.resolve(name))
            Files.writeString(dir.resolve(name).resolve('migration.sql'), "-- CreateStep\n${c.up}")
            order << new MigrationHistory.Script(file: name, sql: c.up, autocommit: c.concurrent)
        }
        order
    }
    /**
     * ory/popx: <14-digit stamp>000000_slug.up.sql and .down.sql; now and then a .postgres. file that overrides a
     * dialect-less one PostgreSQL would refuse (MySQL syntax), a .mysql. file beside it, concurrent index builds in
     * .postgres.autocommit. files, and an extra version whose empty .postgres. file overrides MySQL-only SQL.
     */
    static List<MigrationHistory.Script> writePopx(MigrationHistory history, Path dir) {
        Files.createDirectories(dir)
        List<MigrationHistory.Script> order = []
        long stamp = 20200101000000L
        history.changes.eachWithIndex { MigrationHistory.Change c, int i ->
            stamp += 100
            String version = "${stamp}000000"
            String file
            if (c.concurrent) {
                file = "${version}_${c.slug}.postgres.autocommit.up.sql"
                Files.writeString(dir.resolve("${version}_${c.slug}.mysql.up.sql"), 'ALTER TABLE x ADD INDEX y (z), ALGORITHM=INPLACE;')
            } else if (i % 5 == 3) {
                file = "${version}_${c.slug}.postgres.up.sql"
                Files.writeString(dir.resolve("${version}_${c.slug}.up.sql"), 'ALTER TABLE x MODIFY y text ENGINE=InnoDB;')
                Files.writeString(dir.resolve("${version}_${c.slug}.mysql.up.sql"), 'ALTER TABLE x MODIFY y text ENGINE=InnoDB;')
            } else {
                file = "${version}_${c.slug}.up.sql"
            }
            Files.writeString(dir.resolve(file), c.up)
            Files.writeString(dir.resolve("${version}_${c.slug}.down.sql"), c.down)
            order << new MigrationHistory.Script(file: file, sql: c.up, autocommit: c.concurrent)
            if (i % 17 == 9) {
                String extra = "${stamp + 50}000000_mysql_only_${i}"
                Files.writeString(dir.resolve("${extra}.up.sql"), 'SET FOREIGN_KEY_CHECKS = 0; ALTER TABLE x ENGINE=InnoDB;')
                Files.writeString(dir.resolve("${extra}.postgres.up.sql"), '-- nothing to do on PostgreSQL\n')
                Files.writeString(dir.resolve("${extra}.down.sql"), '')
            }
        }
        order
    }
    /**
     * sqlx: <version>_<desc>.sql (simple) and, for every third change, .up.sql with .down.sql (reversible);
     * concurrent index builds start with -- no-transaction, as sqlx needs them to. Versions are dates, unpadded numbers
     * would do as well: sqlx orders by the number.
     */
    static List<MigrationHistory.Script> writeSqlx(MigrationHistory history, Path dir) {
        Files.createDirectories(dir)
        List<MigrationHistory.Script> order = []
        long stamp = 20220101000000L
        history.changes.eachWithIndex { MigrationHistory.Change c, int i ->
            stamp += 1 + i % 40
            String sql = (c.concurrent ? '-- no-transaction\n' : '') + c.up
            String file
            if (i % 3 == 0) {
                file = "${stamp}_${c.slug}.up.sql"
                Files.writeString(dir.resolve("${stamp}_${c.slug}.down.sql"), c.down)
            } else {
                file = "${stamp}_${c.slug}.sql"
            }
            Files.writeString(dir.resolve(file), sql)
            order << new MigrationHistory.Script(file: file, sql: sql, autocommit: c.concurrent)
        }
        order
    }
}
