package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import org.flywaydb.core.Flyway

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

/**
 * mig import --adopt: a database another tool migrated, its history table written as that tool
 * writes it (Flyway's by real Flyway), taken over without running any of its SQL.
 */
class AdoptSpec extends ImportSpecification {

    private static MigCli adopting(Path dir, Path plan, String db, String... more) {
        MigCli.run(['import', dir.toString(), '--out', plan.toString(), '--adopt', TestPostgres.jdbcUrl(db)] + (more as List))
    }

    /** Logs every DDL command outside mig's journal schema, and every row a migration inserts: any SQL of theirs that ran shows here. */
    private static void watch(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''CREATE TABLE public.ddl_log (id serial, tag text, object text)''')
            s.execute('''CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO public.ddl_log (tag, object)
                    SELECT command_tag, object_identity FROM pg_event_trigger_ddl_commands()
                    WHERE schema_name IS DISTINCT FROM 'mig' AND object_identity IS DISTINCT FROM 'mig';
                END $$''')
            s.execute('CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl()')
        }
    }

    private static List<String> ddlLog(String db) {
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT object FROM public.ddl_log ORDER BY id')*.object }
    }

    private static List<String> rows(String db, String query) {
        TestPostgres.withSql(db) { Sql s -> s.rows(query).collect { it.values().join('|') } }
    }

    private static List<String> journal(String db) {
        rows(db, "SELECT step, status FROM mig.steps ORDER BY position")
    }

    def "a folder real Flyway migrated is adopted: its steps are applied in mig's journal, nothing of theirs ran, mig run applies only the rest"() {
        given: 'four Flyway files, one with CRLF line ends and one with a byte order mark; real Flyway migrates up to version 2'
        Path dir = folder('fw', [
                'V1__people.sql'    : 'CREATE TABLE people (id int PRIMARY KEY, name text);\r\nINSERT INTO people VALUES (1, \'ann\');\r\n',
                'V2__pets.sql'      : '\uFEFFCREATE TABLE pets (id int, owner int REFERENCES people);\nINSERT INTO people VALUES (2, \'bob\');\n',
                'V2.1__toys.sql'    : 'CREATE TABLE toys (id int);\n',
                'V3__more_people.sql': 'INSERT INTO people VALUES (3, \'cy\');\n'])
        String db = TestPostgres.createDatabase('adopt_flyway')
        def flyway = Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null)
                .locations('filesystem:' + dir).target('2').load()
        assert flyway.migrate().migrationsExecuted == 2
        watch(db)
        def flywayTable = rows(db, 'SELECT * FROM flyway_schema_history ORDER BY installed_rank')
        Path plan = tmp.resolve('fw.groovy')

        when:
        def adopted = adopting(dir, plan, db)

        then: 'the two Flyway applied are adopted, with a history row naming where they came from'
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from public.flyway_schema_history')
        adopted.out.contains('2 not applied by the other tool: mig run will apply them (V2.1__toys.sql, ...)')
        journal(db) == ['V1__people.sql|applied', 'V2__pets.sql|applied']
        rows(db, "SELECT step, outcome, notices FROM mig.history ORDER BY id") == [
                'V1__people.sql|adopted|adopted from public.flyway_schema_history installed_rank 1 (V1__people.sql)',
                'V2__pets.sql|adopted|adopted from public.flyway_schema_history installed_rank 2 (V2__pets.sql)']

        and: 'mig status shows them applied and the other two to run'
        def before = MigCli.run(['status', '--url', TestPostgres.jdbcUrl(db), plan.toString()])
        before.exitCode == 0
        before.out =~ /(?m)^  applied\s+V1__people\.sql  /
        before.out =~ /(?m)^  applied\s+V2__pets\.sql  /
        before.out =~ /(?m)^  pending\s+V2\.1__toys\.sql$/
        before.out.contains('2 steps to run')

        and: 'no SQL of theirs ran, and Flyway\'s table is as Flyway left it'
        ddlLog(db) == []
        rows(db, 'SELECT id FROM people ORDER BY id') == ['1', '2']
        rows(db, 'SELECT * FROM flyway_schema_history ORDER BY installed_rank') == flywayTable

        when: 'mig run'
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])
        def status = MigCli.run(['status', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then: 'only the two Flyway had not applied run'
        run.exitCode == 0
        ddlLog(db) == ['public.toys']
        rows(db, 'SELECT id FROM people ORDER BY id') == ['1', '2', '3']
        journal(db) == ['V1__people.sql|applied', 'V2__pets.sql|applied', 'V2.1__toys.sql|applied', 'V3__more_people.sql|applied']
        status.exitCode == 0
        status.out.contains('0 steps to run')
        rows(db, 'SELECT * FROM flyway_schema_history ORDER BY installed_rank') == flywayTable
    }

    def "FlywayChecksum is the checksum real Flyway stores, for LF, CRLF, a byte order mark and non-ASCII text"() {
        given:
        Path dir = folder('sums', [
                'V1__a.sql': 'SELECT 1;\n',
                'V2__b.sql': 'SELECT 2;\r\nSELECT \'ü\';\r\n',
                'V3__c.sql': '\uFEFFSELECT 3;\n\n-- end',
                'V4__d.sql': ''])
        String db = TestPostgres.createDatabase('adopt_sums')
        Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null).locations('filesystem:' + dir).load().migrate()

        expect:
        rows(db, 'SELECT script, checksum FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank') ==
                ['V1__a.sql', 'V2__b.sql', 'V3__c.sql', 'V4__d.sql'].collect { "${it}|${FlywayChecksum.of(dir.resolve(it))}".toString() }
    }

    def "a Flyway BASELINE row adopts every step up to its version; dotted versions match Flyway's form"() {
        given: 'a database made by hand, which real Flyway baselines at version 2 and then migrates to 2.1'
        Path dir = folder('fwbase', [
                'V1__a.sql'  : 'CREATE TABLE a (id int);\n',
                'V2__b.sql'  : 'CREATE TABLE b (id int);\n',
                'V2_1__c.sql': 'CREATE TABLE c (id int);\n',
                'V3__d.sql'  : 'CREATE TABLE d (id int);\n'])
        String db = TestPostgres.createDatabase('adopt_flyway_baseline')
        TestPostgres.withSql(db) { Sql s -> s.execute('CREATE TABLE a (id int); CREATE TABLE b (id int)') }
        Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null).locations('filesystem:' + dir)
                .baselineOnMigrate(true).baselineVersion('2').target('2.1').load().migrate()
        assert rows(db, 'SELECT type, version FROM flyway_schema_history ORDER BY installed_rank') == ['BASELINE|2', 'SQL|2.1']
        watch(db)
        Path plan = tmp.resolve('base.groovy')

        when:
        def adopted = adopting(dir, plan, db)
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then:
        adopted.exitCode == 0
        rows(db, "SELECT step, notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id") == [
                'V1__a.sql|adopted from public.flyway_schema_history baseline 2',
                'V2__b.sql|adopted from public.flyway_schema_history baseline 2',
                'V2_1__c.sql|adopted from public.flyway_schema_history installed_rank 2 (V2_1__c.sql)']
        run.exitCode == 0
        ddlLog(db) == ['public.d']
    }

    def "adopting a 300-migration history real Flyway applied: none of its SQL ran (1,000: scripts/bench-import.sh)"() {
        given:
        Map<String, String> files = ['V1__log.sql': 'CREATE TABLE log (n int);\n']
        (2..300).each { files["V${it}__row_${it}.sql".toString()] = "INSERT INTO log VALUES (${it});\n".toString() }
        (301..303).each { files["V${it}__later_${it}.sql".toString()] = "CREATE TABLE later_${it} (id int);\n".toString() }
        Path dir = folder('fw300', files)
        String db = TestPostgres.createDatabase('adopt_flyway_300')
        long t0 = System.nanoTime()
        assert Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null).locations('filesystem:' + dir)
                .target('300').load().migrate().migrationsExecuted == 300
        long flywayMs = (System.nanoTime() - t0).intdiv(1_000_000)
        watch(db)
        Path plan = tmp.resolve('fw300.groovy')

        when:
        long t1 = System.nanoTime()
        def adopted = adopting(dir, plan, db)
        long adoptMs = (System.nanoTime() - t1).intdiv(1_000_000)
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])
        System.out.println("AdoptSpec measure: real Flyway migrated 300 files in ${flywayMs} ms; mig import --adopt (import, check, adopt 300) in ${adoptMs} ms")

        then:
        adopted.exitCode == 0
        adopted.out.contains('adopted 300 migrations from public.flyway_schema_history')
        rows(db, "SELECT count(*) FROM mig.history WHERE outcome = 'adopted'") == ['300']
        run.exitCode == 0
        ddlLog(db) == ['public.later_301', 'public.later_302', 'public.later_303']
        rows(db, 'SELECT count(*), sum(n) FROM log') == ['299|' + (2..300).sum()]
    }

    def "a file changed or renamed since Flyway applied it is drift, named per file: exit 5, nothing recorded"() {
        given:
        Path dir = folder('fwdrift', [
                'V1__a.sql': 'CREATE TABLE a (id int);\n',
                'V2__b.sql': 'CREATE TABLE b (id int);\n',
                'V3__c.sql': 'CREATE TABLE c (id int);\n'])
        String db = TestPostgres.createDatabase('adopt_flyway_drift')
        Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null).locations('filesystem:' + dir).load().migrate()
        Files.writeString(dir.resolve('V1__a.sql'), 'CREATE TABLE a (id bigint);\n')
        Files.writeString(dir.resolve('V2__b.sql'), 'CREATE TABLE b (id int);\r\n')     // line ends only: Flyway's checksum ignores them
        Files.move(dir.resolve('V3__c.sql'), dir.resolve('V3__c_renamed.sql'))

        when:
        def adopted = adopting(dir, tmp.resolve('d.groovy'), db)

        then:
        adopted.exitCode == 5
        adopted.err.contains('cannot adopt public.flyway_schema_history (2 problems; nothing was recorded)')
        adopted.err =~ /V1__a\.sql: changed since Flyway applied it \(public\.flyway_schema_history installed_rank 1 \(V1__a\.sql\) has checksum -?\d+, the file's is -?\d+\)/
        adopted.err.contains('V3__c_renamed.sql: Flyway applied version 3 as V3__c.sql (public.flyway_schema_history installed_rank 3 (V3__c.sql))')
        !adopted.err.contains('V2__b.sql')
        !adopted.err.contains('\tat ')
        Files.exists(tmp.resolve('d.groovy'))
        journal(db) == []
        rows(db, 'SELECT count(*) FROM mig.history') == ['0']
    }

    def "a failed Flyway row stops the adoption: exit 5 naming the row, nothing recorded"() {
        given: 'Flyway applied two; the second is then recorded as failed, as Flyway records a failed migration it could not roll back'
        Path dir = folder('fwfail', ['V1__a.sql': 'CREATE TABLE a (id int);\n', 'V2__b.sql': 'CREATE TABLE b (id int);\n'])
        String db = TestPostgres.createDatabase('adopt_flyway_failed')
        Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null).locations('filesystem:' + dir).load().migrate()
        TestPostgres.withSql(db) { Sql s -> s.execute("UPDATE flyway_schema_history SET success = false WHERE version = '2'") }

        when:
        def adopted = adopting(dir, tmp.resolve('f.groovy'), db)

        then:
        adopted.exitCode == 5
        adopted.err.contains('public.flyway_schema_history installed_rank 2 (V2__b.sql) failed (success = false)')
        adopted.err.contains('flyway repair')
        journal(db) == []
    }

    /** golang-migrate's table as its postgres driver creates it: one row, the last version, and whether it stopped inside it. */
    private static String golangMigrated(Path dir, int upTo, boolean dirty) {
        String db = TestPostgres.createDatabase('adopt_golang')
        TestPostgres.withSql(db) { Sql s ->
            (1..upTo).each { v -> s.execute(Files.readString(dir.toFile().listFiles().find { it.name ==~ /0*${v}_.*\.up\.sql/ }.toPath())) }
            s.execute('CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)')
            s.execute('INSERT INTO schema_migrations VALUES (?, ?)', [upTo, dirty])
        }
        db
    }

    private Path golangFolder() {
        folder('gm', [
                '000001_a.up.sql'  : 'CREATE TABLE a (id int);', '000001_a.down.sql': 'DROP TABLE a;',
                '000002_b.up.sql'  : 'CREATE TABLE b (id int);', '000002_b.down.sql': 'DROP TABLE b;',
                '000010_c.up.sql'  : 'CREATE TABLE c (id int);', '000010_c.down.sql': 'DROP TABLE c;'])
    }

    def "a golang-migrate database is adopted up to the version its schema_migrations holds; mig run applies the rest"() {
        given:
        Path dir = golangFolder()
        String db = golangMigrated(dir, 2, false)
        watch(db)
        Path plan = tmp.resolve('gm.groovy')

        when:
        def adopted = adopting(dir, plan, db)

        then:
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from public.schema_migrations')
        journal(db) == ['000001_a.up.sql|applied', '000002_b.up.sql|applied']
        rows(db, "SELECT DISTINCT outcome, notices FROM mig.history") == ['adopted|adopted from public.schema_migrations version 2']
        ddlLog(db) == []
        rows(db, 'SELECT * FROM schema_migrations') == ['2|false']

        when:
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then:
        run.exitCode == 0
        ddlLog(db) == ['public.c']
        journal(db).size() == 3
        rows(db, 'SELECT * FROM schema_migrations') == ['2|false']
    }

    def "a dirty golang-migrate version stops the adoption: exit 5, what to do, nothing recorded"() {
        given:
        Path dir = golangFolder()
        String db = golangMigrated(dir, 2, true)

        when:
        def adopted = adopting(dir, tmp.resolve('gd.groovy'), db)

        then:
        adopted.exitCode == 5
        adopted.err.contains('public.schema_migrations says version 2 is dirty: golang-migrate stopped inside it')
        adopted.err.contains('migrate force')
        journal(db) == []
    }

    private Path dbmateFolder() {
        folder('dbm', [
                '20240101000000_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n',
                '20240102000000_b.sql': '-- migrate:up\nCREATE TABLE b (id int);\n-- migrate:down\nDROP TABLE b;\n',
                '20240103000000_c.sql': '-- migrate:up\nCREATE TABLE c (id int);\n-- migrate:down\nDROP TABLE c;\n'])
    }

    /** dbmate's table as it creates it on PostgreSQL: one row per applied version. */
    private static String dbmateMigrated(List<String> versions) {
        String db = TestPostgres.createDatabase('adopt_dbmate')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)')
            versions.each { v ->
                s.execute('CREATE TABLE ' + ['20240101000000': 'a', '20240102000000': 'b', '20240103000000': 'c', '20231231000000': 'z'][v] + ' (id int)')
                s.execute('INSERT INTO schema_migrations VALUES (?)', [v])
            }
        }
        db
    }

    def "a dbmate database is adopted by the versions in its schema_migrations; mig run applies the rest"() {
        given:
        Path dir = dbmateFolder()
        String db = dbmateMigrated(['20240101000000', '20240102000000'])
        watch(db)
        Path plan = tmp.resolve('dbm.groovy')

        when:
        def adopted = adopting(dir, plan, db)
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then:
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from public.schema_migrations')
        rows(db, "SELECT step, outcome, notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id") == [
                '20240101000000_a.sql|adopted|adopted from public.schema_migrations version 20240101000000',
                '20240102000000_b.sql|adopted|adopted from public.schema_migrations version 20240102000000']
        run.exitCode == 0
        ddlLog(db) == ['public.c']
        rows(db, 'SELECT version FROM schema_migrations ORDER BY 1') == ['20240101000000', '20240102000000']
    }

    def "a dbmate row without a file stops the adoption, naming it: exit 5, nothing recorded"() {
        given:
        String db = dbmateMigrated(['20231231000000', '20240101000000'])

        when:
        def adopted = adopting(dbmateFolder(), tmp.resolve('dz.groovy'), db)

        then:
        adopted.exitCode == 5
        adopted.err.contains('public.schema_migrations version 20231231000000: version 20231231000000 has no file in the folder')
        journal(db) == []
    }

    def "no history table, or a folder whose tool keeps none: exit 2 saying what to do, no stack trace"() {
        given:
        String db = TestPostgres.createDatabase('adopt_none')

        when:
        def flyway = adopting(folder('f0', ['V1__a.sql': 'SELECT 1;']), tmp.resolve('f0.groovy'), db)
        def plain = adopting(folder('p0', ['a.sql': 'SELECT 1;']), tmp.resolve('p0.groovy'), db)
        def wrongShape = { ->
            TestPostgres.withSql(db) { Sql s -> s.execute('CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)') }
            adopting(golangFolder(), tmp.resolve('g0.groovy'), db)
        }()

        then:
        flyway.exitCode == 2
        flyway.err.contains('no table flyway_schema_history on the --adopt database')
        plain.exitCode == 2
        plain.err.contains('the folder was read as plain, whose tool keeps none')
        wrongShape.exitCode == 2
        wrongShape.err.contains('public.schema_migrations has no column dirty')
        ![flyway, plain, wrongShape].any { it.err.contains('\tat ') }
    }

    def "goose's goose_db_version, as goose writes it: the newest row of a version says whether it is applied"() {
        given: 'goose\'s table: its first row 0, ups of 1, 20240102000000, 3 and 4, a down of 3 written as a row, 4 deleted as newer goose does'
        String db = TestPostgres.createDatabase('adopt_goose')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
                         version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())''')
            [[0, true], [1, true], [20240102000000L, true], [3, true], [4, true], [3, false]].each {
                s.execute('INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)', it)
            }
            s.execute('DELETE FROM goose_db_version WHERE version_id = 4')
        }

        when:
        def history = TestPostgres.connect(db).withCloseable { ToolHistory.goose(it) }

        then:
        history.applied().keySet() as List == ['1', '20240102000000']
        history.applied()['1'].row() == 'public.goose_db_version id 2 (version 1)'
        history.stops() == []
    }

    def "Prisma's _prisma_migrations, as Prisma writes it: finished rows applied, a failed row stops, rolled-back rows are not applied; SHA-256 checksums"() {
        given:
        Path file = tmp.resolve('migration.sql')
        Files.writeString(file, 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n')
        String sum = ['sha256sum', file.toString()].execute().text.split(' ')[0]
        String db = TestPostgres.createDatabase('adopt_prisma')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) NOT NULL, "checksum" VARCHAR(64) NOT NULL,
                         "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
                         "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0,
                         CONSTRAINT "_prisma_migrations_pkey" PRIMARY KEY ("id"))''')
            s.execute("""INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at, started_at) VALUES
                ('1', ?, now(), '20240101000000_init', NULL, now() - interval '3 min'),
                ('2', 'x', NULL, '20240102000000_bad', now(), now() - interval '2 min'),
                ('3', 'y', NULL, '20240103000000_failed', NULL, now() - interval '1 min')""".toString(), [sum])
        }

        when:
        def history = TestPostgres.connect(db).withCloseable { ToolHistory.prisma(it) }

        then:
        history.applied().keySet() as List == ['20240101000000_init']
        history.applied()['20240101000000_init'].checksum() == sum
        history.stops() == ['public._prisma_migrations migration_name 20240103000000_failed failed (finished_at and rolled_back_at are null):'
                                    + ' prisma migrate deploy refuses to go on too (P3009); fix the database and run prisma migrate resolve, then adopt again']

        and: 'the file\'s checksum is sha256sum\'s; CRLF line ends still match, another change does not'
        PrismaChecksum.matches(file, sum)
        PrismaChecksum.matches(Files.writeString(tmp.resolve('crlf.sql'), 'CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n'), sum)
        !PrismaChecksum.matches(Files.writeString(tmp.resolve('changed.sql'), 'CREATE TABLE a (id bigint);\nCREATE TABLE b (id int);\n'), sum)
    }

    def "--journal-schema puts the adopted rows in that journal, which mig run with the same schema then reads"() {
        given:
        String db = dbmateMigrated(['20240101000000'])
        Path plan = tmp.resolve('js.groovy')

        when:
        def adopted = adopting(dbmateFolder(), plan, db, '--journal-schema', 'ledger')
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), '--journal-schema', 'ledger', plan.toString()])

        then:
        adopted.exitCode == 0
        adopted.out.contains('into journal ledger')
        run.exitCode == 0
        rows(db, "SELECT step, outcome FROM ledger.history ORDER BY id") == ['20240101000000_a.sql|adopted', '20240102000000_b.sql|applied', '20240103000000_c.sql|applied']
        rows(db, "SELECT to_regclass('mig.steps') IS NULL") == ['true']
    }

    private Path gooseFolder() {
        folder('gs', [
                '00001_a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n',
                '00002_b.sql': '-- +goose Up\nCREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n-- +goose Down\nDROP TABLE b;\n',
                '00003_c.sql': '-- +goose Up\nCREATE TABLE c (id int);\n-- +goose Down\nDROP TABLE c;\n'])
    }

    def "a goose database is adopted by the newest row of each version in goose_db_version; mig run applies the rest"() {
        given: 'goose\'s rules: each Up section in a transaction with its goose_db_version row; the table as goose creates it, version 0 first'
        Path dir = gooseFolder()
        String db = TestPostgres.createDatabase('adopt_goose_run')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
                         version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())''')
            s.execute('INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)')
            [1: 'CREATE TABLE a (id int)', 2: 'CREATE TABLE b (id int); INSERT INTO b VALUES (1)'].each { v, up ->
                s.withTransaction {
                    s.execute(up)
                    s.execute('INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, true)', [v])
                }
            }
        }
        watch(db)
        def gooseTable = rows(db, 'SELECT * FROM goose_db_version ORDER BY id')
        Path plan = tmp.resolve('gs.groovy')

        when:
        def adopted = adopting(dir, plan, db)
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then: 'versions 1 and 2 are adopted from their rows; only 3 runs; goose\'s table is as goose left it'
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from public.goose_db_version')
        adopted.out.contains('1 not applied by the other tool: mig run will apply it (00003_c.sql)')
        rows(db, "SELECT step, notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id") == [
                '00001_a.sql|adopted from public.goose_db_version id 2 (version 1)',
                '00002_b.sql|adopted from public.goose_db_version id 3 (version 2)']
        run.exitCode == 0
        ddlLog(db) == ['public.c']
        rows(db, 'SELECT id FROM b') == ['1']
        journal(db) == ['00001_a.sql|applied', '00002_b.sql|applied', '00003_c.sql|applied']
        rows(db, 'SELECT * FROM goose_db_version ORDER BY id') == gooseTable
    }

    private Path prismaFolder() {
        Path dir = tmp.resolve('pr')
        ['20240101000000_a': 'CREATE TABLE a (id int);\n', '20240102000000_b': 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n',
         '20240103000000_c': 'CREATE TABLE c (id int);\n'].each { name, sql ->
            Files.createDirectories(dir.resolve(name))
            Files.writeString(dir.resolve(name).resolve('migration.sql'), sql)
        }
        Files.writeString(dir.resolve('migration_lock.toml'), 'provider = "postgresql"\n')
        dir
    }

    /** _prisma_migrations as Prisma creates it, a row per applied folder with the SHA-256 of its migration.sql, as prisma migrate deploy writes it. */
    private static String prismaMigrated(Path dir, List<String> names, boolean lastUnfinished = false) {
        String db = TestPostgres.createDatabase('adopt_prisma_run')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) NOT NULL, "checksum" VARCHAR(64) NOT NULL,
                         "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
                         "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0,
                         CONSTRAINT "_prisma_migrations_pkey" PRIMARY KEY ("id"))''')
            names.eachWithIndex { name, i ->
                byte[] script = Files.readAllBytes(dir.resolve(name).resolve('migration.sql'))
                String sum = java.security.MessageDigest.getInstance('SHA-256').digest(script).encodeHex().toString()
                boolean unfinished = lastUnfinished && i == names.size() - 1
                if (!unfinished) {
                    s.execute(new String(script, StandardCharsets.UTF_8))
                }
                s.execute('''INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at,
                             applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, now() + make_interval(secs => ?), ?)''',
                        [UUID.randomUUID().toString(), sum, unfinished ? null : java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(i)),
                         name, i, unfinished ? 0 : 1])
            }
        }
        db
    }

    def "a Prisma database is adopted by the finished rows of _prisma_migrations, checksums checked; mig run applies the rest"() {
        given:
        Path dir = prismaFolder()
        String db = prismaMigrated(dir, ['20240101000000_a', '20240102000000_b'])
        watch(db)
        def prismaTable = rows(db, 'SELECT * FROM _prisma_migrations ORDER BY started_at')
        Path plan = tmp.resolve('pr.groovy')

        when:
        def adopted = adopting(dir, plan, db)
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then:
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from public._prisma_migrations')
        rows(db, "SELECT step, notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id") == [
                '20240101000000_a|adopted from public._prisma_migrations migration_name 20240101000000_a',
                '20240102000000_b|adopted from public._prisma_migrations migration_name 20240102000000_b']
        run.exitCode == 0
        ddlLog(db) == ['public.c']
        rows(db, 'SELECT id FROM b') == ['1']
        journal(db) == ['20240101000000_a|applied', '20240102000000_b|applied', '20240103000000_c|applied']
        rows(db, 'SELECT * FROM _prisma_migrations ORDER BY started_at') == prismaTable
    }

    def "a Prisma migration.sql changed since it was applied is drift, named per file: exit 5, nothing recorded"() {
        given:
        Path dir = prismaFolder()
        String db = prismaMigrated(dir, ['20240101000000_a', '20240102000000_b'])
        Files.writeString(dir.resolve('20240102000000_b/migration.sql'), 'CREATE TABLE b (id bigint);\nINSERT INTO b VALUES (1);\n')

        when:
        def adopted = adopting(dir, tmp.resolve('pr.groovy'), db)

        then:
        adopted.exitCode == 5
        adopted.err.contains('1 problem; nothing was recorded')
        adopted.err.contains('20240102000000_b/migration.sql: changed since Prisma applied it (public._prisma_migrations migration_name 20240102000000_b has checksum ')
        !adopted.err.contains('20240101000000_a/migration.sql')
        !adopted.err.contains('\tat ')
        journal(db) == []
    }

    def "an unfinished _prisma_migrations row (a failed prisma migrate deploy) stops the adoption: exit 5, nothing recorded"() {
        given:
        Path dir = prismaFolder()
        String db = prismaMigrated(dir, ['20240101000000_a', '20240102000000_b'], true)

        when:
        def adopted = adopting(dir, tmp.resolve('pr.groovy'), db)

        then:
        adopted.exitCode == 5
        adopted.err.contains('public._prisma_migrations migration_name 20240102000000_b failed (finished_at and rolled_back_at are null)')
        adopted.err.contains('prisma migrate resolve')
        journal(db) == []
    }
}
