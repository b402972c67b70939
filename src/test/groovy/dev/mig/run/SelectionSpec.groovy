package dev.mig.run

import dev.mig.Mig
import dev.mig.api.MigException
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper

import java.nio.file.Files

/** Issue 11 items 8 and 11: --tags that name no step, and --until on an applied plan. */
class SelectionSpec extends DatabaseSpec {

    static final String PLAN = """
        plan('selection') {
            step('a') { tags 'core'; sql 'CREATE TABLE a (id int)' }
            step('b') { tags 'reporting'; sql 'CREATE TABLE b (id int)' }
            step('c') { tags 'core'; sql 'CREATE TABLE c (id int)' }
        }
    """

    int journalRows() {
        sql { it.firstRow("SELECT count(*) AS n FROM mig.steps WHERE plan = 'selection'").n as int }
    }

    def "an unknown tag is a usage error with a did-you-mean over the plan's tags, and nothing runs"() {
        given:
        def plan = files.write('selection.groovy', PLAN)

        when:
        def result = mig('--tags', 'cor', plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("--tags 'cor': no step of plan 'selection' has this tag")
        result.err.contains("did you mean 'core'? the plan's tags are core, reporting")
        !exists('a')

        when: 'one known and one unknown tag'
        result = mig('--tags', 'core,nightly', plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("--tags 'nightly'")
        !exists('a')
    }

    def "an empty --tags is a usage error, not every step or none"() {
        given:
        def plan = files.write('selection.groovy', PLAN)

        expect:
        with(mig('--tags', value, plan.toString())) {
            exitCode == 2
            err.contains('--tags names ')
            err.contains('it would select no step')
            err.contains("(the plan's tags: core, reporting)")
        }
        !exists('a')

        where:
        value << ['', ',', ' , ', 'core,,reporting']
    }

    def "the library refuses the same tags"() {
        given:
        def runner = Mig.planFromString('selection.groovy', PLAN).runner()

        when:
        runner.tags('nope')

        then:
        def e = thrown(MigException)
        e.exitCode().code() == 2
        e.message.contains("--tags 'nope'")

        when:
        runner.tags()

        then:
        e = thrown(MigException)
        e.message.contains('--tags names no tag')

        when: 'a known tag still runs'
        def result = Mig.planFromString('selection.groovy', PLAN).runner().tags('reporting').run(url)

        then:
        result.exitCode().code() == 0
        exists('b') && !exists('a')
    }

    def "--until on an applied plan says the later steps are applied, in the console and the reports"() {
        given:
        def plan = files.write('selection.groovy', PLAN)
        def json = files.dir.resolve('until.json')
        def md = files.dir.resolve('until.md')
        assert mig(plan.toString()).exitCode == 0

        when:
        def result = mig('--until', 'a', '--report', "json:${json}", '--report', "md:${md}", plan.toString())

        then:
        result.exitCode == 0
        !result.out.contains('not run')
        result.out.contains('0 applied, 0 skipped, 3 applied earlier (exit 0)')
        new JsonSlurper().parse(json.toFile()).steps*.outcome == ['already_applied'] * 3
        Files.readString(md).contains('3 applied earlier, 0 failed, 0 blocked, 0 not run.')

        when: 'verbose lists them as applied earlier'
        result = mig('-v', '--until', 'a', plan.toString())

        then:
        result.out.readLines().findAll { it.contains('applied earlier') && it.contains(' c') }
        !result.out.contains('after --until')

        when: 'a step not applied yet is still not run after --until'
        sql { it.execute("DELETE FROM mig.steps WHERE step = 'c'") }
        sql { it.execute('DROP TABLE c') }
        result = mig('-v', '--until', 'a', plan.toString())

        then:
        result.out.contains('after --until')
        result.out.contains('2 applied earlier, 1 not run')
        journalRows() == 2
    }
}
