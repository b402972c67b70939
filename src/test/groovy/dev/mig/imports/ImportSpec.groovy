package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Requires
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

class ImportSpec extends ImportSpecification {

    @Unroll
    def "a generated #format history of #size migrations imports to a plan whose run leaves the catalog the files applied one by one leave"() {
        given:
        def history = new MigrationHistory(seed, size)
        Path dir = tmp.resolve('db').resolve(format)
        List<MigrationHistory.Script> scripts = history."${writer}"(dir)
        Path plan = tmp.resolve('plans/imported.groovy')

        when:
        def imported = importing(dir, plan)

        then:
        imported.exitCode == 0
        imported.out.contains("imported ${scripts.size()} ${format} migrations")
        stepNames(plan) == scripts*.file
        Files.readString(plan).count('transaction false') == scripts.count { it.autocommit }
        Files.readString(plan).count('undo { sqlFile') == undos(dir, format)
        !Files.readString(plan).contains(dir.toString())                     // paths are relative to the plan
        MigCli.run(['check', plan.toString()]).exitCode == 0

        when:
        String a = TestPostgres.createDatabase("import_files_${format}")
        String b = TestPostgres.createDatabase("import_mig_${format}")
        applyInOrder(a, scripts)
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(b), plan.toString()])
        def expected = fingerprint(a)

        then:
        run.exitCode == 0
        expected.size() > size                                  // it read something real
        expected.any { it.startsWith('function ') && it.contains('total := total + i *') }
        expected.any { it.startsWith('trigger ') }
        expected.any { it.startsWith('index ') && it.contains('_ci') }
        expected.any { it.startsWith('extension pgcrypto') }
        fingerprint(b) == expected

        where:
        format           | writer          | seed | size
        'flyway'         | 'writeFlyway'   | 11   | 240
        'golang-migrate' | 'writeGolang'   | 12   | 220
        'dbmate'         | 'writeDbmate'   | 13   | 260
        'plain'          | 'writePlain'    | 14   | 200
    }

    def "an imported golang-migrate folder whose down file fails: mig undo stops there, and the database is what the files up to it leave"() {
        given: 'a history whose down file, a few migrations from the end, ends in a syntax error'
        def history = new MigrationHistory(21, 40)
        Path dir = tmp.resolve('db/golang')
        List<MigrationHistory.Script> scripts = history.writeGolang(dir)
        int failing = (scripts.size() - 4..<scripts.size() - 8).find { !scripts[it].autocommit }
        Path down = dir.resolve(scripts[failing].file.replace('.up.sql', '.down.sql'))
        Files.writeString(down, Files.readString(down) + '\nDROP TABLEE oops;\n')
        Path plan = tmp.resolve('golang.groovy')
        assert importing(dir, plan).exitCode == 0
        String b = TestPostgres.createDatabase('import_undo')
        assert MigCli.run(['run', '--url', TestPostgres.jdbcUrl(b), plan.toString()]).exitCode == 0

        when:
        def undo = MigCli.run(['undo', '--url', TestPostgres.jdbcUrl(b), '--steps', '8', plan.toString()])

        then: 'the later steps are undone, the failing one stays applied, the earlier ones are not tried'
        undo.exitCode == 1
        undo.out =~ /(?m)^  FAILED\s+\Q${scripts[failing].file}\E/
        undo.out.contains('SQL State: 42601')
        (failing + 1..<scripts.size()).every { undo.out =~ /(?m)^  undone\s+\Q${scripts[it].file}\E/ }
        TestPostgres.withSql(b) { Sql s -> s.firstRow('SELECT count(*) AS n FROM mig.steps').n } == failing + 1

        and: 'the schema is the one the up files up to the failing one leave (sequence positions aside: nextval is not undone)'
        String c = TestPostgres.createDatabase('import_undo_files')
        applyInOrder(c, scripts.take(failing + 1))
        fingerprint(b).findAll { !it.startsWith('sequence ') } == fingerprint(c).findAll { !it.startsWith('sequence ') }
    }

    def "files are ordered as their tool orders them and steps are named after whole file names"() {
        given:
        Path flyway = folder('flyway', ['V2__b.sql': 'SELECT 1;', 'V10__c.sql': 'SELECT 1;', 'V1.1__a2.sql': 'SELECT 1;', 'V1__a.sql': 'SELECT 1;',
                                        'V2_1__b2.sql': 'SELECT 1;', 'R__z.sql': 'SELECT 1;', 'R__a.sql': 'SELECT 1;', 'U2__b.sql': 'SELECT 2;'])
        Path golang = folder('golang', ['10_c.up.sql': 'SELECT 1;', '2_b.up.sql': 'SELECT 1;', '2_b.down.sql': 'SELECT 2;', '20210101120000_d.up.sql': 'SELECT 1;'])
        Path plain = folder('plain', ['10_c.sql': 'SELECT 1;', '2_b.sql': 'SELECT 1;', '1_a.sql': 'SELECT 1;', 'b.sql': 'SELECT 1;'])

        expect:
        importing(flyway, tmp.resolve('f.groovy')).exitCode == 0
        stepNames(tmp.resolve('f.groovy')) == ['V1__a.sql', 'V1.1__a2.sql', 'V2__b.sql', 'V2_1__b2.sql', 'V10__c.sql', 'R__a.sql', 'R__z.sql']
        Files.readString(tmp.resolve('f.groovy')).contains("""\
            step('V2__b.sql') {
                    sqlFile 'flyway/V2__b.sql'
                    undo { sqlFile 'flyway/U2__b.sql' }""".stripIndent().replace('\n        ', '\n        '))
        Files.readString(tmp.resolve('f.groovy')).count('runAlways true') == 2

        importing(golang, tmp.resolve('g.groovy')).exitCode == 0
        stepNames(tmp.resolve('g.groovy')) == ['2_b.up.sql', '10_c.up.sql', '20210101120000_d.up.sql']

        importing(plain, tmp.resolve('p.groovy'), '--name', 'legacy').exitCode == 0
        stepNames(tmp.resolve('p.groovy')) == ['1_a.sql', '2_b.sql', '10_c.sql', 'b.sql']
        Files.readString(tmp.resolve('p.groovy')).contains("plan('legacy') {")
    }

    def "dbmate files are split into up and down parts beside the plan, with transaction:false kept"() {
        given:
        Path dir = folder('dbmate', [
                '20200101120000_users.sql': '-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n',
                '20200101120100_idx.sql'  : '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n-- migrate:down\nDROP INDEX users_id;\n'])
        Path plan = tmp.resolve('out/plans/app.groovy')

        when:
        def result = importing(dir, plan)

        then:
        result.exitCode == 0
        result.out.contains('wrote 4 files of up and down parts under imported/')
        Files.readString(plan.resolveSibling('imported/20200101120000_users.up.sql')).endsWith('CREATE TABLE users (id int);\n\n')
        Files.readString(plan.resolveSibling('imported/20200101120000_users.down.sql')).endsWith('DROP TABLE users;\n')
        Files.readString(plan).contains("sqlFile 'imported/20200101120000_users.up.sql'")
        Files.readString(plan).contains("transaction false    // CREATE INDEX CONCURRENTLY")
        Files.readString(dir.resolve('20200101120000_users.sql')).startsWith('-- migrate:up')   // the originals are untouched
    }

    def "two files of one version are an error naming both; an existing plan is not overwritten without --force"() {
        given:
        Path dup = folder('dup', ['V1__a.sql': 'SELECT 1;', 'V1.0__b.sql': 'SELECT 1;'])
        Path ok = folder('ok', ['V1__a.sql': 'SELECT 1;'])
        Path plan = tmp.resolve('ok.groovy')
        Files.writeString(plan, '// mine')

        expect:
        with(importing(dup, tmp.resolve('dup.groovy'))) {
            exitCode == 2
            err.contains('two migrations of version 1 in')
            err.contains('V1.0__b.sql') && err.contains('V1__a.sql')
        }
        !Files.exists(tmp.resolve('dup.groovy'))
        with(importing(ok, plan)) {
            exitCode == 2
            err.contains('not overwriting')
            err.contains('pass --force')
        }
        Files.readString(plan) == '// mine'
        importing(ok, plan, '--force').exitCode == 0
        Files.readString(plan).contains("step('V1__a.sql')")
    }

    def "auto detection refuses a mixed folder; files that do not fit the format are warnings, in the output and the plan"() {
        given:
        Path mixed = folder('mixed', ['V1__a.sql': 'SELECT 1;', '1_a.up.sql': 'SELECT 1;'])
        Path flyway = folder('fw', ['V1__a.sql': 'SELECT 1;', 'notes.sql': 'SELECT 1;', 'README.md': 'hi', 'U7__x.sql': 'SELECT 1;',
                                    'V2__mixed.sql': 'CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n'])
        Path plan = tmp.resolve('fw.groovy')

        expect:
        with(importing(mixed, tmp.resolve('m.groovy'))) {
            exitCode == 2
            err.contains('cannot tell the layout of')
            err.contains('1 look like flyway (V1__a.sql)')
            err.contains('1 look like golang-migrate (1_a.up.sql)')
            err.contains('pass --format')
        }
        importing(mixed, tmp.resolve('m.groovy'), '--format', 'golang-migrate').exitCode == 0

        when:
        def result = importing(flyway, plan)

        then:
        result.exitCode == 0
        def warnings = result.out.substring(result.out.indexOf('warnings (4'))
        warnings.contains('README.md: not a .sql file, skipped')
        warnings.contains('notes.sql: not a Flyway migration name')
        warnings.contains('U7__x.sql: an undo file without a V file of its version, skipped')
        warnings.contains('V2__mixed.sql: CREATE INDEX CONCURRENTLY with 1 other statement; the step runs without a transaction')
        Files.readString(plan).contains('//   notes.sql: not a Flyway migration name')
        MigCli.run(['check', plan.toString()]).exitCode == 0
    }

    @Requires({ ImportSpec.pgDump() != null })
    def "pg_dump --schema-only of the imported plan's run equals that of the files applied one by one"() {
        given:
        def history = new MigrationHistory(31, 120)
        Path dir = tmp.resolve('db/flyway')
        def scripts = history.writeFlyway(dir)
        Path plan = tmp.resolve('pgdump.groovy')
        assert importing(dir, plan).exitCode == 0
        String a = TestPostgres.createDatabase('import_dump_files')
        String b = TestPostgres.createDatabase('import_dump_mig')
        applyInOrder(a, scripts)
        assert MigCli.run(['run', '--url', TestPostgres.jdbcUrl(b), plan.toString()]).exitCode == 0

        expect:
        dump(a) == dump(b)
    }

    /** A pg_dump that can dump the embedded server (same major version or newer); null when there is none. */
    static String pgDump() {
        def candidates = (System.getenv('PATH') ?: '').split(File.pathSeparator).collect { new File(it, 'pg_dump') } +
                (new File('/usr/lib/postgresql').listFiles() ?: []).collect { new File(it, 'bin/pg_dump') }
        candidates.find { File f ->
            if (!f.canExecute()) return false
            def m = ([f.path, '--version'].execute().text =~ /(\d+)\./)
            m.find() && (m.group(1) as int) >= 17
        }?.path
    }

    private static String dump(String db) {
        def p = [pgDump(), '--schema-only', '--no-owner', '--exclude-schema=mig', '-h', 'localhost', '-p', "${TestPostgres.port()}", '-U', 'postgres', db].execute()
        String out = p.text
        assert p.waitFor() == 0
        out.readLines().findAll { !it.startsWith('-- Dumped') && !it.startsWith('\\restrict') && !it.startsWith('\\unrestrict') }.join('\n')
    }

    private static int undos(Path dir, String format) {
        def names = dir.toFile().list() as List<String>
        switch (format) {
            case 'flyway': return names.count { it.startsWith('U') }
            case 'golang-migrate': return names.count { it.endsWith('.down.sql') }
            case 'dbmate': return names.size()
            default: return 0
        }
    }
}
