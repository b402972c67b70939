package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import liquibase.ChecksumVersion
import liquibase.Contexts
import liquibase.Scope
import liquibase.LabelExpression
import liquibase.Liquibase
import liquibase.database.DatabaseFactory
import liquibase.database.jvm.JdbcConnection
import liquibase.resource.DirectoryResourceAccessor
import org.flywaydb.core.Flyway

import java.nio.file.Files
import java.nio.file.Path

/**
 * mig import --adopt for Liquibase (databasechangelog written by real Liquibase 4.33), and
 * --history-table for a history kept off the search path (real Flyway and real Liquibase).
 */
class AdoptMoreSpec extends AdoptSpecification {

    /** Liquibase logs every step at INFO through java.util.logging; off, so the changeset a test makes fail prints no ERROR line into the build's output. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger('liquibase')

    def setupSpec() {
        LIQUIBASE_LOG.level = java.util.logging.Level.OFF
        System.setProperty('liquibase.analytics.enabled', 'false')
        System.setProperty('liquibase.showBanner', 'false')
        System.setProperty('liquibase.command.showSummaryOutput', 'log')
    }

    // ---- Liquibase ------------------------------------------------------------------------------------------

    /** Real Liquibase runs {@code changelog} (relative to {@code base}) on {@code db}, as liquibase update does. */
    private static void liquibaseUpdate(String db, Path base, String changelog, Closure configure = {}) {
        def database = DatabaseFactory.instance.findCorrectDatabaseImplementation(new JdbcConnection(TestPostgres.connect(db)))
        configure(database)
        // its console lines ("Running Changeset: ...") go to its log, which is off
        Scope.child([(Scope.Attr.ui.name()): new liquibase.ui.LoggerUIService()] as Map<String, Object>, {
            new Liquibase(changelog, new DirectoryResourceAccessor(base.toFile()), database).withCloseable {
                it.update(new Contexts(), new LabelExpression())
            }
        } as Scope.ScopedRunner)
    }

    /** The checksums real Liquibase computes with {@code version} for each changeset of {@code changelog}, by author:id. */
    private static Map<String, String> liquibaseChecksums(String db, Path base, String changelog, ChecksumVersion version) {
        def database = DatabaseFactory.instance.findCorrectDatabaseImplementation(new JdbcConnection(TestPostgres.connect(db)))
        Map<String, String> out = [:]
        new Liquibase(changelog, new DirectoryResourceAccessor(base.toFile()), database).withCloseable { lb ->
            Scope.child([(Scope.Attr.database.name()): database] as Map<String, Object>, {
                lb.databaseChangeLog.changeSets.each { cs ->
                    cs.clearCheckSum()
                    out["${cs.author}:${cs.id}".toString()] = cs.generateCheckSum(version).toString()
                }
            } as Scope.ScopedRunner)
        }
        out
    }

    private static final String MASTER = '''<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
    <includeAll path="changes/" relativeToChangelogFile="true"/>
</databaseChangeLog>
'''

    /** A master changelog including every formatted SQL file of changes/, as a Liquibase project lays it out. */
    private Path liquibaseProject(String name, Map<String, String> changes) {
        Path base = folder(name, ['master.xml': MASTER])
        folder("${name}/changes", changes)
        base
    }

    private static final Map<String, String> LB_CHANGES = [
            '001_people.sql': '''--liquibase formatted sql

--changeset ann:1
--comment: the people table
CREATE TABLE people (id int PRIMARY KEY, name text);
-- a comment, which Liquibase's checksum counts
INSERT INTO people VALUES (1, 'ann');
--rollback DROP TABLE people;

--changeset ann:2 runInTransaction:false
CREATE INDEX CONCURRENTLY people_name ON people (name);
''',
            '002_pets.sql'  : '''--liquibase formatted sql

--changeset bob:pets
CREATE TABLE pets (id int, owner int REFERENCES people);
INSERT INTO people VALUES (2, 'bob');

--changeset bob:seed-once
--preconditions onFail:MARK_RAN
--precondition-sql-check expectedResult:0 SELECT count(*) FROM people
INSERT INTO people VALUES (99, 'never');

--changeset bob:view runOnChange:true
CREATE OR REPLACE VIEW people_names AS SELECT name FROM people;
''']

    def "a changelog real Liquibase applied is adopted: every changeset (MARK_RAN too), none of their SQL ran, mig run applies only a new one"() {
        given: 'real Liquibase runs a master changelog that includes two formatted SQL files; one changeset is MARK_RAN by its precondition'
        Path base = liquibaseProject('lb', LB_CHANGES)
        String db = TestPostgres.createDatabase('adopt_liquibase')
        liquibaseUpdate(db, base, 'master.xml')
        assert rows(db, "SELECT author || ':' || id, exectype FROM databasechangelog ORDER BY orderexecuted") ==
                ['ann:1|EXECUTED', 'ann:2|EXECUTED', 'bob:pets|EXECUTED', 'bob:seed-once|MARK_RAN', 'bob:view|EXECUTED']
        watch(db)
        def liquibaseTable = rows(db, 'SELECT * FROM databasechangelog ORDER BY orderexecuted')
        Path dir = base.resolve('changes')
        Path plan = tmp.resolve('lb.groovy')

        expect: 'LiquibaseChecksum is the md5sum real Liquibase stored, for each changeset'
        rows(db, "SELECT author || ':' || id, md5sum FROM databasechangelog ORDER BY orderexecuted") ==
                LiquibaseChecksum.read([dir.resolve('001_people.sql'), dir.resolve('002_pets.sql')]).collect { k, v -> "${k}|${v.checksum()}".toString() }

        when:
        def adopted = adopting(dir, plan, db)

        then: 'all five are adopted, each with a history row naming its databasechangelog row'
        adopted.exitCode == 0
        adopted.out.contains('adopted 5 migrations from public.databasechangelog')
        adopted.out.contains('0 not applied by the other tool')
        journal(db) == ['ann:1|applied', 'ann:2|applied', 'bob:pets|applied', 'bob:seed-once|applied', 'bob:view|applied']
        rows(db, "SELECT step, notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id")[0] ==~
                /ann:1\|adopted from public\.databasechangelog ann:1 \(\S*001_people\.sql, orderexecuted 1\)/

        and: 'mig status says which row each step was adopted from'
        def status = MigCli.run(['status', '--url', TestPostgres.jdbcUrl(db), plan.toString()])
        status.exitCode == 0
        status.out =~ /(?m)^  applied\s+ann:1  adopted from public\.databasechangelog ann:1 \(\S*001_people\.sql, orderexecuted 1\), \d{4}-\d\d-\d\d /
        status.out =~ /(?m)^  applied\s+bob:seed-once  adopted from public\.databasechangelog bob:seed-once /

        and: 'nothing of theirs ran (ann:1 would fail on its CREATE TABLE, bob:seed-once would insert 99), and their table is unchanged'
        ddlLog(db) == []
        rows(db, 'SELECT id FROM people ORDER BY id') == ['1', '2']
        rows(db, 'SELECT * FROM databasechangelog ORDER BY orderexecuted') == liquibaseTable

        when: 'a new changeset is added, the folder imported again and mig run'
        Files.writeString(dir.resolve('003_later.sql'), '--liquibase formatted sql\n\n--changeset cy:later\nCREATE TABLE later (id int);\nINSERT INTO people VALUES (3, \'cy\');\n')
        def reimport = importing(dir, plan, '--force')
        def run = running(db, plan)

        then: 'only it runs, besides the runOnChange view, which mig runs on every run'
        reimport.exitCode == 0
        run.exitCode == 0
        ddlLog(db) as Set == ['public.people_names', 'public.later'] as Set
        rows(db, 'SELECT id FROM people ORDER BY id') == ['1', '2', '3']
        journal(db).last() == 'cy:later|applied'

        and: 'status: the view mig ran again and the new step are applied by mig now, the others still adopted'
        def after = MigCli.run(['status', '--url', TestPostgres.jdbcUrl(db), plan.toString()]).out
        after =~ /(?m)^  applied\s+ann:2  adopted from public\.databasechangelog ann:2 /
        after =~ /(?m)^  applied\s+bob:view  \d{4}-\d\d-\d\d \S+ by \S+ in \d+ ms \(runs always\)$/
        after =~ /(?m)^  applied\s+cy:later  \d{4}-\d\d-\d\d \S+ by /
    }

    def "a Liquibase changeset changed since it ran is drift with both checksums (whitespace is not); exit 5, nothing recorded"() {
        given:
        Path base = liquibaseProject('lbdrift', LB_CHANGES)
        String db = TestPostgres.createDatabase('adopt_liquibase_drift')
        liquibaseUpdate(db, base, 'master.xml')
        Path dir = base.resolve('changes')
        Files.writeString(dir.resolve('001_people.sql'), Files.readString(dir.resolve('001_people.sql'))
                .replace('name text);', 'name varchar(20));'))
        Files.writeString(dir.resolve('002_pets.sql'), Files.readString(dir.resolve('002_pets.sql'))
                .replace('CREATE TABLE pets (id int, owner int REFERENCES people);', 'CREATE TABLE pets (\n    id int,\r\n\towner int REFERENCES people\n);'))

        when:
        def adopted = adopting(dir, tmp.resolve('d.groovy'), db)

        then:
        adopted.exitCode == 5
        adopted.err.contains('cannot adopt public.databasechangelog (1 problem; nothing was recorded)')
        adopted.err =~ /001_people\.sql:3: changeset ann:1 changed since Liquibase applied it \(public\.databasechangelog ann:1 \(\S+, orderexecuted 1\) has md5sum 9:[0-9a-f]{32}, the file's is 9:[0-9a-f]{32}\)/
        adopted.err.contains('--validCheckSum')
        !adopted.err.contains('bob:pets')
        !adopted.err.contains('\tat ')
        journal(db) == []
    }

    def "a changeset moved to another file is named (Liquibase would run it again); with a logicalFilePath it keeps its identity"() {
        given: 'the first file names a logicalFilePath; after Liquibase ran, both files are renamed'
        Map<String, String> changes = new LinkedHashMap<>(LB_CHANGES)
        changes['001_people.sql'] = changes['001_people.sql'].replace('--liquibase formatted sql', '--liquibase formatted sql logicalFilePath:people.sql')
        Path base = liquibaseProject('lbmoved', changes)
        String db = TestPostgres.createDatabase('adopt_liquibase_moved')
        liquibaseUpdate(db, base, 'master.xml')
        Path dir = base.resolve('changes')
        Files.move(dir.resolve('001_people.sql'), dir.resolve('001_persons.sql'))
        Files.move(dir.resolve('002_pets.sql'), dir.resolve('002_animals.sql'))

        when:
        def adopted = adopting(dir, tmp.resolve('m.groovy'), db)

        then:
        rows(db, "SELECT DISTINCT filename FROM databasechangelog WHERE author = 'ann'") == ['people.sql']
        adopted.exitCode == 5
        adopted.err.contains('cannot adopt public.databasechangelog (3 problems; nothing was recorded)')
        adopted.err =~ /002_animals\.sql:3: changeset bob:pets was applied from \S*002_pets\.sql \(public\.databasechangelog bob:pets /
        adopted.err.contains('Liquibase identifies a changeset by id, author and file')
        !adopted.err.contains('ann:')
        journal(db) == []
    }

    def "a changeset that failed with failOnError:false has no row and stays pending; a FAILED row stops the adoption; version 8 checksums are compared, older ones warned"() {
        given: 'real Liquibase runs a changeset that fails with failOnError:false: it goes on, and records no row for it'
        Path base = liquibaseProject('lbfail', ['001_a.sql': '''--liquibase formatted sql

--changeset ann:a
CREATE TABLE a (id int);

--changeset ann:broken failOnError:false
INSERT INTO nowhere VALUES (1);
'''])
        Path dir = base.resolve('changes')
        String db = TestPostgres.createDatabase('adopt_liquibase_failed')
        liquibaseUpdate(db, base, 'master.xml')
        assert rows(db, "SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted") == ['a|EXECUTED']

        when:
        def adopted = adopting(dir, tmp.resolve('f.groovy'), db)

        then:
        adopted.exitCode == 0
        adopted.out.contains('adopted 1 migration from public.databasechangelog')
        adopted.out.contains('1 not applied by the other tool: mig run will apply it (ann:broken)')

        when: 'a FAILED row, as a Liquibase row of its shape (Liquibase 4.33 itself never writes one; older tools and hand repairs do)'
        String db2 = TestPostgres.createDatabase('adopt_liquibase_failed_row')
        liquibaseUpdate(db2, base, 'master.xml')
        TestPostgres.withSql(db2) { Sql s ->
            s.execute("""INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype, md5sum, description,
                         comments, tag, liquibase, contexts, labels, deployment_id)
                         SELECT 'broken', author, filename, now(), 2, 'FAILED', md5sum, description, comments, tag, liquibase, contexts,
                                labels, deployment_id FROM databasechangelog WHERE id = 'a'""")
        }
        def failed = adopting(dir, tmp.resolve('f2.groovy'), db2)

        then:
        failed.exitCode == 5
        failed.err =~ /public\.databasechangelog ann:broken \(\S+, orderexecuted 2\) failed \(exectype FAILED\)/
        journal(db2) == []

        when: 'the row of ann:a carries the version 8 checksum Liquibase 4.0 to 4.21 wrote (computed by real Liquibase), then a version 7 one'
        String v8 = liquibaseChecksums(db2, base, 'master.xml', ChecksumVersion.V8)['ann:a']
        TestPostgres.withSql(db2) { Sql s ->
            s.execute("DELETE FROM databasechangelog WHERE id = 'broken'")
            s.execute("UPDATE databasechangelog SET md5sum = ? WHERE id = 'a'", [v8])
        }
        def eight = adopting(dir, tmp.resolve('f2.groovy'), db2)
        TestPostgres.withSql(db2) { Sql s ->
            s.execute('DELETE FROM mig.steps; DELETE FROM mig.history')
            s.execute("UPDATE databasechangelog SET md5sum = '7:0123456789abcdef0123456789abcdef' WHERE id = 'a'")
        }
        def seven = adopting(dir, tmp.resolve('f2.groovy'), db2)

        then: 'version 8 is compared (and matches); version 7 is adopted with a warning that it was not compared'
        v8 ==~ /8:[0-9a-f]{32}/
        eight.exitCode == 0
        eight.out.contains('adopted 1 migration from public.databasechangelog')
        !eight.out.contains('has a version')
        seven.exitCode == 0
        seven.out =~ /public\.databasechangelog ann:a \(\S+, orderexecuted 1\) has a version 7 checksum \(7:0123456789abcdef0123456789abcdef\), which mig does not reproduce/
        journal(db2) == ['ann:a|applied']
    }

    /** Changeset {@code n}'s text: each of a few shapes whose whitespace, comments and characters Liquibase's checksum must see as it does. */
    private static String varied(int n) {
        switch (n % 6) {
            case 0: return "--changeset gen:${n}\nCREATE TABLE t${n} (id int PRIMARY KEY,\tnote text);   \n--rollback DROP TABLE t${n};\n"
            case 1: return "--changeset gen:${n} runInTransaction:false\r\n--comment: index ${n}\r\nCREATE INDEX CONCURRENTLY i${n} ON t${n - 1} (note);\r\n"
            case 2: return "--changeset \"gen\":${n}\n/* a block comment,\n   over two lines */\nINSERT INTO t${n - 2} VALUES (${n}, 'grüße, e\u0301t\u00e9 ${n}');\n\n\n"
            case 3: return "--changeset gen:${n} splitStatements:false\nCREATE FUNCTION f${n}() RETURNS int LANGUAGE plpgsql AS \$\$\nBEGIN\n    RETURN ${n};  -- the answer\nEND \$\$;\n"
            case 4: return "--changeset gen:${n}\n--preconditions onFail:MARK_RAN\n--precondition-sql-check expectedResult:1 SELECT 1\n  ALTER TABLE t${n - 4} ADD COLUMN c${n} int;\n--rollback ALTER TABLE t${n - 4}\n--rollback   DROP COLUMN c${n};\n"
            default: return "--changeset gen:${n} labels:x context:prod\n-- a comment line that counts\nCOMMENT ON TABLE t${n - 5} IS 'table ${n}';\n"
        }
    }

    def "600 varied changesets real Liquibase applied: every md5sum is LiquibaseChecksum's (and so is every version 8 checksum Liquibase computes), all adopted, timed"() {
        given: '20 files of 30 changesets each: tabs, CRLF, block and line comments, non-ASCII, dollar quotes, preconditions, rollbacks'
        Map<String, String> files = [:]
        (0..<20).each { f -> files[String.format('%03d_part.sql', f)] = '--liquibase formatted sql\n\n' + (0..<30).collect { varied(f * 30 + it) }.join('\n') }
        Path base = liquibaseProject('lb600', files)
        String db = TestPostgres.createDatabase('adopt_liquibase_600')
        long t0 = System.nanoTime()
        liquibaseUpdate(db, base, 'master.xml')
        long liquibaseMs = (System.nanoTime() - t0).intdiv(1_000_000)
        Path dir = base.resolve('changes')
        def computed = LiquibaseChecksum.read(files.keySet().sort().collect { dir.resolve(it) })
        watch(db)

        when:
        long t1 = System.nanoTime()
        def adopted = adopting(dir, tmp.resolve('lb600.groovy'), db)
        long adoptMs = (System.nanoTime() - t1).intdiv(1_000_000)
        System.out.println("AdoptMoreSpec measure: real Liquibase applied 600 changesets in ${liquibaseMs} ms; mig import --adopt (import, check, adopt 600) in ${adoptMs} ms")

        then:
        rows(db, "SELECT author || ':' || id || '|' || md5sum FROM databasechangelog ORDER BY orderexecuted") ==
                computed.collect { k, v -> "${k}|${v.checksum()}".toString() }
        liquibaseChecksums(db, base, 'master.xml', ChecksumVersion.V8) == computed.collectEntries { k, v -> [k, v.v8()] }
        adopted.exitCode == 0
        adopted.out.contains('adopted 600 migrations from public.databasechangelog')
        rows(db, "SELECT count(*) FROM mig.history WHERE outcome = 'adopted'") == ['600']
        ddlLog(db) == []
    }

    // ---- --history-table ------------------------------------------------------------------------------------

    def "--history-table finds Flyway's history in another schema and under another name; without it, exit 2 naming what was looked up"() {
        given: 'real Flyway with schemas app and table fw_history'
        Path dir = folder('fwapp', [
                'V1__a.sql': 'CREATE TABLE a (id int);\n',
                'V2__b.sql': 'CREATE TABLE b (id int);\n',
                'V3__c.sql': 'CREATE TABLE app.c (id int);\n'])
        String db = TestPostgres.createDatabase('adopt_history_table')
        Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null).locations('filesystem:' + dir)
                .schemas('app').table('fw_history').target('2').load().migrate()
        watch(db)
        Path plan = tmp.resolve('fwapp.groovy')

        when:
        def missing = adopting(dir, plan, db)
        def hostile = adopting(dir, plan, db, '--history-table', 'fw_history; DROP SCHEMA app CASCADE')
        def blank = adopting(dir, plan, db, '--history-table', 'app.')
        def adopted = adopting(dir, plan, db, '--history-table', 'app.fw_history')
        def run = running(db, plan)

        then:
        missing.exitCode == 2
        missing.err.contains('no table flyway_schema_history on the --adopt database (looked up on the search path)')
        missing.err.contains('pass --history-table SCHEMA.TABLE')
        hostile.exitCode == 2
        hostile.err.contains('no table fw_history; DROP SCHEMA app CASCADE on the --adopt database (looked up on the search path, from --history-table')
        blank.exitCode == 2
        blank.err.contains("--history-table 'app.' names no table")
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from app.fw_history')
        rows(db, "SELECT notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id")[0] == 'adopted from app.fw_history installed_rank 1 (V1__a.sql)'
        run.exitCode == 0
        ddlLog(db) == ['app.c']
        rows(db, "SELECT count(*) FROM app.a") == ['0']
    }

    def "--history-table finds Liquibase's databasechangelog kept in liquibase-schema-name under another table name"() {
        given:
        Path base = liquibaseProject('lbschema', LB_CHANGES)
        String db = TestPostgres.createDatabase('adopt_liquibase_schema')
        TestPostgres.withSql(db) { Sql s -> s.execute('CREATE SCHEMA lb') }
        liquibaseUpdate(db, base, 'master.xml') { it.liquibaseSchemaName = 'lb'; it.databaseChangeLogTableName = 'lb_log' }
        Path dir = base.resolve('changes')

        when:
        def missing = adopting(dir, tmp.resolve('l.groovy'), db)
        def wrongSchema = adopting(dir, tmp.resolve('l.groovy'), db, '--history-table', 'public.lb_log')
        def adopted = adopting(dir, tmp.resolve('l.groovy'), db, '--history-table', 'lb.lb_log')

        then:
        missing.exitCode == 2
        missing.err.contains('no table databasechangelog on the --adopt database (looked up on the search path)')
        wrongSchema.exitCode == 2
        wrongSchema.err.contains('no table lb_log on the --adopt database (looked up in schema public, from --history-table public.lb_log)')
        adopted.exitCode == 0
        adopted.out.contains('adopted 5 migrations from lb.lb_log')
    }
}
