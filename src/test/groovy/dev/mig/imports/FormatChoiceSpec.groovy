package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/**
 * mig import says which format it chose and why (issue 13): the marker or name pattern auto
 * detection saw, with one file, on the first line of its output and as a comment at the top of
 * the plan; "as asked" when --format named it. The plans are then run on real PostgreSQL.
 */
class FormatChoiceSpec extends ImportSpecification {

    private static List<String> tables(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")*.tablename
        }
    }

    def "auto detection says the format and the marker or name it saw, on the first line and atop the plan; the plan runs"() {
        given:
        Path dir = folder(name, files)
        Path plan = tmp.resolve(name + '.groovy')
        String db = TestPostgres.createDatabase('choice_' + name)

        when:
        def imported = importing(dir, plan)
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then:
        imported.exitCode == 0
        imported.out.readLines()[0].endsWith("; format ${why}")
        Files.readString(plan).readLines()[1] == "// Format ${why}"
        run.exitCode == 0
        tables(db) == made

        where:
        name     | files                                                                                  || why                                                                       | made
        'goose'  | ['00002_b.sql': '-- +goose Up\nCREATE TABLE b (id int);\n-- +goose Down\nDROP TABLE b;\n',
                    '00001_a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n']                  || 'goose: -- +goose Up in 00001_a.sql'                                        | ['a', 'b']
        'prisma' | ['20240101000000_init/migration.sql': 'CREATE TABLE a (id int);\n',
                    '20240102000000_more/migration.sql': 'CREATE TABLE b (id int);\n']                    || 'prisma: 20240101000000_init/migration.sql folders'                        | ['a', 'b']
        'prismalock' | ['migration_lock.toml': 'provider = "postgresql"\n',
                    '20240101000000_init/migration.sql': 'CREATE TABLE a (id int);\n']                    || 'prisma: migration_lock.toml'                                              | ['a']
        'sqitch' | ['sqitch.plan': '%project=p\n\na 2024-01-01T00:00:00Z M <m@x> # a\n',
                    'deploy/a.sql': 'CREATE TABLE a (id int);\n']                                         || 'sqitch: sqitch.plan'                                                      | ['a']
        'flyway' | ['V1__a.sql': 'CREATE TABLE a (id int);\n', 'V2__b.sql': 'CREATE TABLE b (id int);\n'] || 'flyway: V1__a.sql (V<version>__<desc>.sql, R__<desc>.sql names)'          | ['a', 'b']
        'dbmate' | ['20240101000000_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n'] || 'dbmate: -- migrate:up in 20240101000000_a.sql'                | ['a']
        'plain'  | ['10_b.sql': 'CREATE TABLE b (id int);\n', '2_a.sql': 'CREATE TABLE a (id int);\n']   || "plain: no other tool's marker or file names in the 2 .sql files (e.g. 10_b.sql)" | ['a', 'b']
    }

    def "--format says it was asked for, not detected"() {
        given: 'goose files, read as goose because --format says so'
        Path dir = folder('asked', ['00001_a.sql': '-- +goose Up\nCREATE TABLE a (id int);\n'])
        Path plan = tmp.resolve('asked.groovy')

        when:
        def imported = importing(dir, plan, '--format', 'goose')

        then:
        imported.exitCode == 0
        imported.out.readLines()[0].endsWith('; format goose: as asked (--format goose)')
        Files.readString(plan).readLines()[1] == '// Format goose: as asked (--format goose)'
    }

    def "the reason is made printable: a control character in the marker line is escaped, on the terminal and in the plan"() {
        given:
        Path dir = folder('hostile', ['20240101000000_a.sql': '-- migrate:up \u001b[31mred\r\nCREATE TABLE a (id int);\n'])
        Path plan = tmp.resolve('hostile.groovy')

        when:
        def imported = importing(dir, plan)

        then:
        imported.exitCode == 0
        !imported.out.contains('\u001b')
        !Files.readString(plan).contains('\u001b')
        Files.readString(plan).readLines()[1].startsWith('// Format dbmate: -- migrate:up ')
    }
}
