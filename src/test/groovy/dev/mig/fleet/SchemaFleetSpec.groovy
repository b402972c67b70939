package dev.mig.fleet

import dev.mig.run.PlanLock
import dev.mig.testing.ChildJvm
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.json.JsonSlurper
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** docs/DSL.md, "Fleets", schema per tenant: one database, a tenant per schema, each with its own journal rows and lock. */
class SchemaFleetSpec extends Specification {

    /** Unqualified SQL: each tenant's tables land in its schema; guards and verify look there first. */
    static final String PLAN = '''
        plan('saas') {
            step('settings') {
                guard { !table('settings').exists() }
                sql 'CREATE TABLE settings (tenant text PRIMARY KEY, created_in text)'
                sql 'INSERT INTO settings VALUES ($$${tenant}$$, $$${tenant.schema}$$)'
                verify { table('settings') { columns 'tenant', 'created_in' } }
            }
            step('projects') {
                sql 'CREATE TABLE projects (id bigint PRIMARY KEY, name text NOT NULL)'
                verify { table('projects') { columns 2 } }
            }
        }
        '''

    @Shared PlanFiles files = new PlanFiles()
    @Shared Path plan
    @Shared String db
    @Shared List<String> schemas

    def setupSpec() {
        plan = files.write('saas.groovy', PLAN)
        db = TestPostgres.createDatabase('fleet_schemas')
        schemas = (1..300).collect { String.format('tenant_%03d', it) }
        TestPostgres.withSql(db) { Sql s -> schemas.each { s.execute("CREATE SCHEMA ${it}".toString()) } }
    }

    static long applied(String db, String tenant) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE plan = 'saas' AND tenant = ? AND status = 'applied'", [tenant]).n as long
        }
    }

    static Set<String> tenantsNamed(String out) {
        out.readLines().findAll { it.startsWith('tenant ') }.collect { it.substring(7, it.indexOf(':')) } as Set
    }

    def "300 tenant schemas of one database: each gets its own tables and journal rows, and the rerun finds all up to date"() {
        given:
        files.write('mig.groovy', "fleets { saas { schemas 'tenant_*', url: env('APP_URL') } }")
        def env = [APP_URL: TestPostgres.jdbcUrl(db)]

        when:
        def first = MigCli.run(['run', plan.toString(), '--fleet', 'saas', '--parallel', '4'], env)

        then:
        first.exitCode == 0
        first.out.startsWith('fleet saas: 300 tenants, 1 wave, 4 at a time')
        first.out.readLines().count { it ==~ /tenant tenant_\d{3}: applied 2 steps \(\d+\.\d s\)/ } == 300
        first.out.contains('fleet: 300 of 300 tenants succeeded')
        TestPostgres.withSql(db) { Sql s ->
            assert s.firstRow("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'projects'").n == 300
            assert s.firstRow("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'").n == 0
            assert s.firstRow("SELECT tenant, created_in FROM tenant_042.settings").values() as List == ['tenant_042', 'tenant_042']
            assert s.firstRow("SELECT count(DISTINCT tenant) AS t, count(*) AS n FROM mig.steps WHERE status = 'applied'").values() as List
                    == [300, 600]
            true
        }

        when: 'a run of tenant_007 holds its plan lock: an up-to-date tenant is told from one read of the journal, without the lock'
        Sql holder = new Sql(TestPostgres.connect(db))
        holder.execute('SELECT pg_advisory_lock(?)', [PlanLock.keyFor('mig', 'saas', 'tenant_007')])
        def again = MigCli.run(['run', plan.toString(), '--fleet', 'saas', '--lock-wait', '1s'], env)

        then:
        again.exitCode == 0
        again.out.readLines().count { it ==~ /tenant tenant_\d{3}: up to date, nothing to apply \(\d+\.\d s\)/ } == 300
        applied(db, 'tenant_007') == 2

        when: 'a step changed since it ran is not up to date: the tenants take the ordinary run, which says so'
        Path edited = files.write('saas-edited.groovy', PLAN.replace('name text NOT NULL', 'name text'))
        def drift = MigCli.run(['run', edited.toString(), '--fleet', 'saas', '--max-failures', '1', '--parallel', '1'], env)

        then:
        drift.exitCode == 5
        drift.out.contains("tenant tenant_001: FAILED (exit 5) 1 applied step has changed since they ran")

        cleanup:
        holder?.close()
    }

    def "tenants progress on their own: one that fails leaves the others applied, and the rerun after the fix runs only it"() {
        given:
        String one = TestPostgres.createDatabase('fleet_schemas_own')
        TestPostgres.withSql(one) { Sql s ->
            ['a', 'b', 'c'].each { s.execute("CREATE SCHEMA shop_${it}".toString()) }
            s.execute('CREATE TABLE shop_b.projects (id int)')
        }
        List<String> args = ['run', plan.toString(), '--fleet-schemas', 'shop_?', '--url', TestPostgres.jdbcUrl(one)]

        when:
        def r = MigCli.run(args)

        then:
        r.exitCode == 1
        r.out.startsWith('fleet shop_?: 3 tenants')
        r.out.contains('tenant shop_a: applied 2 steps')
        r.out.contains("tenant shop_b: FAILED at step 'projects': relation \"projects\" already exists")
        [applied(one, 'shop_a'), applied(one, 'shop_b'), applied(one, 'shop_c')] == [2L, 1L, 2L]

        when:
        TestPostgres.withSql(one) { Sql s -> s.execute('DROP TABLE shop_b.projects') }
        def rerun = MigCli.run(args)

        then:
        rerun.exitCode == 0
        rerun.out.contains('tenant shop_a: up to date')
        rerun.out.contains('tenant shop_b: applied 1 step')
        applied(one, 'shop_b') == 2

        when: 'the database itself, not a tenant: its own journal rows are apart from the tenants\''
        def own = MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(one)])

        then: 'the plan uses ${tenant}, which only a fleet run gives'
        own.exitCode == 2
        own.err.contains('placeholder ${tenant} has no value')
    }

    def "a registry query's schema column: tenants of the registry's own database, a missing schema is created, waves by label"() {
        given:
        String app = TestPostgres.createDatabase('fleet_schemas_registry')
        TestPostgres.withSql(app) { Sql s ->
            s.execute('CREATE SCHEMA acme')
            s.execute('CREATE TABLE public.tenants (id text, schema_name text, wave text)')
            s.execute("INSERT INTO public.tenants VALUES ('acme', 'acme', 'canary'), ('globex', 'globex_co', 'rest')")
        }
        files.write('mig.groovy', '''
            fleets { registry { query url: env('APP_URL'), sql: 'SELECT id, schema_name AS schema, wave FROM public.tenants ORDER BY id' } }
            ''')

        when:
        def r = MigCli.run(['run', plan.toString(), '--fleet', 'registry', '--report', "json:${files.dir.resolve('fleet.json')}".toString()],
                [APP_URL: TestPostgres.jdbcUrl(app)])

        then:
        r.exitCode == 0
        r.out.startsWith('fleet registry: 2 tenants, 2 waves')
        TestPostgres.withSql(app) { Sql s ->
            assert s.firstRow('SELECT tenant, created_in FROM globex_co.settings').values() as List == ['globex', 'globex_co']
            true
        }
        applied(app, 'globex_co') == 2
        def json = new JsonSlurper().parse(files.dir.resolve('fleet.json').toFile())
        json.tenants*.schema == ['acme', 'globex_co']
        json.tenants*.id == ['acme', 'globex']
    }

    def "two fleet runs at once on the same schemas apply each tenant's steps exactly once"() {
        given:
        String one = TestPostgres.createDatabase('fleet_schemas_twice')
        TestPostgres.withSql(one) { Sql s -> (1..12).each { s.execute("CREATE SCHEMA twice_${it}".toString()) } }
        List<String> args = ['run', plan.toString(), '--fleet-schemas', 'twice_*', '--url', TestPostgres.jdbcUrl(one), '--parallel', '3']

        when:
        def outcomes = Collections.synchronizedList([])
        def threads = [1, 2].collect { Thread.start { outcomes << MigCli.run(args) } }
        threads*.join()

        then:
        outcomes.every { it.exitCode == 0 }
        outcomes.sum { MigCli r -> r.out.readLines().count { it.contains(': applied 2 steps') } } == 12
        TestPostgres.withSql(one) { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM mig.history WHERE outcome = 'applied'").n
        } == 24
    }

    def "--shard splits the schemas of a database over three processes running at once, every tenant exactly once"() {
        given:
        String one = TestPostgres.createDatabase('fleet_schemas_shard')
        TestPostgres.withSql(one) { Sql s -> (1..30).each { s.execute("CREATE SCHEMA part_${it}".toString()) } }

        when: 'three processes at once, as three machines of a CI matrix would run them'
        List<Process> processes = (0..2).collect { i ->
            new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main', 'run', plan.toString(), '--fleet-schemas', 'part_*',
                                                  '--url', TestPostgres.jdbcUrl(one), '--shard', "${i}/3".toString()])
                    .redirectErrorStream(true).start()
        }
        List<String> outs = processes.collect { new String(it.inputStream.readAllBytes(), StandardCharsets.UTF_8) }
        processes.each { assert it.waitFor(120, TimeUnit.SECONDS) && it.exitValue() == 0 }
        List<Set<String>> parts = outs.collect { tenantsNamed(it) }

        then:
        parts.sum { it.size() } == 30
        parts.sum() as Set == (1..30).collect { "part_${it}".toString() } as Set
        TestPostgres.withSql(one) { Sql s -> s.firstRow("SELECT count(DISTINCT tenant) AS n FROM mig.steps").n } == 30
    }

    def "status, plan and undo of a schema fleet read and undo each tenant's own rows, in its own schema"() {
        given:
        String app = TestPostgres.createDatabase('fleet_schemas_cmds')
        TestPostgres.withSql(app) { Sql s -> ['co_a', 'co_b', 'co_c'].each { s.execute("CREATE SCHEMA ${it}".toString()) } }
        Path undoable = files.write('undoable.groovy', """
            plan('undoable') {
                step('a') { sql 'CREATE TABLE a (id int)'; undo { sql 'DROP TABLE a' } }
                step('b') { sql 'CREATE TABLE b_\${tenant} (id int)'; undo { sql 'DROP TABLE b_\${tenant}' } }
            }
            """)
        files.write('mig.groovy', "fleets { cos { schemas 'co_*', url: env('APP_URL') } }")
        def env = [APP_URL: TestPostgres.jdbcUrl(app)]
        assert MigCli.run(['run', undoable.toString(), '--fleet', 'cos', '--until', 'a'], env).exitCode == 0
        assert MigCli.run(['run', undoable.toString(), '--fleet-schemas', 'co_a', '--url', TestPostgres.jdbcUrl(app)]).exitCode == 0

        when:
        def status = MigCli.run(['status', undoable.toString(), '--fleet', 'cos', '--format', 'json'], env)
        def preview = MigCli.run(['plan', undoable.toString(), '--fleet', 'cos'], env)

        then:
        status.exitCode == 0
        with(new JsonSlurper().parseText(status.out) as Map) {
            counts == [tenants: 3, upToDate: 1, toRun: 2, drifted: 0, unreadable: 0]
            tenants*.id == ['co_a', 'co_b', 'co_c']
        }
        preview.exitCode == 0
        preview.out =~ /1 tenant: 0 would run, 0 would be skipped, 0 would fail, 2 applied earlier\n\s+co_a\n/
        preview.out =~ /2 tenants: 1 would run, 0 would be skipped, 0 would fail, 1 applied earlier\n\s+co_b, co_c\n\s+pending\s+b\s+would run/

        when: 'undo --to a on every tenant: each drops its own tables, in its own schema'
        def undo = MigCli.run(['undo', undoable.toString(), '--fleet', 'cos', '--to', 'a'], env)

        then:
        undo.exitCode == 0
        undo.out =~ /tenant co_a: undone 'b', 'a'/
        undo.out =~ /tenant co_b: undone 'a'/
        TestPostgres.withSql(app) { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_tables WHERE schemaname LIKE 'co\\_%'").n
        } == 0
        TestPostgres.withSql(app) { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE plan = 'undoable'").n } == 0
    }

    def "run --reverify on a schema fleet checks each tenant's applied steps in its own schema: the one changed by hand is exit 3"() {
        given:
        String app = TestPostgres.createDatabase('fleet_schemas_reverify')
        TestPostgres.withSql(app) { Sql s -> ['r_a', 'r_b'].each { s.execute("CREATE SCHEMA ${it}".toString()) } }
        List<String> args = ['run', plan.toString(), '--fleet-schemas', 'r_?', '--url', TestPostgres.jdbcUrl(app)]
        assert MigCli.run(args).exitCode == 0
        TestPostgres.withSql(app) { Sql s -> s.execute('ALTER TABLE r_b.settings DROP COLUMN created_in') }

        when:
        def r = MigCli.run(args + ['--reverify'])

        then:
        r.exitCode == 3
        r.out.contains('tenant r_a: up to date, nothing to apply')
        r.out.contains('tenant r_b: FAILED (exit 3) --reverify: 1 applied step no longer holds its verify; nothing was run')
    }

    def "kill -9 of a schema fleet's run leaves each tenant done, untouched or with whole steps, and the rerun converges"() {
        given:
        String app = TestPostgres.createDatabase('fleet_schemas_kill')
        TestPostgres.withSql(app) { Sql s -> (1..8).each { s.execute("CREATE SCHEMA k_${it}".toString()) } }
        Path slow = files.write('slow.groovy', """
            plan('slow') {
                step('a') { sql 'SELECT pg_sleep(0.8); CREATE TABLE slow_t (id int)' }
                step('b') { sql 'ALTER TABLE slow_t ADD COLUMN name text' }
            }
            """)
        List<String> args = ['run', slow.toString(), '--fleet-schemas', 'k_*', '--url', TestPostgres.jdbcUrl(app), '--parallel', '2']

        when:
        def command = ChildJvm.java() + ['dev.mig.cli.Main'] + args
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start()
        def reader = new BufferedReader(new InputStreamReader(p.inputStream, StandardCharsets.UTF_8))
        String line
        while ((line = reader.readLine()) != null && !line.startsWith('tenant ')) {
        }
        new ProcessBuilder('kill', '-KILL', p.pid().toString()).start().waitFor()
        assert p.waitFor(60, TimeUnit.SECONDS)
        long until = System.currentTimeMillis() + 10_000
        while (TestPostgres.withSql('postgres') { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ?", [app]).n } > 0 && System.currentTimeMillis() < until) {
            Thread.sleep(100)
        }
        Map<String, String> states = TestPostgres.withSql(app) { Sql s ->
            (1..8).collectEntries { i ->
                String tenant = "k_${i}"
                String rows = s.rows("SELECT step, status FROM mig.steps WHERE plan = 'slow' AND tenant = ? ORDER BY position", [tenant])
                        .collect { "${it.step}=${it.status}" }.join(',')
                boolean table = s.firstRow("SELECT to_regclass(?) IS NOT NULL AS t", ["${tenant}.slow_t".toString()]).t
                [(tenant): rows + (table ? ' +table' : '')]
            }
        }

        then: 'a step is applied exactly when its table is there'
        p.exitValue() == 137
        states.values().every { it in ['', 'a=applied +table', 'a=applied,b=applied +table'] }
        states.values().count { it == '' } >= 1

        when:
        def rerun = MigCli.run(args)

        then:
        rerun.exitCode == 0
        TestPostgres.withSql(app) { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE plan = 'slow' AND status = 'applied'").n
        } == 16
    }

    def "schema fleets are checked before anything runs: no match, tenant.schema in a database fleet, --fleet-schemas without a database"() {
        given:
        String empty = TestPostgres.createDatabase('fleet_schemas_none')
        String other = TestPostgres.createDatabase('fleet_schemas_db')
        Path dbFile = files.write('dbs.txt', "${other} ${TestPostgres.jdbcUrl(other)}\n")

        when:
        def none = MigCli.run(['run', plan.toString(), '--fleet-schemas', 'nobody_*', '--url', TestPostgres.jdbcUrl(empty)])
        def dbFleet = MigCli.run(['run', plan.toString(), '--fleet-file', dbFile.toString()])
        def noUrl = MigCli.run(['run', plan.toString(), '--fleet-schemas', 'x_*'], [:])

        then:
        none.exitCode == 2
        none.err.contains('no schema of')
        none.err.contains('matches nobody_*')
        dbFleet.exitCode == 2
        dbFleet.err.contains('placeholder ${tenant.schema} has no value')
        TestPostgres.withSql(other) { Sql s -> s.firstRow("SELECT to_regclass('mig.steps') IS NULL AS none").none }
        noUrl.exitCode == 2
        noUrl.err.contains('--fleet-schemas needs the database that holds the schemas')

        when: 'schemas in mig.groovy without the database, or with a password in its url'
        files.write('mig.groovy', '''fleets {
            bad { schemas 'x_*' }
            secret { schemas 'x_*', url: 'postgres://app:hunter2@db/app' }
        }''')
        def bad = MigCli.run(['run', plan.toString(), '--fleet', 'bad'])
        def secret = MigCli.run(['run', plan.toString(), '--fleet', 'secret'])

        then:
        bad.exitCode == 2
        bad.err.contains('mig.groovy:2')
        bad.err.contains('schemas needs the url: of the database that holds them')
        secret.exitCode == 2
        secret.err.contains("mig.groovy:3: fleet 'secret' has a password written in a url")
        !(secret.out + secret.err).contains('hunter2')
    }
}
