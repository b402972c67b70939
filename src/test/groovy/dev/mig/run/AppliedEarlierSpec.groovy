package dev.mig.run

import dev.mig.testing.DatabaseSpec
import groovy.json.JsonSlurper
import groovy.sql.Sql

import javax.xml.parsers.DocumentBuilderFactory
import java.nio.file.Files
import java.nio.file.Path

/**
 * A rerun after a stopped run: the steps earlier runs applied are "applied earlier", counted and
 * labelled so in the console, the JSON, JUnit and Markdown reports, never "not run" after the
 * failing step (issue 16, part 7).
 */
class AppliedEarlierSpec extends DatabaseSpec {

    static final String STEPS = '''\
            step('one') { sql 'CREATE TABLE one (id int)' }
            step('two') { sql 'CREATE TABLE two (id int)' }
            step('three') { sql 'CREATE TABLE three (id int)' }
            step('four') { sql 'CREATE TABLE four (id int)' }
            step('five') { sql 'CREATE TABLE five (id int)' }
    '''

    Path plan(String before, String after = '') {
        files.write('rerun.groovy', "plan('rerun') {\n${before}\n${STEPS}\n${after}\n}\n")
    }

    def "a rerun that stops at a new failing first step counts the steps after it as applied earlier, everywhere"() {
        given: 'five steps applied, then a failing step put in front of them and a new step after them'
        assert mig(plan('').toString()).exitCode == 0
        def rerun = plan("step('zero') { sql 'CREATE TABLE zero (id int REFERENCES missing (id))' }",
                "step('six') { sql 'CREATE TABLE six (id int)' }")
        def json = files.dir.resolve('r.json')
        def junit = files.dir.resolve('r.xml')
        def md = files.dir.resolve('r.md')

        when:
        def result = mig('--report', "json:${json}", '--report', "junit:${junit}", '--report', "md:${md}", rerun.toString())

        then: 'the console: the failure, one line for the steps applied earlier, the new step not run'
        result.exitCode == 1
        result.out =~ /(?m)^  FAILED\s+zero/
        result.out.contains('  5 steps applied earlier\n')
        result.out =~ /(?m)^  not run\s+six  an earlier step failed$/
        ['one', 'two', 'three', 'four', 'five'].every { !(result.out =~ /(?m)^  not run\s+${it}\b/) }
        result.out =~ /stopped: a step failed in \d+\.\d s: 0 applied, 0 skipped, 5 applied earlier, 1 failed, 1 not run \(exit 1\)/

        and: 'the JSON report'
        def report = new JsonSlurper().parse(json.toFile())
        report.steps*.outcome == ['failed'] + ['already_applied'] * 5 + ['not_run']
        report.steps[6].reason == 'an earlier step failed'

        and: 'the JUnit report'
        def doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile())
        def cases = (0..<doc.getElementsByTagName('testcase').length).collect { doc.getElementsByTagName('testcase').item(it) }
        cases[1..5].every { it.getElementsByTagName('skipped').item(0).getAttribute('message') == 'applied earlier' }
        cases[6].getElementsByTagName('skipped').item(0).getAttribute('message') == 'not run: an earlier step failed'

        and: 'the Markdown report'
        def text = Files.readString(md)
        text.contains('5 steps were applied earlier (not listed).')
        text.contains('| six | not run |  | an earlier step failed |')
        !text.contains('| one |')
        text.readLines().last() ==~ /Total: \d+\.\d s, 0 applied, 0 skipped, 5 applied earlier, 1 failed, 0 blocked, 1 not run\./

        and: '-v lists them, -q counts them'
        mig('-v', rerun.toString()).out.readLines().count { it ==~ /  applied earlier (one|two|three|four|five)/ } == 5
        mig('-q', rerun.toString()).out.contains(': 0 applied, 0 skipped, 5 applied earlier, 1 failed, 1 not run (exit 1)')

        and: 'a dry run says the same'
        mig('--dry-run', rerun.toString()).out.contains('0 applied, 0 skipped, 5 applied earlier, 1 failed, 1 not run (exit 1)')
    }

    def "after a run stopped in the middle and a --keep-going run, reruns label every applied step applied earlier"() {
        given: 'step three fails until its table exists'
        def failing = plan('', '').toFile().text
                .replace("CREATE TABLE three (id int)", "CREATE TABLE three (id int REFERENCES helper (id))")
        def p = files.write('rerun.groovy', failing)

        when: 'the first run stops at three'
        def first = mig(p.toString())

        then:
        first.exitCode == 1
        first.out =~ /stopped: a step failed in \d+\.\d s: 2 applied, 0 skipped, 0 applied earlier, 1 failed, 2 not run \(exit 1\)/

        when: 'a --keep-going run applies four and five'
        def kept = mig('--keep-going', p.toString())

        then:
        kept.exitCode == 1
        kept.out =~ /kept going: 1 step failed in \d+\.\d s: 2 applied, 0 skipped, 2 applied earlier, 1 failed \(exit 1\)/

        when: 'a plain rerun stops at three again'
        def rerun = mig(p.toString())

        then: 'the four applied steps are applied earlier, before and after the failure'
        rerun.exitCode == 1
        !rerun.out.contains('not run')
        rerun.out =~ /stopped: a step failed in \d+\.\d s: 0 applied, 0 skipped, 4 applied earlier, 1 failed \(exit 1\)/

        when: 'the missing table appears: the rerun applies three alone'
        sql { Sql s -> s.execute('CREATE TABLE helper (id int PRIMARY KEY)') }
        def fixed = mig(p.toString())

        then:
        fixed.exitCode == 0
        fixed.out =~ /done in \d+\.\d s: 1 applied, 0 skipped, 4 applied earlier \(exit 0\)/
    }
}
