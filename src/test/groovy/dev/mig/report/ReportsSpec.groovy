package dev.mig.report

import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.InputFormat
import com.networknt.schema.SchemaRegistry
import com.networknt.schema.SpecificationVersion
import dev.mig.testing.DatabaseSpec
import groovy.json.JsonSlurper

import javax.xml.parsers.DocumentBuilderFactory
import java.nio.file.Files
import java.nio.file.Path

class ReportsSpec extends DatabaseSpec {

    static final Path SCHEMA = Path.of('docs/report.schema.json')

    /** The schema's errors for a report, through a draft 2020-12 validator; empty when it conforms. */
    static List<String> schemaErrors(Path report) {
        def schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(SCHEMA), InputFormat.JSON)
        schema.validate(new ObjectMapper().readTree(report.toFile()))*.toString()
    }

    static org.w3c.dom.Document xml(Path file) {
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
    }

    Path keepGoingPlan() {
        files.write('sql/bad.sql', '''\
            DO $$ BEGIN RAISE EXCEPTION 'bad <&" thing' USING HINT = 'fix <it> & "rerun"'; END $$;
            '''.stripIndent())
        files.write('reports.groovy', '''
            plan('reports') {
                step('create authors') { sql 'CREATE TABLE authors (id int)' }
                step('livres élégants') { sqlFile 'sql/bad.sql' }
                step('index livres') {
                    requires 'livres élégants'
                    sql 'CREATE INDEX ON authors (id)'
                }
                step('shelves') {
                    sql 'CREATE TABLE shelves (id int)'
                    verify { table('shelves') { columns 3 }; table 'no_such' }
                }
                step('needs vector') {
                    guard(onFalse: 'fail', message: 'install pgvector first') { extension('vector').exists() }
                    sql 'SELECT 1'
                }
                step('maybe') {
                    guard { false }
                    sql 'SELECT 1'
                }
            }
        ''')
    }

    def "json, junit and md reports of one run, each written whole"() {
        given:
        def plan = keepGoingPlan()
        def json = files.dir.resolve('out/report.json')
        def junit = files.dir.resolve('out/junit.xml')
        def md = files.dir.resolve('out/summary.md')

        when:
        def result = mig('--keep-going', '--report', "json:${json}", '--report', "junit:${junit}", '--report', "md:${md}",
                plan.toString())

        then:
        result.exitCode == 1

        and: 'the JSON report keeps its shape and conforms to docs/report.schema.json'
        def report = new JsonSlurper().parse(json.toFile())
        report.steps*.outcome == ['applied', 'failed', 'blocked', 'verify_failed', 'failed', 'skipped']
        report.steps[1].error.sqlState == 'P0001'
        report.steps[1].error.message == 'bad <&" thing'
        report.steps[2].blockedBy == ['livres élégants']
        schemaErrors(json) == []
        Files.readString(json).contains('"keepGoing": true')

        and: 'the JUnit report: one test case per step, counts, escaping'
        def doc = xml(junit)
        def suite = doc.documentElement
        suite.tagName == 'testsuite'
        suite.getAttribute('name') == 'reports'
        suite.getAttribute('tests') == '6'
        suite.getAttribute('failures') == '3'
        suite.getAttribute('errors') == '0'
        suite.getAttribute('skipped') == '2'
        suite.getAttribute('time') ==~ /\d+\.\d{3}/
        def cases = (0..<doc.getElementsByTagName('testcase').length).collect { doc.getElementsByTagName('testcase').item(it) }
        cases*.getAttribute('name') == ['create authors', 'livres élégants', 'index livres', 'shelves', 'needs vector', 'maybe']
        cases.every { it.getAttribute('classname') == 'reports' && it.getAttribute('time') ==~ /\d+\.\d{3}/ }
        cases[0].childNodes.length == 0

        def sqlFailure = cases[1].getElementsByTagName('failure').item(0)
        sqlFailure.getAttribute('type') == 'P0001'
        sqlFailure.getAttribute('message').endsWith('sql/bad.sql:1: bad <&" thing')
        sqlFailure.textContent =~ /Step:      'livres élégants' \(.*reports.groovy:4\)/
        sqlFailure.textContent.contains('SQL State: P0001')
        sqlFailure.textContent.contains('Hint:      fix <it> & "rerun"')

        cases[2].getElementsByTagName('skipped').item(0).getAttribute('message') == "blocked: requires 'livres élégants', which failed"

        def verifyFailure = cases[3].getElementsByTagName('failure')
        verifyFailure.length == 1
        verifyFailure.item(0).getAttribute('type') == 'verify'
        verifyFailure.item(0).getAttribute('message').contains('(and 1 more)')
        verifyFailure.item(0).textContent.readLines().count { it.contains('shelves') || it.contains('no_such') } >= 2

        cases[4].getElementsByTagName('failure').item(0).getAttribute('type') == 'mig'
        cases[4].getElementsByTagName('failure').item(0).getAttribute('message').contains('install pgvector first')
        cases[5].getElementsByTagName('skipped').length == 1

        and: 'the raw XML escapes what it must'
        def raw = Files.readString(junit)
        raw.startsWith('<?xml version="1.0" encoding="UTF-8"?>')
        raw.contains('bad &lt;&amp;')

        and: 'the Markdown summary'
        def text = Files.readString(md)
        text.readLines()[0] ==~ /## mig run `reports` on `.+`: failed \(exit 1\)/
        text.contains('| step | outcome | time | note |')
        text.contains('| create authors | applied | ')
        text.contains("| index livres | blocked |  | requires 'livres élégants', which failed |")
        text.contains('### Failures')
        text.contains("**livres élégants** (FAILED)\n\n```\nStep:      'livres élégants'")
        text.contains('SQL State: P0001')
        text.readLines().last() ==~ /Total: \d+\.\d s, 1 applied, 1 skipped, 0 applied earlier, 3 failed, 1 blocked, 0 not run\./

        and: 'no temporary files are left next to the reports'
        Files.list(files.dir.resolve('out')).toList()*.fileName*.toString().sort() == ['junit.xml', 'report.json', 'summary.md']
    }

    def "the JSON report (schema version 2) gives each verify failure's subject, expected, found, message, file and line"() {
        given:
        def plan = files.write('vf.groovy', '''\
            plan('vf') {
                step('t') {
                    sql 'CREATE TABLE vf (a int)'
                    verify {
                        table('vf') { column('a') { type 'text' } }
                        expect('never') { false }
                    }
                }
            }
            '''.stripIndent())
        def json = files.dir.resolve('vf.json')

        when:
        def result = mig('--report', "json:${json}", plan.toString())

        then:
        result.exitCode == 3
        schemaErrors(json) == []
        def report = new JsonSlurper().parse(json.toFile())
        report.schemaVersion == 2
        report.steps[0].verifyFailures == [
                [subject: 'table vf, column a', expected: 'type text', found: 'integer',
                 message: 'table vf, column a: expected type text, found integer', file: plan.toString(), line: 5],
                [subject: "expect 'never'", expected: null, found: null,
                 message: "expect 'never': was false", file: plan.toString(), line: 6]]
        report.planVerifyFailures == []
        result.output.contains("verify: table vf, column a: expected type text, found integer (${plan}:5)")

        when: 'a plan-level verify that does not hold'
        files.write('vf.groovy', '''\
            plan('vf2') {
                step('u') { sql 'CREATE TABLE vf2 (a int)' }
                verify { absent { table 'vf2' } }
            }
            '''.stripIndent())
        result = mig('--report', "json:${json}", plan.toString())
        report = new JsonSlurper().parse(json.toFile())

        then:
        result.exitCode == 3
        schemaErrors(json) == []
        report.planVerifyFailures == [[subject: 'table vf2', expected: 'absent', found: 'exists',
                                       message: 'absent: table vf2 exists', file: plan.toString(), line: 3]]
    }

    def "an unknown report kind is a usage error naming the kinds, and nothing runs"() {
        given:
        def plan = files.write('k.groovy', "plan('k') { step('a') { sql 'CREATE TABLE k (id int)' } }")

        when:
        def result = mig('--report', 'json:a.json', '--report', "html:${files.dir.resolve('a.html')}", plan.toString())

        then:
        result.exitCode == 2
        result.output.contains("unknown kind 'html'; the kinds are json, junit, md")
        !exists('k')
        !Files.exists(files.dir.resolve('a.html'))
    }

    def "a run stopped before any step writes every report, and the JSON one conforms to the schema"() {
        given:
        def plan = files.write('drift.groovy', "plan('drift') { step('a') { sql 'CREATE TABLE dr (id int)' } }")
        assert mig(plan.toString()).exitCode == 0
        files.write('drift.groovy', "plan('drift') { step('a') { sql 'CREATE TABLE dr (id bigint)' } }")
        def json = files.dir.resolve('d.json')
        def junit = files.dir.resolve('d.xml')
        def md = files.dir.resolve('d.md')

        when:
        def result = mig('--report', "json:${json}", '--report', "junit:${junit}", '--report', "md:${md}", plan.toString())

        then:
        result.exitCode == 5
        schemaErrors(json) == []
        new JsonSlurper().parse(json.toFile()).schemaVersion == 2
        def suite = xml(junit).documentElement
        suite.getAttribute('tests') == '1'
        suite.getAttribute('errors') == '1'
        def error = suite.getElementsByTagName('error').item(0)
        error.getAttribute('type') == 'mig'
        error.getAttribute('message').contains('changed since they ran')
        Files.readString(md).readLines()[0] ==~ /## mig run `drift` on `.+`: stopped \(exit 5\)/
        Files.readString(md).contains('changed since they ran')
    }

    def "the schema rejects a report whose shape drifted"() {
        given:
        def report = files.dir.resolve('bad.json')
        Files.writeString(report, '{"mig": "x", "plan": "p", "file": "f", "target": "t", "exitCode": 0, "durationMs": 1,'
                + ' "keepGoing": false, "dryRun": false, "planVerifyFailures": [], "steps": [{"name": "a"}], "extra": 1}')

        expect:
        def errors = schemaErrors(report)
        errors.any { it.contains('extra') }
        errors.any { it.contains('outcome') }
    }
}
