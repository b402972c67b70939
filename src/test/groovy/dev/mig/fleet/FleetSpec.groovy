package dev.mig.fleet

import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/** docs/DSL.md, "Fleets": mig run PLAN --fleet NAME / --fleet-file PATH over databases of the embedded server. */
class FleetSpec extends Specification {

    static final String PLAN = """
        plan('fleet') {
            step('a') { sql 'CREATE TABLE fleet_t (id int)' }
            step('b') { sql 'ALTER TABLE fleet_t ADD COLUMN name text' }
        }
        """

    @Shared PlanFiles files = new PlanFiles()
    @Shared Path plan
    /** A hundred tenant databases, migrated by the first feature. */
    @Shared List<String> hundred

    def setupSpec() {
        plan = files.write('fleet.groovy', PLAN)
        hundred = (1..100).collect { TestPostgres.createDatabase('fleet_many') }
    }

    static List<String> databases(int n, String prefix) {
        (1..n).collect { TestPostgres.createDatabase(prefix) }
    }

    static Path tenantFile(PlanFiles files, String name, List<String> dbs) {
        files.write(name, dbs.collect { "${it} ${TestPostgres.jdbcUrl(it)}" }.join('\n') + '\n')
    }

    /** The steps the journal of {@code db} records as applied. */
    static long journalRows(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT to_regclass('mig.steps') IS NULL AS none").none ? 0L
                    : s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE status = 'applied'").n as long
        }
    }

    static void breakTenant(String db) {
        TestPostgres.withSql(db) { Sql s -> s.execute('CREATE TABLE fleet_t (id int)') }
    }

    static void fixTenant(String db) {
        TestPostgres.withSql(db) { Sql s -> s.execute('DROP TABLE fleet_t') }
    }

    static Set<String> tenantsNamed(String out) {
        out.readLines().findAll { it.startsWith('tenant ') }.collect { it.substring(7, it.indexOf(':')) } as Set
    }

    def "a fleet of a hundred databases from mig.groovy runs clean, and the same command again finds every tenant up to date"() {
        given:
        tenantFile(files, 'hundred.txt', hundred)
        files.write('mig.groovy', "fleets { many { file 'hundred.txt' } }")

        when:
        def first = MigCli.run(['run', plan.toString(), '--fleet', 'many', '--parallel', '4'])

        then:
        first.exitCode == 0
        first.out.startsWith('fleet many: 100 tenants, 1 wave, 4 at a time')
        first.out.readLines().count { it ==~ /tenant fleet_many_\d+: applied 2 steps \(\d+\.\d s\)/ } == 100
        first.out.contains('succeeded: 100 (100 applied their steps, 0 already up to date)')
        first.out.contains('fleet: 100 of 100 tenants succeeded')
        hundred.every { journalRows(it) == 2 }

        when: 'a run of one tenant holds its plan lock: an up-to-date tenant is told from one read of its journal, without the lock'
        Sql holder = new Sql(TestPostgres.connect(hundred[0]))
        holder.execute('SELECT pg_advisory_lock(?)', [dev.mig.run.PlanLock.keyFor('mig', 'fleet')])
        def again = MigCli.run(['run', plan.toString(), '--fleet', 'many', '--lock-wait', '1s'])
        holder.close()

        then:
        again.exitCode == 0
        again.out.readLines().count { it ==~ /tenant fleet_many_\d+: up to date, nothing to apply \(\d+\.\d s\)/ } == 100
        hundred.every { journalRows(it) == 2 }
    }

    def "--shard 0/3, 1/3 and 2/3 together cover every tenant exactly once"() {
        given:
        Path file = tenantFile(files, 'shards.txt', hundred)

        when:
        List<Set<String>> parts = (0..2).collect { i ->
            def r = MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--shard', "${i}/3".toString()])
            assert r.exitCode == 0, r.toString()
            assert r.out.contains("(shard ${i}/3 of 100 tenants)")
            tenantsNamed(r.out)
        }

        then:
        parts.sum { it.size() } == 100
        (parts[0] + parts[1] + parts[2]) == hundred as Set
        parts.every { it.size() > 15 }
        parts.every { part -> part.every { Shard.of(it, 3) == parts.indexOf(part) } }
    }

    def "the shard of an id is CRC-32 of its UTF-8 bytes modulo N, as other tools compute it"() {
        expect:
        Shard.of('a', 3) == 0          // 3904355907 % 3
        Shard.of('acme', 3) == 2       // 96778814 % 3
        Shard.of('tenant-42', 3) == 2  // 1247496908 % 3
        Shard.parse('2/3') == new Shard(2, 3)
    }

    def "a bad --shard is a usage error"() {
        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet-file', tenantFile(files, 'bad-shard.txt', hundred.take(1)).toString(),
                            '--shard', '3/3'])

        then:
        r.exitCode == 2
        r.err.contains("--shard '3/3' is not I/N with 0 <= I < N")
    }

    def "with --max-failures 1 a failing tenant stops the fleet from starting others; the rerun after the fix goes on"() {
        given:
        List<String> dbs = databases(5, 'fleet_maxf')
        breakTenant(dbs[1])
        Path file = tenantFile(files, 'maxf.txt', dbs)
        Path report = files.dir.resolve('maxf.json')

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '1', '--max-failures', '1',
                            '--report', "json:${report}".toString()])

        then:
        r.exitCode == 1
        r.out.contains("tenant ${dbs[0]}: applied 2 steps")
        r.out.contains("tenant ${dbs[1]}: FAILED at step 'a': ")
        r.out.contains('relation "fleet_t" already exists')
        r.out.contains('failed: 1\n  ' + dbs[1] + ": at step 'a': ")
        r.out.contains('not started: 3 (--max-failures 1 reached); run the same command again to go on')
        !tenantsNamed(r.out).any { it in dbs[2..4] }
        dbs.collect { journalRows(it) } == [2L, 0L, 0L, 0L, 0L]

        and: 'the report has one entry per tenant, each with its run'
        def json = new JsonSlurper().parse(report.toFile())
        json.exitCode == 1
        json.counts == [succeeded: 1, failed: 1, cancelled: 0, notStarted: 3]
        json.tenants*.id == dbs
        json.tenants*.outcome == ['succeeded', 'failed', 'notStarted', 'notStarted', 'notStarted']
        json.tenants[1].run.steps[0].outcome == 'failed'
        json.tenants[1].failure.startsWith("at step 'a': ")
        json.tenants[2].run == null
        !Files.readString(report).contains('password')

        when: 'the table in the way is dropped and the same command runs again'
        fixTenant(dbs[1])
        def rerun = MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '1', '--max-failures', '1'])

        then:
        rerun.exitCode == 0
        rerun.out.contains("tenant ${dbs[0]}: up to date, nothing to apply")
        dbs[1..4].every { rerun.out.contains("tenant ${it}: applied 2 steps") }
        dbs.every { journalRows(it) == 2 }
    }

    def "a failing canary stops the fleet before the next wave"() {
        given:
        List<String> dbs = databases(6, 'fleet_canary')
        breakTenant(dbs[0])
        Path file = tenantFile(files, 'canary.txt', dbs)

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--canary', '1', '--waves', '50%,100%'])

        then:
        r.exitCode == 1
        r.out.startsWith("fleet ${file}: 6 tenants, 3 waves, 4 at a time")
        r.out.contains("tenant ${dbs[0]}: FAILED at step 'a'")
        r.out.contains('not started: 5 (canary had failures)')
        dbs[1..5].every { journalRows(it) == 0 }
    }

    def "a registry query gives tenants with wave labels; a failure in the first label's wave keeps the next from starting"() {
        given:
        String registry = TestPostgres.createDatabase('fleet_registry')
        List<String> dbs = databases(4, 'fleet_waves')
        breakTenant(dbs[1])
        TestPostgres.withSql(registry) { Sql s ->
            s.execute('CREATE TABLE tenants (id text, url text, wave text, position int)')
            dbs.eachWithIndex { db, i ->
                s.execute('INSERT INTO tenants VALUES (?, ?, ?, ?)', ["t${i}".toString(), TestPostgres.jdbcUrl(db), i < 2 ? 'early' : 'late', i])
            }
        }
        files.write('mig.groovy', """
            fleets {
                customers { query url: env('REGISTRY_URL'), sql: 'SELECT id, url, wave FROM tenants ORDER BY position' }
            }
            """)

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet', 'customers'], [REGISTRY_URL: TestPostgres.jdbcUrl(registry)])

        then:
        r.exitCode == 1
        r.out.startsWith('fleet customers: 4 tenants, 2 waves')
        r.out.contains('tenant t0: applied 2 steps')
        r.out.contains("tenant t1: FAILED at step 'a'")
        r.out.contains('not started: 2 (wave early had failures)')
        dbs.collect { journalRows(it) } == [2L, 0L, 0L, 0L]
    }

    def "a tenant whose server is down is reported with exit 6, and the others are migrated"() {
        given:
        List<String> dbs = databases(3, 'fleet_down')
        String down = 'jdbc:postgresql://127.0.0.1:1/gone?user=postgres'
        files.write('mig.groovy', """
            fleets {
                mixed {
                    urls '${TestPostgres.jdbcUrl(dbs[0])}', '${down}'
                    urls(['${TestPostgres.jdbcUrl(dbs[1])}', '${TestPostgres.jdbcUrl(dbs[2])}'])
                }
            }
            """)

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet', 'mixed', '--parallel', '2'])

        then:
        r.exitCode == 6
        r.out.contains('tenant gone: FAILED (exit 6) cannot connect to ')
        r.out.contains('/gone: connection refused')
        r.out.contains('succeeded: 3')
        r.out.contains('failed: 1\n  gone: (exit 6) ')
        dbs.every { journalRows(it) == 2 }
    }

    def "fleet options are checked before anything runs"() {
        given:
        Path file = tenantFile(files, 'checks.txt', hundred.take(2))
        files.write('mig.groovy', "fleets { many { file 'hundred.txt' } }")

        expect:
        with(MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(hundred[0]), '--parallel', '2'])) {
            exitCode == 2
            err.contains('--parallel is for a fleet, and no fleet was given')
        }
        with(MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(hundred[0]), '--fleet-file', file.toString()])) {
            exitCode == 2
            err.contains('--url and a fleet both name targets: give one')
        }
        with(MigCli.run(['run', plan.toString(), '--fleet', 'mny'])) {
            exitCode == 2
            err.contains("no fleet 'mny' in ")
            err.contains("did you mean 'many'?")
        }
        with(MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--waves', '10%,50%'])) {
            exitCode == 2
            err.contains("--waves '10%,50%' stops before 100%")
        }
        with(MigCli.run(['run', plan.toString(), '--fleet-file', tenantFile(files, 'dup.txt', [hundred[0], hundred[0]]).toString()])) {
            exitCode == 2
            err.contains("two tenants have the id '${hundred[0]}'")
        }
        with(MigCli.run(['run', plan.toString(), '--fleet-file', files.write('words.txt', 'a b c d\n').toString()])) {
            exitCode == 2
            err.contains('words.txt:1: 4 words where a tenant line has at most 3')
        }
    }

    def "two fleet runs at once apply each tenant's steps exactly once: each tenant's run holds its own plan lock"() {
        given:
        List<String> dbs = databases(8, 'fleet_twice')
        Path file = tenantFile(files, 'twice.txt', dbs)
        List<String> args = ['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '3']

        when:
        def outcomes = Collections.synchronizedList([])
        def threads = [1, 2].collect { Thread.start { outcomes << MigCli.run(args) } }
        threads*.join()

        then:
        outcomes.size() == 2
        outcomes.every { it.exitCode == 0 }
        outcomes.sum { MigCli r -> r.out.readLines().count { it.contains(': applied 2 steps') } } == 8
        dbs.every { journalRows(it) == 2 }
        dbs.every { db ->
            TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.history WHERE outcome = 'applied'").n } == 2
        }
    }

    def "a password in a tenant's URL is never printed nor written to the report"() {
        given:
        String db = TestPostgres.createDatabase('fleet_secret')
        Path file = files.write('secret.txt', "postgresql://postgres:s3cr3tpw@localhost:${TestPostgres.port()}/${db}\n")
        Path report = files.dir.resolve('secret.json')

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet-file', file.toString(), '--report', "json:${report}".toString()])

        then:
        r.exitCode == 0
        r.out.contains("tenant ${db}: applied 2 steps")
        !r.output.contains('s3cr3tpw')
        !Files.readString(report).contains('s3cr3tpw')
    }

    def "mig status --fleet-file reads each tenant's journal: up to date, steps to run, unreachable"() {
        given:
        List<String> dbs = databases(3, 'fleet_status')
        breakTenant(dbs[1])
        Path file = tenantFile(files, 'status.txt', dbs)
        MigCli.run(['run', plan.toString(), '--fleet-file', file.toString()])
        Path withDown = files.write('status-down.txt', Files.readString(file) + 'gone jdbc:postgresql://127.0.0.1:1/gone?user=postgres\n')

        when:
        def r = MigCli.run(['status', plan.toString(), '--fleet-file', file.toString()])
        def down = MigCli.run(['status', plan.toString(), '--fleet-file', withDown.toString(), '-q'])

        then:
        r.exitCode == 0
        r.out.startsWith("fleet ${file}: 3 tenants, plan 'fleet'")
        r.out.contains("tenant ${dbs[0]}: up to date (2 applied)")
        r.out.contains("tenant ${dbs[1]}: 2 to run, 0 applied")
        r.out.contains('fleet: 2 up to date, 1 with steps to run, 0 drifted, 0 unreadable')
        down.exitCode == 6
        !down.out.contains("tenant ${dbs[0]}:")
        down.out.contains('tenant gone: cannot be read (exit 6) cannot connect to ')
        down.out.contains('fleet: 2 up to date, 1 with steps to run, 0 drifted, 1 unreadable (exit 6)')
    }

    def "--env gives every tenant its journal schema; a fleet url in mig.groovy with a password is refused at its line"() {
        given:
        List<String> dbs = databases(2, 'fleet_env')
        files.write('mig.groovy', """\
            environments { prod { journalSchema 'mig_prod' } }
            fleets {
                pair { urls '${TestPostgres.jdbcUrl(dbs[0])}', '${TestPostgres.jdbcUrl(dbs[1])}' }
                leaky {
                    urls 'postgres://deploy:hunter2@db1/acme'
                }
            }
            """)

        when:
        def r = MigCli.run(['run', plan.toString(), '--env', 'prod', '--fleet', 'pair'])
        def leaky = MigCli.run(['run', plan.toString(), '--fleet', 'leaky'])

        then:
        r.exitCode == 0
        dbs.every { db -> TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS n FROM mig_prod.steps').n } == 2 }
        leaky.exitCode == 2
        leaky.err.contains("mig.groovy:5: fleet 'leaky' has a password written in a url")
        !leaky.output.contains('hunter2')
    }

    def "waves: the canary first, then cumulative shares of the rest rounded up; else the wave labels in order of appearance"() {
        given:
        def target = new dev.mig.target.TargetResolver().parse(TestPostgres.jdbcUrl('postgres'), 'test', [:], files.dir)
        List<Tenant> twenty = (1..20).collect { new Tenant("t${it}".toString(), target, null) }
        List<Tenant> labelled = [['a', 'late'], ['b', 'early'], ['c', null], ['d', 'late']].collect { new Tenant(it[0], target, it[1]) }

        expect:
        Waves.of(twenty, 1, '10%,50%,100%').collect { [it.name(), it.tenants().size()] } ==
                [['canary', 1], ['wave 1 (10%)', 2], ['wave 2 (50%)', 8], ['wave 3 (100%)', 9]]
        Waves.of(twenty, 0, null).collect { it.tenants().size() } == [20]
        Waves.of(labelled, 0, null).collect { [it.name(), it.tenants()*.id()] } ==
                [['wave late', ['a', 'd']], ['wave early', ['b']], ['tenants without a wave', ['c']]]
        Waves.of(labelled, 0, '100%').collect { it.tenants()*.id() } == [['a', 'b', 'c', 'd']]
    }

    def "at most --parallel tenants run at once, each on at most two connections"() {
        given:
        List<String> dbs = databases(6, 'fleet_conn')
        Path slow = files.write('slow-conn.groovy', "plan('conn') { step('a') { sql 'SELECT pg_sleep(0.4)' } }")
        Path file = tenantFile(files, 'conn.txt', dbs)
        int most = 0
        def run = Thread.start { MigCli.run(['run', slow.toString(), '--fleet-file', file.toString(), '--parallel', '2']) }

        when:
        while (run.alive) {
            int now = TestPostgres.withSql('postgres') { Sql s ->
                s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname LIKE 'fleet_conn%'").n as int }
            most = Math.max(most, now)
            Thread.sleep(30)
        }

        then:
        most >= 2
        most <= 4
        dbs.every { journalRows(it) == 1 }
    }
}
