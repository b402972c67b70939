package dev.mig.run

import dev.mig.Mig
import dev.mig.api.MigException
import dev.mig.cli.JsonOutputSpec
import dev.mig.report.ReportsSpec
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper
import groovy.sql.Sql

/** Issue 16: selections that take the steps they require (--[no-]with-requires), and --skip-tags. */
class SelectionRequiresSpec extends DatabaseSpec {

    // 'orders' (phase2) requires 'customers' (phase1), which requires 'schema' (phase1)
    static final String PLAN = """
        plan('phases') {
            step('schema') { tags 'phase1'; sql 'CREATE SCHEMA shop' }
            step('customers') { tags 'phase1'; requires 'schema'; sql 'CREATE TABLE shop.customers (id int)' }
            step('seed') { tags 'slow'; sql 'CREATE TABLE shop_seed (id int)' }
            step('orders') {
                tags 'phase2'
                requires 'customers'
                sql 'CREATE TABLE shop.orders (id int)'
            }
            step('prices') { tags 'phase2'; sql 'CREATE TABLE prices (id int)' }
            step('report') { tags 'phase2', 'slow'; sql 'CREATE TABLE report (id int)' }
            step('archive') { tags 'phase3'; requires 'orders'; sql 'CREATE TABLE shop.archive (id int)' }
        }
    """

    Map<String, String> journal() {
        sql { Sql s -> s.rows("SELECT step, status FROM mig.steps WHERE plan = 'phases' ORDER BY position").collectEntries { [it.step, it.status] } }
    }

    MigCli preview(String... args) {
        MigCli.run(['plan', '--url', url] + (args as List))
    }

    def "--tags takes the pending steps the selected ones require, in plan order, and says which"() {
        given:
        def plan = files.write('phases.groovy', PLAN)
        def json = files.dir.resolve('phase2.json')

        when:
        def result = mig('--tags', 'phase2', '--report', "json:${json}", plan.toString())

        then:
        result.exitCode == 0
        result.out.contains("selection: --tags phase2 (3 steps) + 2 steps they require: 'schema', 'customers'")
        result.out.readLines().findAll { it.startsWith('  applied') }*.split(/\s+/)*.getAt(2) == ['schema', 'customers', 'orders', 'prices', 'report']
        journal() == [schema: 'applied', customers: 'applied', orders: 'applied', prices: 'applied', report: 'applied']
        !exists('shop_seed') && !exists('shop.archive')

        and: 'the JSON report names them and who requires them'
        def report = new JsonSlurper().parse(json.toFile())
        report.selection == [tags: ['phase2'], skipTags: [], until: null, withRequires: true,
                             required: [[step: 'schema', requiredBy: ['customers']], [step: 'customers', requiredBy: ['orders']]],
                             excluded: []]
        ReportsSpec.schemaErrors(json) == []

        when: 'a requirement applied earlier is not taken again'
        result = mig('--tags', 'phase3', plan.toString())

        then:
        result.exitCode == 0
        result.out.contains('selection: --tags phase3 (1 step)\n')
        result.out.contains('1 applied, 0 skipped, 5 applied earlier')
        journal().archive == 'applied'
    }

    def "--no-with-requires keeps the old failure: the step whose requirement is not applied fails, exit 1"() {
        given:
        def plan = files.write('phases.groovy', PLAN)

        when:
        def result = mig('--tags', 'phase2', '--no-with-requires', plan.toString())

        then:
        result.exitCode == 1
        result.out.contains('selection: --tags phase2 --no-with-requires (3 steps)\n')
        result.out.contains("requires 'customers', which is not applied on this database")
        result.out =~ /(?m)^  FAILED\s+orders/
        journal().findAll { it.value == 'applied' } == [:]
        !exists('prices')

        when: '--with-requires is the default, and can be written'
        result = mig('--tags', 'phase2', '--with-requires', plan.toString())

        then:
        result.exitCode == 0
        journal().orders == 'applied'
    }

    def "--skip-tags leaves out the steps with one of its tags"() {
        given:
        def plan = files.write('phases.groovy', PLAN)

        when:
        def result = mig('--skip-tags', 'slow', plan.toString())

        then:
        result.exitCode == 0
        result.out.contains("selection: --skip-tags slow (5 steps); --skip-tags leaves out 2: 'seed', 'report'")
        !result.out.contains('excluded by --skip-tags')
        journal().keySet() == ['schema', 'customers', 'orders', 'prices', 'archive'] as Set
        !exists('shop_seed') && !exists('report')

        when: '-v lists them'
        result = mig('-v', '--skip-tags', 'slow', plan.toString())

        then:
        result.out =~ /(?m)^  not run\s+seed  excluded by --skip-tags$/

        when: 'the next run without it runs them'
        result = mig(plan.toString())

        then:
        result.exitCode == 0
        result.out.contains('2 applied, 0 skipped, 5 applied earlier')
        exists('shop_seed') && exists('report')
    }

    def "--skip-tags checks its tags as --tags does"() {
        given:
        def plan = files.write('phases.groovy', PLAN).toString()

        expect: 'a typo: exit 2 with a did-you-mean, nothing run'
        with(mig('--skip-tags', 'slwo', plan)) {
            exitCode == 2
            err.contains("mig: --skip-tags 'slwo': no step of plan 'phases' has this tag")
            err.contains("hint: did you mean 'slow'? the plan's tags are phase1, phase2, phase3, slow")
        }
        with(mig('--skip-tags', '', plan)) {
            exitCode == 2
            err.contains('mig: --skip-tags names an empty tag: it would leave no step out')
        }
        with(mig('--tags', 'phase2', '--skip-tags', 'phase2', plan)) {
            exitCode == 2
            err.contains("mig: --tags and --skip-tags both name 'phase2'")
        }
        with(preview('--skip-tags', 'slwo', plan)) {
            exitCode == 2
            err.contains("did you mean 'slow'?")
        }
        !exists('mig.steps')
    }

    def "a selected step that requires a step --skip-tags leaves out, not applied, stops the run before it starts"() {
        given:
        def plan = files.write('phases.groovy', PLAN)

        when:
        def result = mig('--tags', 'phase2', '--skip-tags', 'phase1', plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("phases.groovy:6: step 'orders' requires 'customers', which --skip-tags phase1 leaves out (tag phase1)"
                + " and which is not applied on this database; nothing was run")
        result.err.contains("hint: apply 'customers' first: run without --skip-tags phase1, or with a selection that leaves 'orders' out")
        journal() == [:]
        !exists('prices')

        when: 'without --with-requires too'
        result = mig('--tags', 'phase2', '--skip-tags', 'phase1', '--no-with-requires', plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("step 'orders' requires 'customers'")

        when: 'mig plan says the same'
        result = preview('--tags', 'phase2', '--skip-tags', 'phase1', plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("step 'orders' requires 'customers', which --skip-tags phase1 leaves out")

        when: 'once the required step is applied, leaving it out is fine'
        assert mig('--until', 'customers', plan.toString()).exitCode == 0
        result = mig('--tags', 'phase2', '--skip-tags', 'phase1', plan.toString())

        then:
        result.exitCode == 0
        result.out.contains('selection: --tags phase2 --skip-tags phase1 (3 steps)\n')
        journal().orders == 'applied'
    }

    def "mig plan shows the selection: the steps taken as requirements, those left out, and why"() {
        given:
        def plan = files.write('phases.groovy', PLAN).toString()

        when:
        def result = preview('--tags', 'phase2', '--skip-tags', 'slow', plan)

        then:
        result.exitCode == 0
        result.out.contains('  as a run with --tags phase2 --skip-tags slow: 3 of 7 steps not selected\n')
        result.out.contains("  selection: --tags phase2 --skip-tags slow (2 steps) + 2 steps they require: 'schema', 'customers';"
                + " --skip-tags leaves out 1: 'report'\n")
        result.out =~ /(?m)^  pending\s+schema  would run\n\s+taken as 'customers' requires it \(--with-requires\)$/
        result.out =~ /(?m)^  pending\s+customers  would run\n\s+taken as 'orders' requires it \(--with-requires\)$/
        result.out =~ /(?m)^  pending\s+seed  not selected by --tags: a run with these options leaves it out$/
        result.out =~ /(?m)^  pending\s+report  excluded by --skip-tags: a run with these options leaves it out$/
        result.out.readLines().last() == '4 would run, 0 would be skipped, 0 would fail, 0 applied earlier, 3 not selected'

        when: 'as JSON'
        def json = preview('--tags', 'phase2', '--skip-tags', 'slow', '--format', 'json', plan)
        def doc = new JsonSlurper().parseText(json.out)

        then:
        JsonOutputSpec.schemaErrors(json.out) == []
        doc.selection == [tags: ['phase2'], skipTags: ['slow'], until: null, withRequires: true,
                          required: [[step: 'schema', requiredBy: ['customers']], [step: 'customers', requiredBy: ['orders']]],
                          excluded: ['report']]
        doc.steps*.selected == [true, true, false, true, true, false, false]
        doc.steps*.why == [null, null, 'not selected by --tags', null, null, 'excluded by --skip-tags', 'not selected by --tags']

        when: 'without --with-requires, the requirement a run would miss'
        result = preview('--tags', 'phase2', '--no-with-requires', plan)

        then:
        result.exitCode == 0
        result.out.contains("'customers' is not applied and this selection leaves it out (not selected by --tags): a run fails here;"
                + ' --with-requires would take it')
        !result.out.contains('taken as')
        !exists('mig.steps')
    }

    def "the library takes requirements by default, and withRequires(false) and skipTags as the command line does"() {
        given:
        def loaded = Mig.planFromString('phases.groovy', PLAN)

        when:
        loaded.runner().skipTags('nope')

        then:
        def e = thrown(MigException)
        e.exitCode().code() == 2
        e.message == "--skip-tags 'nope': no step of plan 'phases' has this tag"

        when:
        def result = loaded.runner().tags('phase2').withRequires(false).run(url)

        then:
        result.exitCode().code() == 1
        result.step('orders').get().failure().message().contains("requires 'customers', which is not applied")

        when:
        result = loaded.runner().tags('phase2').skipTags('slow').run(url)

        then:
        result.exitCode().code() == 0
        result.details().selection().required().keySet() as List == ['schema', 'customers']
        journal().keySet() == ['schema', 'customers', 'orders', 'prices'] as Set
    }
}
