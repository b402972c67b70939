package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.Fingerprint
import dev.mig.testing.MigCli
import groovy.sql.Sql

class BaselineSpec extends DatabaseSpec {

    static final String SHOP = """
        plan('shop') {
            step('authors') {
                sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)'
                verify { table('authors') { columns 2 } }
            }
            step('books') {
                sql 'CREATE TABLE books (id int PRIMARY KEY, title text, author_id int)'
                verify { table('books') { columns 3 } }
            }
            step('grants') { sql 'GRANT SELECT ON authors TO PUBLIC' }
        }
    """

    MigCli baseline(String... args) {
        MigCli.run(['baseline', '--url', url] + (args as List))
    }

    Map schema() {
        sql { Sql s -> Fingerprint.schema(s, 'mig') }
    }

    Map<String, String> steps() {
        sql { Sql s -> s.rows('SELECT step, status FROM mig.steps ORDER BY position').collectEntries { [it.step, it.status] } }
    }

    def "baseline marks as applied exactly the steps whose verify blocks hold, reports the others, and changes no schema"() {
        given: 'a database made without mig, where books lacks a column'
        sql { Sql s ->
            s.execute('CREATE TABLE authors (id int PRIMARY KEY, name text)')
            s.execute('CREATE TABLE books (id int PRIMARY KEY, title text)')
        }
        def plan = files.write('shop.groovy', SHOP)
        def before = schema()

        when:
        def result = baseline(plan.toString())

        then: 'some steps were not baselined: exit 3'
        result.exitCode == 3
        result.out =~ /(?m)^  baselined\s+authors  verify holds \(1 expectation\)$/
        result.out =~ /(?m)^  not baselined\s+books  verify does not hold:$/
        result.out =~ /(?m)^      verify: .*books.* \(.*shop\.groovy:\d+\)$/
        result.out =~ /(?m)^  not baselined\s+grants  no verify block: cannot tell \(.*shop\.groovy:\d+\)$/
        result.out.readLines().last() == 'baseline: 1 step marked as applied, 2 not (mig run would run them); no schema was changed (exit 3)'

        and: 'the journal was created and holds exactly the step that verified'
        steps() == [authors: 'applied']
        sql { Sql s -> s.rows('SELECT step, outcome FROM mig.history').collect { [it.step, it.outcome] } } == [['authors', 'baselined']]

        and: 'no schema outside the journal changed'
        schema() == before

        when: 'a run then runs only the steps not baselined'
        def run = mig(plan.toString())

        then: 'books fails, as the table is there: baseline did not pretend it was applied'
        run.exitCode == 1
        run.out =~ /(?m)^  FAILED\s+books/
        !(run.out =~ /(?m)^  applied\s+authors/)
    }

    def "when every step verifies, baseline exits 0 and a run afterwards has nothing to do"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE authors (id int PRIMARY KEY, name text)')
            s.execute('CREATE TABLE books (id int PRIMARY KEY, title text, author_id int)')
        }
        def plan = files.write('shop.groovy', """
            plan('shop') {
                step('authors') {
                    sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)'
                    verify { table('authors') { columns 2 } }
                }
                step('books') {
                    sql 'CREATE TABLE books (id int PRIMARY KEY, title text, author_id int)'
                    verify { table('books') { columns 3 } }
                }
            }
        """)
        def before = schema()

        when:
        def result = baseline(plan.toString())

        then:
        result.exitCode == 0
        result.out.readLines().last() == 'baseline: 2 steps marked as applied, 0 not; no schema was changed (exit 0)'
        steps() == [authors: 'applied', books: 'applied']
        schema() == before

        when: 'a second baseline and a run'
        def again = baseline(plan.toString())
        def run = mig(plan.toString())

        then:
        again.exitCode == 0
        again.out.contains('  2 steps applied earlier')
        run.exitCode == 0
        run.out.contains('0 applied, 0 skipped, 2 applied earlier')
        schema() == before
    }

    def "baseline where no verify holds marks nothing and needs a target"() {
        given:
        def plan = files.write('shop.groovy', SHOP)
        def before = schema()

        expect:
        with(baseline(plan.toString())) {
            exitCode == 3
            out.contains('baseline: 0 steps marked as applied, 3 not')
        }
        steps() == [:]
        schema() == before
        with(MigCli.run(['baseline', plan.toString()])) {
            exitCode == 2
            err.contains('mig baseline needs a database: none was given')
        }
    }
}
