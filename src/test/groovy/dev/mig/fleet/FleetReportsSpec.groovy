package dev.mig.fleet

import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import spock.lang.Shared
import spock.lang.Specification

import javax.xml.parsers.DocumentBuilderFactory
import javax.xml.xpath.XPathConstants
import javax.xml.xpath.XPathFactory
import java.nio.file.Files
import java.nio.file.Path

/** docs/DSL.md, "Fleets", "Reports": a fleet's JUnit XML (a test suite per tenant) and Markdown (summary and failures). */
class FleetReportsSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()
    @Shared Path plan = files.write('reports.groovy', FleetSpec.PLAN)

    /** The JUnit file, asked with XPath: {@code xml('count(//failure)')}. */
    static Closure<String> xpath(Path file) {
        def doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
        def xpath = XPathFactory.newInstance().newXPath();
        { String expression -> xpath.evaluate(expression, doc, XPathConstants.STRING) as String }
    }

    def "one failing tenant: a test suite per tenant with its steps, a failure where it failed; the Markdown lists the failure"() {
        given: 'five tenants, the second with a table in the way, one at a time, stopping after the first failure'
        List<String> dbs = FleetSpec.databases(5, 'fleet_rep')
        FleetSpec.breakTenant(dbs[1])
        Path file = FleetSpec.tenantFile(files, 'rep.txt', dbs)
        Path xml = files.dir.resolve('out/fleet.xml')
        Path md = files.dir.resolve('out/fleet.md')
        Path json = files.dir.resolve('out/fleet.json')

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '1', '--canary', '1',
                            '--max-failures', '1', '--report', "junit:${xml}".toString(), '--report', "md:${md}".toString(),
                            '--report', "json:${json}".toString()])

        then:
        r.exitCode == 1

        and: 'JUnit: a suite per selected tenant in the fleet order, its steps as test cases, classname the tenant'
        def x = xpath(xml)
        x('name(/*)') == 'testsuites'
        x('/testsuites/@name') == "fleet ${file}".toString()
        x('count(/testsuites/testsuite)') == '5'
        (1..5).collect { x("/testsuites/testsuite[${it}]/@name") } == dbs
        x('/testsuites/@tests') == '7'
        x('/testsuites/@failures') == '1'
        x('/testsuites/@errors') == '0'
        x('/testsuites/@skipped') == '4'
        x('/testsuites/testsuite[1]/@tests') == '2'
        x('/testsuites/testsuite[1]/@failures') == '0'
        x('/testsuites/testsuite[1]/testcase[1]/@name') == 'a'
        x('/testsuites/testsuite[1]/testcase[2]/@name') == 'b'
        x('/testsuites/testsuite[1]/testcase[2]/@classname') == dbs[0]
        x("/testsuites/testsuite[1]/properties/property[@name='exitCode']/@value") == '0'
        x('count(/testsuites/testsuite[2]/testcase[1]/failure)') == '1'
        x('/testsuites/testsuite[2]/@failures') == '1'
        x('/testsuites/testsuite[2]/testcase[1]/failure/@type') == '42P07'
        x('/testsuites/testsuite[2]/testcase[1]/failure/@message').contains('relation "fleet_t" already exists')
        x('/testsuites/testsuite[2]/testcase[1]/failure').contains('Message:')
        x('/testsuites/testsuite[2]/testcase[2]/skipped/@message').startsWith('not run')
        x("/testsuites/testsuite[2]/properties/property[@name='exitCode']/@value") == '1'
        x('/testsuites/testsuite[3]/@skipped') == '1'
        x('count(/testsuites/testsuite[3]/testcase)') == '1'
        x('/testsuites/testsuite[3]/testcase/@name') == 'run'
        x('/testsuites/testsuite[3]/testcase/skipped/@message') == 'not started: --max-failures 1 reached'
        x('count(//failure)') == '1'
        x('count(//error)') == '0'

        and: 'Markdown: how it ended, the counts by outcome, the waves, the failure with its first line'
        String text = Files.readString(md)
        text.startsWith("## mig run `fleet` on fleet `${file}`: failed (exit 1)\n\n".toString())
        text.contains('; 5 tenants in 2 waves, ')
        text.contains('| succeeded | 1 (1 applied their steps, 0 already up to date) |')
        text.contains('| failed | 1 |')
        text.contains('| cancelled | 0 |')
        text.contains('| not started | 3 |')
        text.contains('| wave | tenants | succeeded | failed | cancelled | not started |')
        text.contains('| canary | 1 | 1 | 0 | 0 | 0 |')
        text.contains('| all | 4 | 0 | 1 | 0 | 3 |')
        text.contains('### Failures\n\n| tenant | wave | exit | failure |\n|---|---|---:|---|\n'
                + "| ${dbs[1].replace('_', '\\_')} | all | 1 | at step 'a': relation \"fleet\\_t\" already exists |\n")
        text.contains('### Not started\n\n3 tenants (--max-failures 1 reached): ')
        text.contains('Run the same command again to go on.')

        and: 'the JSON report agrees'
        new JsonSlurper().parse(json.toFile()).counts == [succeeded: 1, failed: 1, cancelled: 0, notStarted: 3]
    }

    def "a tenant that cannot be reached is a suite with one error test case; a clean fleet's Markdown says done"() {
        given:
        String db = TestPostgres.createDatabase('fleet_rep_ok')
        Path file = files.write('rep-down.txt', "${db} ${TestPostgres.jdbcUrl(db)}\ngone jdbc:postgresql://127.0.0.1:1/gone?user=postgres\n")
        Path xml = files.dir.resolve('down.xml')
        Path okMd = files.dir.resolve('ok.md')

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--report', "junit:${xml}".toString()])
        def ok = MigCli.run(['run', plan.toString(), '--fleet-file', FleetSpec.tenantFile(files, 'rep-ok.txt', [db]).toString(),
                             '--report', "md:${okMd}".toString()])

        then:
        r.exitCode == 6
        def x = xpath(xml)
        x('/testsuites/@errors') == '1'
        x("/testsuites/testsuite[@name='gone']/@errors") == '1'
        x("/testsuites/testsuite[@name='gone']/testcase/@name") == 'run'
        x("/testsuites/testsuite[@name='gone']/testcase/error/@message").startsWith('cannot connect to ')
        x("/testsuites/testsuite[@name='${db}']/@tests") == '2'
        ok.exitCode == 0
        Files.readString(okMd).startsWith("## mig run `fleet` on fleet `${files.dir.resolve('rep-ok.txt')}`: done (exit 0)".toString())
        !Files.readString(okMd).contains('### Failures')
    }
}
