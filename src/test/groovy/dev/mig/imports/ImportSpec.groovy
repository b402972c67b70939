package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection

class ImportSpec extends Specification {

    @TempDir Path tmp

    private Path folder(String name, Map<String, String> files) {
        Path dir = tmp.resolve(name)
        Files.createDirectories(dir)
        files.each { file, text -> Files.writeString(dir.resolve(file), text) }
        dir
    }

    private static MigCli importing(Path dir, Path out, String... more) {
        MigCli.run(['import', dir.toString(), '--out', out.toString()] + (more as List))
    }

    private static List<String> stepNames(Path plan) {
        (Files.readString(plan) =~ /step\('([^']*)'\)/).collect { it[1] }
    }

    /** Applies the files as psql -f would, one after the other: each in one transaction, or in autocommit. */
    private static void applyInOrder(String db, List<MigrationHistory.Script> scripts) {
        Connection c = TestPostgres.connect(db)
        try {
            scripts.each { s ->
                c.autoCommit = s.autocommit
                c.createStatement().withCloseable { it.execute(s.sql) }
                if (!s.autocommit) {
                    c.commit()
                }
            }
        } finally {
            c.close()
        }
    }

    private static List<String> fingerprint(String db) {
        TestPostgres.withSql(db) { Sql s -> CatalogFingerprint.of(s) }
    }

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
