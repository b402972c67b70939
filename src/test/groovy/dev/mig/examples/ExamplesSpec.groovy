package dev.mig.examples

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/**
 * Every plan in dsl-examples/ is run here on embedded PostgreSQL. Each example states what it
 * should do in its header: {@code // expect: exit N} and any number of
 * {@code // expect-output: text}. Examples that succeed are run a second time as a no-op.
 */
class ExamplesSpec extends Specification {

    static List<Path> examples() {
        Files.list(Path.of('dsl-examples')).withCloseable { s ->
            s.filter { it.toString().endsWith('.groovy') }.sorted().toList()
        }
    }

    /** Every example, by name: a new one needs a feature below that says what it shows. */
    static final List<String> NAMED = ['quickstart.groovy', 'sql-error-on-known-line.groovy',
                                       'verify-catches-wrong-column-count.groovy']

    def "every example in dsl-examples/ is named by this spec"() {
        expect:
        examples()*.fileName*.toString() == NAMED
    }

    String url(String db) { TestPostgres.jdbcUrl(db) }

    boolean exists(String db, String relation) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT to_regclass(?) IS NOT NULL AS e', [relation]).e }
    }

    def "dsl-examples/quickstart.groovy builds the bookshop and its search function"() {
        given:
        def db = TestPostgres.createDatabase('quickstart')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/quickstart.groovy'])

        then:
        result.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT title FROM books_by_author('URSULA@example.org')").title } == 'The Dispossessed'
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT step FROM mig.steps WHERE status = \'applied\'').size() } == 6
    }

    def "dsl-examples/sql-error-on-known-line.groovy names sql/broken-embeddings.sql:12 and leaves nothing behind"() {
        given:
        def db = TestPostgres.createDatabase('sqlerror')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/sql-error-on-known-line.groovy'])

        then:
        result.exitCode == 1
        result.out.contains('sql/broken-embeddings.sql:12')
        result.out.contains('SQL State: 42704')
        !exists(db, 'documents')
        !exists(db, 'never_created')
        TestPostgres.withSql(db) { Sql s -> s.rows("SELECT step FROM mig.steps WHERE status = 'applied'") }.isEmpty()
    }

    def "dsl-examples/verify-catches-wrong-column-count.groovy rolls back the table its verify rejects"() {
        given:
        def db = TestPostgres.createDatabase('wrongcount')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/verify-catches-wrong-column-count.groovy'])

        then:
        result.exitCode == 3
        result.out.contains('table chunks: expected 4 columns, found 3 (missing: embedding)')
        !exists(db, 'chunks')
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT status FROM mig.steps WHERE step = 'create chunks'").status } == 'failed'
    }

    @Unroll
    def "dsl-examples/#example.fileName runs as its header says"() {
        given:
        def text = example.toFile().text
        def expectedExit = (text =~ /(?m)^\/\/ expect: exit (\d+)/).with { it.find() ? it.group(1) as int : -1 }
        def expectedOutput = (text =~ /(?m)^\/\/ expect-output: (.+)$/).collect { it[1].trim() }
        def url = TestPostgres.jdbcUrl(TestPostgres.createDatabase('example'))

        expect: 'the header says what to expect'
        expectedExit >= 0

        when:
        def result = MigCli.run(['run', '--url', url, example.toString()])

        then:
        result.exitCode == expectedExit
        expectedOutput.every { result.output.contains(it) }

        when: 'a successful example is run again'
        def rerun = expectedExit == 0 ? MigCli.run(['run', '--url', url, example.toString()]) : null

        then: 'nothing is applied twice: only runAlways steps run again'
        def always = (text =~ /runAlways true/).count
        rerun == null || (rerun.exitCode == 0 && rerun.out =~ /done in .*: ${always} applied, 0 skipped/)

        where:
        example << examples()
    }
}
