package dev.mig.fleet

import dev.mig.cli.JsonOutputSpec
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Path

import static dev.mig.fleet.FleetSpec.databases
import static dev.mig.fleet.FleetSpec.journalRows
import static dev.mig.fleet.FleetSpec.tenantFile

/** docs/DSL.md, "Fleets": mig status --fleet --format json and mig plan --fleet read every tenant and change none. */
class FleetReadSpec extends Specification {

    static final String DOWN = 'gone jdbc:postgresql://127.0.0.1:1/gone?user=postgres\n'

    @Shared PlanFiles files = new PlanFiles()
    @Shared Path plan = files.write('fleet.groovy', FleetSpec.PLAN)

    /** Parses stdout as one document conforming to docs/output.schema.json. */
    static Map json(MigCli result) {
        JsonOutputSpec.parse(result)
    }

    def "status --fleet-file --format json: one document with a count per state and each tenant's own status document; exit 6 as text"() {
        given: 'one tenant migrated, one whose first step failed, one never run, one on a server that is down'
        List<String> dbs = databases(3, 'fleet_sjson')
        FleetSpec.breakTenant(dbs[1])
        MigCli.run(['run', plan.toString(), '--fleet-file', tenantFile(files, 'sjson-run.txt', dbs[0..1]).toString()])
        Path file = files.write('sjson.txt', dbs.collect { "${it} ${TestPostgres.jdbcUrl(it)}" }.join('\n') + '\n' + DOWN)

        when:
        def result = MigCli.run(['status', plan.toString(), '--fleet-file', file.toString(), '--format', 'json'])
        def text = MigCli.run(['status', plan.toString(), '--fleet-file', file.toString()])
        Map doc = json(result)

        then:
        result.exitCode == 6
        text.exitCode == 6
        doc.command == 'status'
        doc.fleet == file.toString()
        doc.shard == null
        doc.plan == 'fleet'
        doc.journalSchema == 'mig'
        doc.exitCode == 6
        doc.counts == [tenants: 4, upToDate: 1, toRun: 2, drifted: 0, unreadable: 1]
        doc.tenants*.id == dbs + ['gone']
        doc.tenants*.state == ['upToDate', 'toRun', 'toRun', 'unreadable']
        doc.tenants*.exitCode == [0, 0, 0, 6]

        and: 'each readable tenant holds what mig status --format json prints for it alone'
        Map alone = json(MigCli.run(['status', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[1]), '--format', 'json']))
        doc.tenants[1].status == alone
        doc.tenants[0].status.counts.applied == 2
        doc.tenants[1].status.steps*.state == ['failed', 'pending']
        doc.tenants[2].status.journalExists == false
        doc.tenants[0..2].every { it.error == null && it.target == "postgresql://postgres@localhost:${TestPostgres.port()}/${it.id}".toString() }

        and: 'the unreachable one has its error, as the error document holds it'
        doc.tenants[3].status == null
        doc.tenants[3].error.message.startsWith('cannot connect to ')
        doc.tenants[3].error.message.contains('/gone: connection refused')

        and: 'nothing was changed'
        dbs.collect { journalRows(it) } == [2L, 0L, 0L]
    }

    def "status --format json with --shard names the shard; a drifted tenant makes it exit 5; a bad fleet is the error document"() {
        given:
        List<String> dbs = databases(4, 'fleet_sshard')
        Path file = tenantFile(files, 'sshard.txt', dbs)
        MigCli.run(['run', plan.toString(), '--fleet-file', file.toString()])
        Path edited = files.write('sshard.groovy', FleetSpec.PLAN.replace('ADD COLUMN name text', 'ADD COLUMN name varchar'))
        int part = Shard.of(dbs[0], 2)
        List<String> inPart = dbs.findAll { Shard.of(it, 2) == part }

        when:
        def sharded = MigCli.run(['status', edited.toString(), '--fleet-file', file.toString(), '--shard', "${part}/2".toString(),
                                  '--format', 'json'])
        Map doc = json(sharded)
        def bad = MigCli.run(['status', plan.toString(), '--fleet-file', files.write('sshard-bad.txt', 'a b c d\n').toString(),
                              '--format', 'json'])
        Map error = json(bad)

        then:
        sharded.exitCode == 5
        doc.shard == "${part}/2".toString()
        doc.tenants*.id == inPart
        doc.tenants.every { it.state == 'drifted' && it.exitCode == 5 && it.status.counts.drifted == 1 }
        doc.counts.drifted == inPart.size()
        bad.exitCode == 2
        error.error.message.contains('sshard-bad.txt:1: 4 words where a tenant line has at most 3')
    }

    def "plan --fleet-file groups the tenants a run would treat alike, lists the unreadable ones and changes nothing"() {
        given: 'four new tenants, one with its first step applied, one up to date, one down'
        List<String> fresh = databases(4, 'fleet_pfresh')
        String half = TestPostgres.createDatabase('fleet_phalf')
        String done = TestPostgres.createDatabase('fleet_pdone')
        MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(half), '--until', 'a'])
        MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(done)])
        List<String> dbs = [fresh[0], half, fresh[1], done, fresh[2], fresh[3]]
        Path file = files.write('pgroups.txt', dbs.collect { "${it} ${TestPostgres.jdbcUrl(it)}" }.join('\n') + '\n' + DOWN)

        when:
        def r = MigCli.run(['plan', plan.toString(), '--fleet-file', file.toString(), '--parallel', '3'])
        List<String> lines = r.out.readLines()

        then:
        r.exitCode == 6
        lines[0].startsWith("fleet ${file}: 7 tenants, plan 'fleet' (")
        lines[0].endsWith('fleet.groovy), 2 steps: what a run would do on each tenant; nothing is changed, and every guard'
                + ' is asked of each tenant as it is now')
        r.out.contains("""
            4 tenants: 2 would run, 0 would be skipped, 0 would fail, 0 applied earlier
              ${fresh.join(', ')}
              pending         a  would run
              pending         b  would run

            1 tenant: 1 would run, 0 would be skipped, 0 would fail, 1 applied earlier
              ${half}
              pending         b  would run

            1 tenant: 0 would run, 0 would be skipped, 0 would fail, 2 applied earlier
              ${done}

            cannot be read: 1 tenant
              gone: (exit 6) cannot connect to """.stripIndent())
        lines.last() == 'fleet: 1 up to date, 5 with steps to run, 0 drifted, 1 unreadable (exit 6)'

        and: 'nothing was changed'
        dbs.collect { journalRows(it) } == [0L, 1L, 0L, 2L, 0L, 0L]

        when: '-q leaves out the tenants up to date'
        def quiet = MigCli.run(['plan', plan.toString(), '--fleet-file', file.toString(), '-q'])

        then:
        quiet.exitCode == 6
        !quiet.out.contains(done + '\n')
        quiet.out.contains('4 tenants: 2 would run')
    }

    def "plan --fleet --format json: each group with its first tenant's plan document, each tenant with its group"() {
        given:
        List<String> fresh = databases(2, 'fleet_pjson')
        String done = TestPostgres.createDatabase('fleet_pjdone')
        MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(done)])
        files.write('mig.groovy', """
            fleets {
                shop { urls '${TestPostgres.jdbcUrl(fresh[0])}', '${TestPostgres.jdbcUrl(done)}', '${TestPostgres.jdbcUrl(fresh[1])}',
                            'jdbc:postgresql://127.0.0.1:1/gone?user=postgres' }
            }
            """)

        when:
        def r = MigCli.run(['plan', plan.toString(), '--fleet', 'shop', '--format', 'json'])
        Map doc = json(r)

        then:
        r.exitCode == 6
        doc.command == 'plan'
        doc.fleet == 'shop'
        doc.exitCode == 6
        doc.counts == [tenants: 4, upToDate: 1, toRun: 2, drifted: 0, unreadable: 1, wouldFail: 0, groups: 2]
        doc.groups*.tenants == [fresh, [done]]
        doc.groups[0].state == 'toRun'
        doc.groups[0].lines == ['pending         a  would run', 'pending         b  would run']
        doc.groups[0].plan.target.endsWith('/' + fresh[0])
        doc.groups[0].plan.counts.run == 2
        doc.groups[0].plan.steps[0].statements[0].sql == 'CREATE TABLE fleet_t (id int)'
        doc.groups[1].plan.counts.applied == 2
        doc.tenants*.id == [fresh[0], done, fresh[1], 'gone']
        doc.tenants*.group == [0, 1, 0, null]
        doc.tenants*.state == ['toRun', 'upToDate', 'toRun', 'unreadable']
        doc.tenants[3].error.message.contains('/gone: connection refused')
    }

    def "plan --fleet: twenty-two tenants alike are one group naming twenty (-v all); a drifted tenant is exit 5; options are checked"() {
        given:
        List<String> dbs = databases(22, 'fleet_pmany')
        Path file = tenantFile(files, 'pmany.txt', dbs)
        MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[5])])
        TestPostgres.withSql(dbs[5]) { Sql s -> s.execute("UPDATE mig.steps SET checksum = 'changed' WHERE step = 'b'") }

        when:
        def r = MigCli.run(['plan', plan.toString(), '--fleet-file', file.toString()])
        def all = MigCli.run(['plan', plan.toString(), '--fleet-file', file.toString(), '-v'])
        List<String> others = dbs - [dbs[5]]

        then:
        r.exitCode == 5
        r.out.contains('21 tenants: 2 would run, 0 would be skipped, 0 would fail, 0 applied earlier\n  '
                + others.take(20).join(', ') + ' and 1 more (-v lists them all)\n')
        r.out.contains("1 tenant: 0 would run, 0 would be skipped, 0 would fail, 1 applied earlier, 1 drifted: a run would stop"
                + " before running anything (exit 5)\n  ${dbs[5]}\n  DRIFTED         b  changed since it was applied;"
                + " a run stops before running anything\n")
        r.out.readLines().last() == 'fleet: 0 up to date, 21 with steps to run, 1 drifted, 0 unreadable (exit 5)'
        all.out.contains('\n  ' + others.join(', ') + '\n')

        expect: 'options that do not go with one database, or with a fleet'
        with(MigCli.run(['plan', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--parallel', '2'])) {
            exitCode == 2
            err.contains('--parallel is for a fleet, and no fleet was given')
        }
        with(MigCli.run(['plan', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--shard', '0/2'])) {
            exitCode == 2
            err.contains('--shard is for a fleet, and no fleet was given')
        }
        with(MigCli.run(['plan', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--fleet-file', file.toString()])) {
            exitCode == 2
            err.contains('--url and a fleet both name targets: give one')
        }
        with(MigCli.run(['plan', plan.toString(), '--fleet-file', file.toString(), '--canary', '1'])) {
            exitCode == 2
            err.contains("Unknown options: '--canary', '1'")
        }
        with(MigCli.run(['plan', plan.toString(), '--fleet-file', file.toString(), '--tags', 'nope'])) {
            exitCode == 2
            err.contains("--tags 'nope': no step of plan 'fleet' has this tag")
        }
    }
}
