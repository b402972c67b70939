package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

/** Issue 16: mig baseline takes the selection of mig run (--until, --tags, --skip-tags, --[no-]with-requires). */
class BaselineSelectionSpec extends DatabaseSpec {

    // production has authors and books; the plan already holds the next step, 'reviews'
    static final String SHOP = """
        plan('shop') {
            step('authors') {
                tags 'legacy'
                sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)'
                verify { table('authors') { columns 2 } }
            }
            step('books') {
                tags 'legacy'
                requires 'authors'
                sql 'CREATE TABLE books (id int PRIMARY KEY, title text, author_id int)'
                verify { table('books') { columns 3 } }
            }
            step('book titles') {
                tags 'search'
                requires 'books'
                sql 'CREATE INDEX book_titles ON books (title)'
                verify { index('book_titles') }
            }
            step('reviews') {
                tags 'next'
                requires 'books'
                sql 'CREATE TABLE reviews (id int PRIMARY KEY, book_id int)'
                verify { table('reviews') { columns 2 } }
            }
        }
    """

    MigCli baseline(String... args) {
        MigCli.run(['baseline', '--url', url] + (args as List))
    }

    Map<String, String> steps() {
        sql { Sql s -> s.rows('SELECT step, status FROM mig.steps ORDER BY position').collectEntries { [it.step, it.status] } }
    }

    void production() {
        sql { Sql s ->
            s.execute('CREATE TABLE authors (id int PRIMARY KEY, name text)')
            s.execute('CREATE TABLE books (id int PRIMARY KEY, title text, author_id int)')
            s.execute('CREATE INDEX book_titles ON books (title)')
        }
    }

    def "baseline --until marks the steps up to production's; the next step stays pending and a run applies only it"() {
        given:
        production()
        def plan = files.write('shop.groovy', SHOP)

        expect: 'without --until the new step does not verify: exit 3'
        with(baseline(plan.toString())) {
            exitCode == 3
            out =~ /(?m)^  not baselined\s+reviews  verify does not hold:$/
        }
        steps() == [authors: 'applied', books: 'applied', 'book titles': 'applied']

        when: 'on a fresh journal, with --until'
        sql { Sql s -> s.execute('DROP SCHEMA mig CASCADE') }
        def result = baseline('--until', 'book titles', plan.toString())

        then:
        result.exitCode == 0
        result.out.contains("selection: --until 'book titles' (3 steps)\n")
        result.out =~ /(?m)^  baselined\s+book titles  verify holds \(1 expectation\)$/
        !result.out.contains('not baselined')
        result.out.contains("  1 step not selected, left pending: 'reviews'\n")
        result.out.readLines().last() == ('baseline: 3 steps marked as applied, 0 not, 1 not selected (mig run would run them);'
                + ' no schema was changed (exit 0)')
        steps() == [authors: 'applied', books: 'applied', 'book titles': 'applied']
        !exists('reviews')

        when: 'a run applies only the step left pending'
        def run = mig(plan.toString())

        then:
        run.exitCode == 0
        run.out =~ /(?m)^  applied\s+reviews/
        run.out.contains('1 applied, 0 skipped, 3 applied earlier')
        steps().reviews == 'applied'
        sql { Sql s -> s.rows("SELECT step, outcome FROM mig.history ORDER BY id").collect { [it.step, it.outcome] } } ==
                [['authors', 'baselined'], ['books', 'baselined'], ['book titles', 'baselined'], ['reviews', 'applied']]
    }

    def "baseline --tags marks the selected steps and the pending steps they require; --skip-tags leaves some out"() {
        given:
        production()
        def plan = files.write('shop.groovy', SHOP)

        when:
        def result = baseline('--tags', 'search', plan.toString())

        then:
        result.exitCode == 0
        result.out.contains("selection: --tags search (1 step) + 2 steps they require: 'authors', 'books'")
        result.out.contains("  1 step not selected, left pending: 'reviews'")
        steps() == [authors: 'applied', books: 'applied', 'book titles': 'applied']

        when: 'with --no-with-requires only the tagged steps, on a fresh journal'
        sql { Sql s -> s.execute('DROP SCHEMA mig CASCADE') }
        result = baseline('--tags', 'search', '--no-with-requires', plan.toString())

        then:
        result.exitCode == 0
        result.out.contains('selection: --tags search --no-with-requires (1 step)\n')
        result.out.contains("  3 steps not selected, left pending: 'authors', 'books', 'reviews'")
        steps() == ['book titles': 'applied']

        when: '--skip-tags, on a fresh journal'
        sql { Sql s -> s.execute('DROP SCHEMA mig CASCADE') }
        result = baseline('--skip-tags', 'next', plan.toString())

        then:
        result.exitCode == 0
        result.out.contains("selection: --skip-tags next (3 steps); --skip-tags leaves out 1: 'reviews'")
        steps() == [authors: 'applied', books: 'applied', 'book titles': 'applied']
    }

    def "baseline checks the selection as a run does: a typo, and a skipped requirement, are exit 2 and mark nothing"() {
        given:
        production()
        def plan = files.write('shop.groovy', SHOP).toString()

        expect:
        with(baseline('--tags', 'serch', plan)) {
            exitCode == 2
            err.contains("--tags 'serch': no step of plan 'shop' has this tag")
            err.contains("did you mean 'search'?")
        }
        with(baseline('--until', 'book title', plan)) {
            exitCode == 2
            err.contains("--until names no step of plan 'shop': 'book title'")
        }
        with(baseline('--tags', 'search', '--skip-tags', 'legacy', plan)) {
            exitCode == 2
            err.contains("step 'book titles' requires 'books', which --skip-tags legacy leaves out (tag legacy) and which is"
                    + ' not applied on this database; nothing was run')
        }
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'mig'").n == 0
                || s.firstRow('SELECT count(*) AS n FROM mig.steps').n == 0 }
    }
}
