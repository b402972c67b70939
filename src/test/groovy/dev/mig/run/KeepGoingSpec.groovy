package dev.mig.run

import dev.mig.testing.DatabaseSpec
import groovy.json.JsonSlurper
import groovy.sql.Sql

class KeepGoingSpec extends DatabaseSpec {

    static final String BOOKSHOP = """
        plan('bookshop') {
            step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' }
            step('books') {
                requires 'authors'
                sql '''CREATE TABLE books (id int PRIMARY KEY,
                       publisher_id int REFERENCES publishers (id))'''
            }
            step('book index') {
                requires 'books'
                sql 'CREATE INDEX books_publisher ON books (publisher_id)'
            }
            step('book report') {
                requires 'book index', 'authors'
                sql 'CREATE VIEW book_report AS SELECT count(*) FROM books'
            }
            step('tags') {
                requires 'authors'
                sql 'CREATE TABLE tags (id int, author_id int REFERENCES authors (id))'
            }
            step('optional') {
                guard(message: 'no legacy table') { table('legacy').exists() }
                sql 'DROP TABLE legacy'
            }
            step('genres') { sql 'CREATE TABLE genres (id int)' }
        }
    """

    List<Map> steps() {
        sql { Sql s -> s.rows('SELECT step, status FROM mig.steps ORDER BY position')*.toSpreadMap() }
    }

    List<Map> history() {
        sql { Sql s -> s.rows('SELECT step, outcome FROM mig.history ORDER BY id')*.toSpreadMap() }
    }

    def "after a failure every step whose requires did not fail is tried, and the others are blocked, transitively"() {
        given:
        def plan = files.write('bookshop.groovy', BOOKSHOP)
        def report = files.dir.resolve('report.json')

        when:
        def result = mig('--keep-going', '--report', "json:${report}", plan.toString())

        then: 'a step failed with an error: exit 1'
        result.exitCode == 1

        and: 'the independent steps ran, each in its own transaction; the failed one left nothing'
        exists('authors')
        exists('tags')
        exists('genres')
        !exists('books')
        !exists('books_publisher')
        !exists('book_report')

        and: 'the journal holds what was attempted; blocked steps were not, so they have no rows'
        steps().collectEntries { [it.step, it.status] } == [authors: 'applied', books: 'failed', tags: 'applied',
                                                            optional: 'skipped', genres: 'applied']
        history()*.step == ['authors', 'books', 'tags', 'optional', 'genres']
        history().find { it.step == 'books' }.outcome == 'failed'

        and: 'each blocked step names the requirement and the failed step it waits on'
        result.out =~ /(?m)^  FAILED\s+books  \(\d+ ms\)$/
        result.out =~ /(?m)^  blocked\s+book index  requires 'books', which failed$/
        result.out =~ /(?m)^  blocked\s+book report  requires 'book index', which is blocked by 'books'$/
        result.out =~ /(?m)^  applied\s+tags  \(\d+ ms\)$/

        and: 'the failure block is printed as without --keep-going'
        result.out.contains('SQL State: 42P01')
        result.out.contains('relation "publishers" does not exist')

        and: 'a closing table lists applied, failed, blocked and skipped steps with their reasons'
        tableRows(result.out) == [
                ['applied', 'authors', ''],
                ['FAILED', 'books', 'bookshop.groovy:6: relation "publishers" does not exist (SQL State 42P01)'],
                ['blocked', 'book index', "requires 'books', which failed"],
                ['blocked', 'book report', "requires 'book index', which is blocked by 'books'"],
                ['applied', 'tags', ''],
                ['skipped', 'optional', 'no legacy table (bookshop.groovy:22)'],
                ['applied', 'genres', ''],
        ]
        result.out.readLines().last() =~ /^kept going: 1 step failed in [\d.]+ s: 3 applied, 1 skipped, 0 applied earlier, 1 failed, 2 blocked \(exit 1\)$/

        and: 'the JSON report shows blocked outcomes with blockedBy'
        def json = new JsonSlurper().parse(report.toFile())
        json.keepGoing == true
        json.exitCode == 1
        json.steps.collect { [it.name, it.outcome] } == [['authors', 'applied'], ['books', 'failed'], ['book index', 'blocked'],
                                                         ['book report', 'blocked'], ['tags', 'applied'], ['optional', 'skipped'],
                                                         ['genres', 'applied']]
        json.steps.find { it.name == 'book index' }.blockedBy == ['books']
        json.steps.find { it.name == 'book report' }.blockedBy == ['books']
        json.steps.find { it.name == 'book report' }.reason == "requires 'book index', which is blocked by 'books'"
        json.steps.find { it.name == 'tags' }.blockedBy == null
        json.steps.find { it.name == 'books' }.error.sqlState == '42P01'

        when: 'run again'
        def again = mig('--keep-going', plan.toString())

        then: 'only what did not apply is tried again, and the same steps are blocked'
        again.exitCode == 1
        tableRows(again.out) == [
                ['FAILED', 'books', 'bookshop.groovy:6: relation "publishers" does not exist (SQL State 42P01)'],
                ['blocked', 'book index', "requires 'books', which failed"],
                ['blocked', 'book report', "requires 'book index', which is blocked by 'books'"],
                ['skipped', 'optional', 'no legacy table (bookshop.groovy:22)'],
        ]
        again.out.readLines().last() =~ /: 0 applied, 1 skipped, 3 applied earlier, 1 failed, 2 blocked \(exit 1\)$/
        history()*.step == ['authors', 'books', 'tags', 'optional', 'genres', 'books', 'optional']
    }

    def "without --keep-going the first failure still stops the run and later steps are not run"() {
        given:
        def plan = files.write('bookshop.groovy', BOOKSHOP)
        def report = files.dir.resolve('report.json')

        when:
        def result = mig('--report', "json:${report}", plan.toString())

        then:
        result.exitCode == 1
        exists('authors')
        !exists('tags')
        !exists('genres')
        steps().collectEntries { [it.step, it.status] } == [authors: 'applied', books: 'failed']
        ['book index', 'book report', 'tags', 'optional', 'genres'].every { result.out =~ /(?m)^  not run\s+${it}  an earlier step failed$/ }
        !result.out.contains('blocked')
        !result.out.contains('steps of this run')
        result.out.readLines().last() =~ /^stopped: a step failed in [\d.]+ s: 1 applied, 0 skipped, 0 applied earlier, 1 failed, 5 not run \(exit 1\)$/
        def json = new JsonSlurper().parse(report.toFile())
        json.keepGoing == false
        json.steps*.outcome == ['applied', 'failed', 'not_run', 'not_run', 'not_run', 'not_run', 'not_run']
        json.steps.every { it.blockedBy == null }
    }

    def "a verify failure counts as a failure: its dependents are blocked, the plan-level verify is not run, exit 3"() {
        given:
        def plan = files.write('verify.groovy', """
            plan('verify') {
                step('chunks') {
                    sql 'CREATE TABLE chunks (id int)'
                    verify { table('chunks') { columns 2 } }
                }
                step('chunk index') {
                    requires 'chunks'
                    sql 'CREATE INDEX chunks_id ON chunks (id)'
                }
                step('documents') { sql 'CREATE TABLE documents (id int)' }
                verify { rowCount 'documents', 99 }
            }
        """)
        def report = files.dir.resolve('report.json')

        when:
        def result = mig('--keep-going', '--report', "json:${report}", plan.toString())

        then:
        result.exitCode == 3
        !exists('chunks')
        exists('documents')
        steps().collectEntries { [it.step, it.status] } == [chunks: 'failed', documents: 'applied']
        history().find { it.step == 'chunks' }.outcome == 'verify-failed'
        result.out =~ /(?m)^  blocked\s+chunk index  requires 'chunks', which failed$/
        result.out.contains('  plan verify: not checked, a step failed\n')
        !result.out.contains('expected 99 rows')
        tableRows(result.out) == [
                ['VERIFY FAILED', 'chunks', 'table chunks: expected 2 columns, found 1 (verify.groovy:5)'],
                ['blocked', 'chunk index', "requires 'chunks', which failed"],
                ['applied', 'documents', ''],
        ]
        result.out.readLines().last() =~ /^verification failed in [\d.]+ s: 1 applied, 0 skipped, 0 applied earlier, 1 failed, 1 blocked \(exit 3\)$/
        new JsonSlurper().parse(report.toFile()).steps.find { it.name == 'chunk index' }.blockedBy == ['chunks']
    }

    def "an error and a verify failure in one run exit 1, and a step is blocked by every failed step behind it"() {
        given:
        def plan = files.write('two-failures.groovy', """
            plan('two-failures') {
                step('a') { sql 'CREATE TABLE a (id int)'; verify { table 'not_a' } }
                step('b') { sql 'SELECT 1/0' }
                step('c') { requires 'a' }
                step('d') { requires 'c', 'b' }
                step('e') { sql 'CREATE TABLE e (id int)' }
            }
        """)
        def report = files.dir.resolve('report.json')

        when:
        def result = mig('--keep-going', '--report', "json:${report}", plan.toString())

        then:
        result.exitCode == 1
        exists('e')
        result.out =~ /(?m)^  blocked\s+d  requires 'c', which is blocked by 'a'; 'b', which failed$/
        new JsonSlurper().parse(report.toFile()).steps.find { it.name == 'd' }.blockedBy == ['a', 'b']
        result.out.readLines().last() =~ /^kept going: 2 steps failed .*: 1 applied, 0 skipped, 0 applied earlier, 2 failed, 2 blocked \(exit 1\)$/
    }

    def "with no step failing, --keep-going runs the plan-level verify"() {
        given:
        def plan = files.write('fine.groovy', """
            plan('fine') {
                step('t') { sql 'CREATE TABLE t (id int)' }
                step('u') { requires 't'; sql 'CREATE TABLE u (id int)' }
                verify { rowCount 't', 1 }
            }
        """)

        when:
        def result = mig('--keep-going', plan.toString())

        then: 'the plan-level verify ran (and failed: t is empty)'
        result.exitCode == 3
        result.out =~ /plan verify: .*expected 1 rows, found 0/
        tableRows(result.out)*.take(2) == [['applied', 't'], ['applied', 'u']]
    }

    /** The closing table's rows as [outcome, step, reason], the file names cut to their last part. */
    static List<List<String>> tableRows(String out) {
        out.readLines().dropWhile { !it.startsWith('steps of this run (--keep-going):') }.drop(1)
                .takeWhile { it.startsWith('  ') }
                .collect { line ->
                    def m = line =~ /^  (\S+(?: \S+)?)\s{2,}(.+?)(?:\s{2,}(.*))?$/
                    assert m.matches(): line
                    [m.group(1), m.group(2).trim(), (m.group(3) ?: '').replaceAll(/[^\s(]*\/(\S+\.groovy:\d+)/, '$1')]
                }
    }
}
