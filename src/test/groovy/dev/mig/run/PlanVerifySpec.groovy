package dev.mig.run

import dev.mig.testing.DatabaseSpec
import groovy.json.JsonSlurper

import javax.xml.parsers.DocumentBuilderFactory
import java.nio.file.Files
import java.nio.file.Path

import static dev.mig.report.ReportsSpec.schemaErrors

/**
 * What a run says about the plan-level verify: that it held (with its number of expectations),
 * that it failed, or that it was not checked and why, in the console and in every report
 * (issue 16, part 7).
 */
class PlanVerifySpec extends DatabaseSpec {

    Path plan(String verify) {
        files.write('pv.groovy', """\
            plan('pv') {
                step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' }
                step('books') { tags 'books'; sql 'CREATE TABLE books (id int, author int REFERENCES authors (id))' }
                ${verify}
            }
        """)
    }

    static final String NINE = '''verify {
                    table('authors') { columns 2; primaryKey 'id' }
                    table('books') { columns 2; foreignKey(column: 'author', references: 'authors(id)') }
                    index 'authors_pkey'
                    absent { table 'old_books' }
                    rowCount 'authors', 0
                    rowCount 'books', 0
                    expect('no book without an author') { value('SELECT count(*) FROM books WHERE author IS NULL') == 0 }
                    schema 'public'
                    role 'postgres'
                }'''

    Map reports() {
        [json : files.dir.resolve('pv.json'), junit: files.dir.resolve('pv.xml'), md: files.dir.resolve('pv.md')]
    }

    List<String> reportArgs() {
        reports().collectMany { kind, path -> ['--report', "${kind}:${path}".toString()] }
    }

    static List junitCases(Path junit) {
        def doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile())
        (0..<doc.getElementsByTagName('testcase').length).collect { doc.getElementsByTagName('testcase').item(it) }
    }

    def "a passing plan verify says so, with its number of expectations, in the console and every report"() {
        when:
        def result = mig(*reportArgs(), plan(NINE).toString())

        then:
        result.exitCode == 0
        result.out.readLines()[-2] == '  plan verify: 9 expectations hold'

        and:
        def json = new JsonSlurper().parse(reports().json.toFile())
        json.planVerify == [expectations: 9, checked: true, notChecked: null]
        json.planVerifyFailures == []
        schemaErrors(reports().json) == []

        and: 'JUnit: a passing test case of its own'
        def junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports().junit.toFile()).documentElement
        junit.getAttribute('tests') == '3'
        junit.getAttribute('failures') == '0'
        junit.getAttribute('skipped') == '0'
        def cases = junitCases(reports().junit)
        cases*.getAttribute('name') == ['authors', 'books', 'plan verify']
        cases[2].childNodes.length == 0

        and:
        Files.readString(reports().md).contains('\nPlan verify: 9 expectations hold.\n')

        when: 'the next run, with nothing to apply, checks it again'
        result = mig(plan(NINE).toString())

        then:
        result.out.contains('  2 steps applied earlier\n  plan verify: 9 expectations hold\ndone in ')
    }

    def "a failed plan verify lists its failures and no count; -q shows them too"() {
        when:
        def result = mig(*reportArgs(), plan("verify { table 'authors'; table 'old_books' }").toString())

        then:
        result.exitCode == 3
        result.out.contains('  plan verify: table old_books')
        !result.out.contains('hold')
        new JsonSlurper().parse(reports().json.toFile()).planVerify == [expectations: 2, checked: true, notChecked: null]
        junitCases(reports().junit)[2].getElementsByTagName('failure').item(0).getAttribute('type') == 'verify'
        Files.readString(reports().md).contains('Plan verify: failed.')

        when:
        def quiet = mig('-q', plan("verify { table 'authors'; table 'old_books' }").toString())

        then:
        quiet.exitCode == 3
        quiet.out.readLines()[0].startsWith('  plan verify: table old_books')
        quiet.out.readLines().size() == 2
    }

    def "a plan verify a run does not check says why: #why"() {
        given:
        def p = plan(NINE)
        if (setup) {
            sql { it.execute(setup) }
        }

        when:
        def result = mig(*reportArgs(), *args, p.toString())

        then:
        result.exitCode == exit
        result.out.contains("  plan verify: not checked, ${why}\n")
        def json = new JsonSlurper().parse(reports().json.toFile())
        json.planVerify == [expectations: 9, checked: false, notChecked: why]
        schemaErrors(reports().json) == []
        junitCases(reports().junit)[2].getElementsByTagName('skipped').item(0).getAttribute('message') == "not checked, ${why}"
        Files.readString(reports().md).contains("\nPlan verify: not checked, ${why}.\n")

        where:
        args                   | setup                          | exit | why
        ['--until', 'authors'] | null                           | 0    | '--until runs part of the plan'
        ['--tags', 'books']    | 'CREATE TABLE authors (id int PRIMARY KEY)' | 0 | '--tags runs part of the plan'
        []                     | 'CREATE TABLE books (id int)'  | 1    | 'a step failed'
        ['--keep-going']       | 'CREATE TABLE authors (id int)' | 1   | 'a step failed'
    }

    def "a plan without a plan verify says nothing of one"() {
        when:
        def result = mig(*reportArgs(), plan('').toString())

        then:
        result.exitCode == 0
        !result.out.contains('plan verify')
        new JsonSlurper().parse(reports().json.toFile()).planVerify == [expectations: 0, checked: false, notChecked: null]
        junitCases(reports().junit)*.getAttribute('name') == ['authors', 'books']
        !Files.readString(reports().md).contains('Plan verify')
    }
}
