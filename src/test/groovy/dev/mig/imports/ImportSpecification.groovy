package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection

/** What the import specs share: writing a folder of migrations, importing and running it, and applying the files as their tool would. */
abstract class ImportSpecification extends Specification {

    @TempDir Path tmp

    /** A folder under the spec's temporary folder holding {@code files} (names may hold subfolders). */
    protected Path folder(String name, Map<String, String> files) {
        Path dir = tmp.resolve(name)
        Files.createDirectories(dir)
        files.each { file, text ->
            Files.createDirectories(dir.resolve(file).parent)
            Files.writeString(dir.resolve(file), text)
        }
        dir
    }

    protected static MigCli importing(Path dir, Path out, String... more) {
        MigCli.run(['import', dir.toString(), '--out', out.toString()] + (more as List))
    }

    protected static MigCli running(String db, Path plan, String... more) {
        MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()] + (more as List))
    }

    protected static List<String> stepNames(Path plan) {
        (Files.readString(plan) =~ /step\('([^']*)'\)/).collect { it[1] }
    }

    /**
     * Applies the files as psql -f would, one after the other: each in one transaction, or in
     * autocommit (where a script's own BEGIN/COMMIT is what makes it a transaction).
     */
    protected static void applyInOrder(String db, List<MigrationHistory.Script> scripts) {
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

    protected static List<String> fingerprint(String db) {
        TestPostgres.withSql(db) { Sql s -> CatalogFingerprint.of(s) }
    }
}
