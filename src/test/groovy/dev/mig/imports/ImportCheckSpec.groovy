package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import dev.mig.catalog.SchemaFingerprint
import groovy.sql.Sql
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/** mig import --check: the plan and the files by the tool's rules on two throwaway databases, their catalogs compared. */
class ImportCheckSpec extends ImportSpecification {

    static final String TIMINGS = /plan \d+\.\ds, files \d+\.\ds/

    /** The check's throwaway databases on the test server (none may be left after a check). */
    private static List<String> checkDatabases() {
        TestPostgres.withSql('postgres') { Sql s -> s.rows("SELECT datname FROM pg_database WHERE datname LIKE 'mig_check_%'")*.datname }
    }

    private static String shadowUrl() {
        TestPostgres.jdbcUrl('postgres')
    }

    @Unroll
    def "a generated #format history of #size migrations: --check (#shadow) says same schema, with its timings, and exit 0"() {
        given:
        def history = new MigrationHistory(seed, size)
        Path dir = tmp.resolve(format)
        List<MigrationHistory.Script> scripts = writer(history, dir)
        Path plan = tmp.resolve("plans/${format}.groovy")
        List<String> before = checkDatabases()

        when:
        def imported = importing(dir, plan, *(['--check'] + (shadow == 'embedded' ? [] : ['--shadow', shadowUrl()])))
        def same = imported.out.readLines().find { it.startsWith('check: same schema') }

        then:
        imported.exitCode == 0
        format in ['popx', 'prisma', 'sqlx', 'dbmate'] || imported.out.contains("imported ${scripts.size() + (format == 'goose' ? 1 : 0)} ${format} migrations")
        imported.out =~ /imported \d{3} ${format} migrations/
        same =~ /check: same schema \(\d{3,} objects and the row counts of \d+ tables compared; / + TIMINGS + /\)/
        (same =~ /(\d+) objects/)[0][1].toInteger() > size
        format != 'goose' || imported.out.contains('check: 1 code migration not replayed: 00' )
        format != 'goose' || imported.out =~ /not replayed: \d+_backfill_in_go\.go \(neither side can run it; the check cannot prove what it does\)/
        shadow == 'embedded' ? imported.out.contains('check: started embedded PostgreSQL') : imported.out =~ /; both on postgresql:\/\/postgres@localhost:\d+\/postgres, dropped at the end/
        checkDatabases() == before

        where:
        format      | writer                                                                  | seed | size | shadow
        'flyway'    | { MigrationHistory h, Path d -> h.writeFlyway(d) }                      | 61   | 110  | 'embedded'
        'goose'     | { MigrationHistory h, Path d -> MoreFormatsSpec.writeGoose(h, d) }      | 62   | 100  | 'the test server'
        'sqitch'    | { MigrationHistory h, Path d -> SqitchLiquibaseSpec.writeSqitch(h, d) } | 63   | 100  | 'the test server'
        'liquibase' | { MigrationHistory h, Path d -> SqitchLiquibaseSpec.writeLiquibase(h, d) } | 64 | 100  | 'the test server'
        'dbmate'    | { MigrationHistory h, Path d -> h.writeDbmate(d) }                      | 65   | 100  | 'the test server'
        'prisma'    | { MigrationHistory h, Path d -> MoreFormatsSpec.writePrisma(h, d) }     | 66   | 100  | 'the test server'
        'popx'      | { MigrationHistory h, Path d -> MoreFormatsSpec.writePopx(h, d) }       | 67   | 100  | 'the test server'
        'sqlx'      | { MigrationHistory h, Path d -> MoreFormatsSpec.writeSqlx(h, d) }       | 68   | 100  | 'the test server'
    }

    def "the check's fingerprint (catalog.SchemaFingerprint) is the tests' reference CatalogFingerprint, sorted, on a generated history; its diff is over sorted lines, once per extra copy"() {
        given:
        def history = new MigrationHistory(69, 120)
        List<MigrationHistory.Script> scripts = history.writeFlyway(tmp.resolve('ref'))
        String db = TestPostgres.createDatabase('check_reference')
        applyInOrder(db, scripts)

        when:
        List<String> lines = TestPostgres.withSql(db) { Sql s -> SchemaFingerprint.of(s.connection, 'mig').lines() }

        then:
        lines.size() > 300
        lines == fingerprint(db).sort()
        new SchemaFingerprint(['b', 'a', 'b', 'x']).diff(new SchemaFingerprint(['c', 'b', 'x'])) ==
                [new SchemaFingerprint.Difference(true, 'a'), new SchemaFingerprint.Difference(true, 'b'), new SchemaFingerprint.Difference(false, 'c')]
    }

    def "a Flyway file with \${flyway:user} in a COMMENT ON TABLE: mig replaces it as Flyway does: the same schema, exit 0"() {
        given:
        Path dir = folder('fw', [
                'V1__accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\nINSERT INTO accounts VALUES (1, \'a\');\n',
                'V2__comment.sql' : 'COMMENT ON TABLE accounts IS \'owned by ${flyway:user}\';\n',
                'V3__more.sql'    : 'ALTER TABLE accounts ADD COLUMN note text;\n'])
        Path plan = tmp.resolve('fw.groovy')

        when:
        def imported = importing(dir, plan, '--check', '--shadow', shadowUrl())

        then:
        imported.exitCode == 0
        imported.out.contains('check: same schema')
        !imported.out.contains('placeholder')
        stepNames(plan) == ['V1__accounts.sql', 'V2__comment.sql', 'V3__more.sql']
        !imported.output.contains('Exception')
    }

    def "a Flyway file writing \\\${flyway:user}: Flyway replaces it, mig keeps the text, so the schema differs (exit 5) with the hint"() {
        given:
        Path dir = folder('fw-esc', [
                'V1__accounts.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n',
                'V2__comment.sql' : 'COMMENT ON TABLE accounts IS \'owned by \\${flyway:user}\';\n'])
        Path plan = tmp.resolve('esc.groovy')

        when:
        def imported = importing(dir, plan, '--check', '--shadow', shadowUrl())

        then:
        imported.exitCode == 5
        imported.out.contains('  only after the plan: comment table public.accounts IS owned by ${flyway:user}')
        imported.out.contains('  only after the files: comment table public.accounts IS owned by \\')
        imported.out.contains('hint: Flyway substitutes \\${...} as a placeholder, mig reads it as the text ${...} (in V2__comment.sql)')
        Files.exists(plan)
        !imported.output.contains('Exception')
    }

    def "a Flyway user placeholder the plan declares without a value: the check stops with the placeholder and where to fill it (exit 2)"() {
        given:
        Path dir = folder('fw-user', ['V1__a.sql': 'CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS \'team ${team}\';\n'])
        Path plan = tmp.resolve('user.groovy')

        when:
        def imported = importing(dir, plan, '--check', '--shadow', shadowUrl())

        then:
        imported.exitCode == 2
        imported.output.contains('V1__a.sql:2: placeholder ${team} has no value (the plan declares it without one at ')
        imported.output.contains('--set team=')
        Files.readString(plan).contains('placeholders(team: null)    // fill in: used in V1__a.sql:2')
        !imported.output.contains('Exception')
    }

    def "a file that fails by the tool's rules (Flyway replaces \\\${flyway:user}, mig does not: it divides by zero) is exit 1 naming the file and the error, and the --shadow databases are dropped"() {
        given:
        Path dir = folder('fw-fail', [
                'V1__a.sql'    : 'CREATE TABLE a (id int);\n',
                'V2__guard.sql': 'CREATE TABLE b (id int);\nSELECT 1 / (CASE WHEN \'\\${flyway:user}\' = \'\\\' || current_user THEN 0 ELSE 1 END);\n'])
        Path plan = tmp.resolve('fail.groovy')
        List<String> before = checkDatabases()

        when: 'a --shadow URL with a password (the test server trusts it; it must not be printed)'
        def imported = importing(dir, plan, '--check', '--shadow', "postgres://postgres:s3cret@localhost:${TestPostgres.port()}/postgres".toString())

        then:
        imported.exitCode == 1
        !imported.output.contains('s3cret')
        imported.output.contains('check: migration V2__guard.sql (')
        imported.output.contains('V2__guard.sql) failed on the shadow of the files: ERROR: division by zero (SQL State 22012)')
        !imported.output.contains('differs')
        !imported.output.contains('Exception')
        Files.exists(plan)
        checkDatabases() == before
    }

    def "a step that fails on the plan's shadow is exit 1 naming the step, the file:line and the database error"() {
        given:
        Path dir = folder('gm', [
                '1_a.up.sql': 'CREATE TABLE a (id int);\n',
                '2_b.up.sql': 'CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO nowhere VALUES (1);\n'])
        Path plan = tmp.resolve('gm.groovy')

        when:
        def imported = importing(dir, plan, '--check', '--shadow', shadowUrl())

        then:
        imported.exitCode == 1
        imported.output.contains("check: step '2_b.up.sql' of the plan failed on its shadow: ")
        imported.output =~ /2_b\.up\.sql:3: relation "nowhere" does not exist \(SQL State 42P01\)/
        !imported.output.contains('Exception')
    }

    def "a Flyway file using \${flyway:defaultSchema} runs in mig with the current schema: the same schema"() {
        given:
        Path dir = folder('fw-schema', ['V1__a.sql': 'CREATE TABLE ${flyway:defaultSchema}.a (id int);\n'])

        when:
        def imported = importing(dir, tmp.resolve('schema.groovy'), '--check', '--shadow', shadowUrl())

        then:
        imported.exitCode == 0
        imported.output.contains('check: same schema')
    }

    def "--shadow naming the --adopt database is refused (exit 2) before anything is written; --shadow without --check too"() {
        given:
        Path dir = folder('fw-refuse', ['V1__a.sql': 'CREATE TABLE a (id int);\n'])
        Path plan = tmp.resolve('refuse.groovy')
        String target = TestPostgres.createDatabase('check_refuse')
        String url = "postgres://postgres@localhost:${TestPostgres.port()}/${target}".toString()

        when:
        def same = importing(dir, plan, '--check', '--shadow', url, '--adopt', TestPostgres.jdbcUrl(target))
        def alone = importing(dir, plan, '--shadow', url)

        then:
        same.exitCode == 2
        same.output.contains("is the --adopt database; the check never touches it")
        alone.exitCode == 2
        alone.output.contains('--shadow is where --check replays the import')
        !Files.exists(plan)
    }
}
