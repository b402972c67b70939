package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import org.flywaydb.core.Flyway
import org.flywaydb.core.api.migration.BaseJavaMigration
import org.flywaydb.core.api.migration.Context
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/**
 * Code migrations in the middle of generated histories (issue 13): a Flyway Java migration and a goose Go one. With
 * --skip-code-migrations the plan's run leaves the catalog the SQL files leave (the code migration only updates rows,
 * so its effect is absent on both sides); without it the run stops at that step, naming the file, with every earlier
 * step applied and nothing after it.
 */
class CodeMigrationSpec extends ImportSpecification {

    private static List<String> applied(String db) {
        TestPostgres.withSql(db) { Sql s -> s.rows("SELECT step FROM mig.steps WHERE status = 'applied'")*.step.sort() }
    }

    @Unroll
    def "a generated #format history with a code migration in the middle: skipped with a warning it runs to the files' catalog; kept, the run stops there"() {
        given:
        def history = new MigrationHistory(seed, 120)
        Path dir = tmp.resolve("db/${format}")
        List<MigrationHistory.Script> scripts = writer(history, dir)
        String codeFile = dir.toFile().list().find { it ==~ code }
        int mid = history.changes.size().intdiv(2)            // the writers put the code migration right after this one
        Path plan = tmp.resolve("plans/${format}.groovy")

        when:
        def skipped = importing(dir, plan, '--skip-code-migrations')

        then: 'left out, with a warning naming it; every SQL migration is a step'
        codeFile != null
        skipped.exitCode == 0
        skipped.out.contains("imported ${scripts.size()} ${format} migrations")
        skipped.out.contains("${codeFile}: a ${tool} code migration, left out (--skip-code-migrations); what it does is not in the plan")
        stepNames(plan) == scripts*.file

        when:
        String a = TestPostgres.createDatabase("code_${format}_files")
        String b = TestPostgres.createDatabase("code_${format}_mig")
        applyInOrder(a, scripts)
        def run = running(b, plan)

        then:
        run.exitCode == 0
        fingerprint(a).size() > 120
        fingerprint(b) == fingerprint(a)
        applied(b) == (scripts*.file).sort()

        when: 'imported without the option: a step at its place'
        Path kept = tmp.resolve("kept/${format}.groovy")      // goose writes Up/Down parts beside the plan
        def imported = importing(dir, kept)
        String c = TestPostgres.createDatabase("code_${format}_stops")
        def stopped = running(c, kept)
        String d = TestPostgres.createDatabase("code_${format}_before")
        applyInOrder(d, scripts.take(mid + 1))

        then: 'the run stops at it, exit 1, naming the file; what came before is applied, nothing after it'
        imported.exitCode == 0
        imported.out.contains('1 code migration as steps that fail (or pass --skip-code-migrations)')
        stepNames(kept) == scripts.take(mid + 1)*.file + [codeFile] + scripts.drop(mid + 1)*.file
        stopped.exitCode == 1
        (stopped.out + stopped.err).contains("${codeFile} is a ${format} code migration, which mig cannot run")
        (stopped.out + stopped.err).contains('--skip-code-migrations if nothing after it depends on it')
        !(stopped.out + stopped.err).contains('Exception')
        applied(c) == scripts.take(mid + 1)*.file.sort()
        fingerprint(c) == fingerprint(d)

        where:
        format   | tool     | seed | code                          | writer
        'flyway' | 'Flyway' | 51   | /V\d+(_\d+)*__Backfill_in_java\.java/ | { MigrationHistory h, Path p -> h.writeFlyway(p, true) }
        'goose'  | 'goose'  | 52   | /\d{5}_backfill_in_go\.go/    | { MigrationHistory h, Path p -> MoreFormatsSpec.writeGoose(h, p) }
    }

    def "Flyway Java and Kotlin migrations, source or class, versioned or repeatable, are steps at their place; nested classes and other files are not"() {
        given:
        Path dir = folder('flyway', [
                'V1__a.sql'               : 'CREATE TABLE a (id int);\n',
                'V2__Seed.kt'             : 'class V2__Seed : BaseJavaMigration() { override fun migrate(context: Context) {} }\n',
                'U2__Seed.sql'            : 'SELECT 1;\n',
                'V2_5__Backfill.class'    : 'compiled',
                'V2_5__Backfill.java'     : 'public class V2_5__Backfill extends BaseJavaMigration {}\n',
                'V2_5__Backfill$1.class'  : 'compiled',
                'V3__c.sql'               : 'CREATE TABLE c (id int);\n',
                'R__Refresh.java'         : 'public class R__Refresh extends BaseJavaMigration {}\n',
                'R__view.sql'             : 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n',
                'Helper.java'             : 'class Helper {}\n'])
        Path plan = tmp.resolve('fw.groovy')
        String db = TestPostgres.createDatabase('code_flyway_kinds')

        when:
        def imported = importing(dir, plan)
        def run = running(db, plan)

        then: 'ordered as Flyway orders them: versions part by part, repeatables after, by description'
        imported.exitCode == 0
        stepNames(plan) == ['V1__a.sql', 'V2__Seed.kt', 'V2_5__Backfill.class', 'V3__c.sql', 'R__Refresh.java', 'R__view.sql']
        imported.out.contains('3 code migrations as steps that fail')
        imported.out.contains('V2_5__Backfill.java: the same Flyway migration as V2_5__Backfill.class (source and class), read once')
        imported.out.contains('V2_5__Backfill$1.class: not a .sql file, skipped')
        imported.out.contains('Helper.java: not a .sql file, skipped')
        imported.out.contains('U2__Seed.sql: the undo file of code migration V2__Seed.kt, not imported')
        run.exitCode == 1
        (run.out + run.err).contains('V2__Seed.kt is a flyway code migration, which mig cannot run')
        applied(db) == ['V1__a.sql']
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('c') IS NULL AS t").t }

        when:
        def skipped = importing(dir, plan, '--force', '--skip-code-migrations')
        def again = running(db, plan)

        then:
        skipped.exitCode == 0
        stepNames(plan) == ['V1__a.sql', 'V3__c.sql', 'R__view.sql']
        ['V2__Seed.kt', 'V2_5__Backfill.class', 'R__Refresh.java'].every {
            skipped.out.contains("${it}: a Flyway code migration, left out (--skip-code-migrations)")
        }
        again.exitCode == 0
        applied(db) == ['R__view.sql', 'V1__a.sql', 'V3__c.sql']
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('v') IS NOT NULL AS t").t }
    }

    def "a Flyway code migration sharing a version or description with another migration is an error naming both files"() {
        given:
        Path versions = folder('v', ['V1__a.sql': 'SELECT 1;\n', 'V2__b.sql': 'SELECT 2;\n', 'V2_0__Backfill.java': 'class X {}\n'])
        Path repeatables = folder('r', ['V1__a.sql': 'SELECT 1;\n', 'R__views.sql': 'SELECT 2;\n', 'R__views.kt': 'class X\n'])

        expect:
        with(importing(versions, tmp.resolve('v.groovy'))) {
            exitCode == 2
            err.contains('two migrations of version 2_0 in') && err.contains('V2__b.sql and V2_0__Backfill.java')
            err.contains('rename or remove one')
            !err.contains('Exception')
        }
        with(importing(repeatables, tmp.resolve('r.groovy'))) {
            exitCode == 2
            err.contains("two migrations of repeatable 'views' in") && err.contains('R__views.sql and R__views.kt')
        }
        !Files.exists(tmp.resolve('v.groovy'))
    }

    def "a Java migration real Flyway applied is adopted with the SQL ones (its class name matches the file); mig run then applies only the rest"() {
        given: 'real Flyway migrates V1 (SQL) and V2_5__Backfill (Java, this spec\'s class) and stops before V3'
        Path dir = folder('fwjava', [
                'V1__a.sql'          : 'CREATE TABLE a (id int, note text);\nINSERT INTO a VALUES (1, null);\n',
                'V2_5__Backfill.java': 'public class V2_5__Backfill extends BaseJavaMigration { /* UPDATE a SET note = ... */ }\n',
                'V3__c.sql'          : 'CREATE TABLE c (id int);\n'])
        String db = TestPostgres.createDatabase('code_flyway_adopt')
        assert Flyway.configure().dataSource(TestPostgres.jdbcUrl(db), null, null).locations('filesystem:' + dir)
                .javaMigrations(new V2_5__Backfill()).target('2.5').load().migrate().migrationsExecuted == 2
        assert TestPostgres.withSql(db) { Sql s -> s.rows("SELECT type, script FROM flyway_schema_history ORDER BY installed_rank")
                .collect { "${it.type}|${it.script}".toString() } } == ['SQL|V1__a.sql', 'JDBC|dev.mig.imports.V2_5__Backfill']
        Path plan = tmp.resolve('fwjava.groovy')

        when:
        def adopted = MigCli.run(['import', dir.toString(), '--out', plan.toString(), '--adopt', TestPostgres.jdbcUrl(db)])
        def run = running(db, plan)

        then: 'the Java step is adopted, so its failing SQL never runs; only V3 runs'
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from public.flyway_schema_history')
        TestPostgres.withSql(db) { Sql s -> s.rows("SELECT step, notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id")
                .collect { "${it.step}|${it.notices}".toString() } } == [
                'V1__a.sql|adopted from public.flyway_schema_history installed_rank 1 (V1__a.sql)',
                'V2_5__Backfill.java|adopted from public.flyway_schema_history installed_rank 2 (dev.mig.imports.V2_5__Backfill)']
        run.exitCode == 0
        applied(db) == ['V1__a.sql', 'V2_5__Backfill.java', 'V3__c.sql']
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT note FROM a').note } == 'backfilled by Java'

        when: 'a Java migration whose class Flyway recorded under another name is drift'
        Files.move(dir.resolve('V2_5__Backfill.java'), dir.resolve('V2_5__Renamed.java'))
        def renamed = MigCli.run(['import', dir.toString(), '--out', plan.toString(), '--force', '--adopt', TestPostgres.jdbcUrl(db)])

        then:
        renamed.exitCode == 5
        renamed.err.contains('V2_5__Renamed.java: Flyway applied version 2.5 as dev.mig.imports.V2_5__Backfill')

        when: 'imported with --skip-code-migrations, the row Flyway wrote for it has no step: the error says why'
        Files.move(dir.resolve('V2_5__Renamed.java'), dir.resolve('V2_5__Backfill.java'))
        def skipped = MigCli.run(['import', dir.toString(), '--out', plan.toString(), '--force', '--skip-code-migrations',
                                  '--adopt', TestPostgres.jdbcUrl(db)])

        then:
        skipped.exitCode == 5
        skipped.err.contains('installed_rank 2 (dev.mig.imports.V2_5__Backfill): version 2.5 has no file in the folder')
        skipped.err.contains('code migrations left out by --skip-code-migrations have no step: import without it to adopt one the tool applied')
    }
}

/** A Flyway Java migration, as a project has it: a backfill that only updates rows. */
class V2_5__Backfill extends BaseJavaMigration {
    @Override
    void migrate(Context context) throws Exception {
        context.connection.createStatement().withCloseable { it.executeUpdate("UPDATE a SET note = 'backfilled by Java'") }
    }
}
