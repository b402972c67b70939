package dev.mig.fleet

import dev.mig.rehearse.Rehearsal
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

/** docs/DSL.md, "Fleets": mig undo --fleet, mig run --reverify --fleet, mig rehearse --fleet, and mig lint refusing a fleet. */
class FleetCommandsSpec extends Specification {

    static final String PLAN = """
        plan('fleet') {
            step('a') {
                sql 'CREATE TABLE fleet_t (id int)'
                undo { sql 'DROP TABLE fleet_t' }
            }
            step('b') {
                sql 'ALTER TABLE fleet_t ADD COLUMN name text NOT NULL'
                verify { table('fleet_t') { column('name') { notNull true } } }
                undo { sql 'ALTER TABLE fleet_t DROP COLUMN name' }
            }
        }
        """

    @Shared PlanFiles files = new PlanFiles()
    @Shared Path plan = files.write('fleet.groovy', PLAN)

    static boolean hasTable(String db) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('fleet_t') IS NOT NULL AS there").there }
    }

    static List<String> undoneLines(String out) {
        out.readLines().findAll { it ==~ /tenant \S+: undone .*/ }
    }

    def "undo --fleet-file: the last step on each tenant; a failing undo with --max-failures 1 stops new ones; --to goes on without undoing twice"() {
        given: 'four migrated tenants; on the second a view keeps the column from being dropped'
        List<String> dbs = databases(4, 'fleet_undo')
        Path file = tenantFile(files, 'undo.txt', dbs)
        assert MigCli.run(['run', plan.toString(), '--fleet-file', file.toString()]).exitCode == 0
        TestPostgres.withSql(dbs[1]) { Sql s -> s.execute('CREATE VIEW fleet_v AS SELECT name FROM fleet_t') }

        when:
        def r = MigCli.run(['undo', plan.toString(), '--fleet-file', file.toString(), '--parallel', '1', '--max-failures', '1'])

        then:
        r.exitCode == 1
        r.out.startsWith("fleet ${file}: 4 tenants, 1 wave, 1 at a time: undo of the last applied step on each tenant\n")
        r.out =~ /tenant ${dbs[0]}: undone 'b' \(\d+\.\d s\)/
        r.out.contains("tenant ${dbs[1]}: FAILED (exit 1) the undo of 'b' failed: ")
        r.out.contains('cannot drop column name of table fleet_t because other objects depend on it')
        r.out.contains("undone: 1\nfailed: 1\n  ${dbs[1]}: (exit 1) the undo of 'b' failed: ")
        r.out.contains('not started: 2 (--max-failures 1 reached)\n')
        r.out.contains('note: the same command again would undo 1 more step on the tenants undone now; go on with --to STEP')
        r.out.readLines().last() ==~ /fleet: 1 of 4 tenants undone in \d+\.\d s \(exit 1\)/
        dbs.collect { journalRows(it) } == [1L, 2L, 2L, 2L]

        when: 'the view is dropped and the fleet undone --to b: where b is not applied, nothing is undone'
        TestPostgres.withSql(dbs[1]) { Sql s -> s.execute('DROP VIEW fleet_v') }
        def to = MigCli.run(['undo', plan.toString(), '--fleet-file', file.toString(), '--to', 'b'])

        then:
        to.exitCode == 0
        to.out.contains("undo of 'b' and the steps applied after it on each tenant")
        to.out =~ /tenant ${dbs[0]}: nothing to undo, 'b' is not applied \(\d+\.\d s\)/
        undoneLines(to.out).size() == 3
        to.out.contains("undone: 4 (3 undid their steps, 1 had 'b' not applied)")
        !to.out.contains('note:')
        dbs.collect { journalRows(it) } == [1L, 1L, 1L, 1L]

        when: 'the canary first, then the rest'
        def all = MigCli.run(['undo', plan.toString(), '--fleet-file', file.toString(), '--to', 'a', '--canary', '1', '-q'])

        then:
        all.exitCode == 0
        all.out.contains('4 tenants, 2 waves, 4 at a time')
        undoneLines(all.out).isEmpty()
        all.out.contains("undone: 4 (4 undid their steps, 0 had 'a' not applied)")
        dbs.every { journalRows(it) == 0 && !hasTable(it) }

        when: 'the same command a third time: nothing left to undo anywhere'
        def again = MigCli.run(['undo', plan.toString(), '--fleet-file', file.toString(), '--to', 'a'])

        then:
        again.exitCode == 0
        again.out.readLines().count { it.contains(": nothing to undo, 'a' is not applied") } == 4
    }

    def "undo --fleet: a tenant with nothing applied fails with exit 2 and the others are undone; options are checked before anything runs"() {
        given:
        List<String> dbs = databases(3, 'fleet_undo_opts')
        Path file = tenantFile(files, 'undo-opts.txt', dbs)
        MigCli.run(['run', plan.toString(), '--fleet-file', tenantFile(files, 'undo-opts-run.txt', dbs[0..1]).toString()])

        when:
        def r = MigCli.run(['undo', plan.toString(), '--fleet-file', file.toString(), '--steps', '2'])

        then:
        r.exitCode == 2
        r.out =~ /tenant ${dbs[0]}: undone 'b', 'a' \(/
        r.out.contains("tenant ${dbs[2]}: FAILED (exit 2) no step of plan 'fleet' is applied on this database; nothing was undone")
        dbs.collect { journalRows(it) } == [0L, 0L, 0L]

        expect:
        with(MigCli.run(['undo', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--max-failures', '1'])) {
            exitCode == 2
            err.contains('--max-failures is for a fleet, and no fleet was given')
        }
        with(MigCli.run(['undo', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--fleet-file', file.toString()])) {
            exitCode == 2
            err.contains('--url and a fleet both name targets: give one')
        }
        with(MigCli.run(['undo', plan.toString(), '--fleet-file', file.toString(), '--to', 'bb'])) {
            exitCode == 2
            err.contains("--to 'bb': plan 'fleet' has no such step; nothing was undone")
            err.contains("did you mean 'b'?")
            out.isEmpty()
        }
        with(MigCli.run(['undo', plan.toString(), '--fleet-file', file.toString(), '--to', 'b', '--steps', '1'])) {
            exitCode == 2
            err.contains('--steps and --to both say which steps to undo: give one')
        }
    }

    def "undo --to on one database undoes the step and those applied after it, and nothing when it is not applied"() {
        given:
        String db = TestPostgres.createDatabase('undo_to')
        String url = TestPostgres.jdbcUrl(db)
        MigCli.run(['run', plan.toString(), '--url', url])

        when:
        def first = MigCli.run(['undo', plan.toString(), '--url', url, '--to', 'a'])
        def second = MigCli.run(['undo', plan.toString(), '--url', url, '--to', 'a'])

        then:
        first.exitCode == 0
        first.out.contains('undone 2 steps in ')
        journalRows(db) == 0
        !hasTable(db)
        second.exitCode == 0
        second.out.contains("nothing to undo: 'a' is not applied on this database (exit 0)")
    }

    def "run --reverify --fleet-file re-verifies each tenant before its run: a tenant whose applied verify no longer holds is exit 3, the others run"() {
        given:
        List<String> dbs = databases(3, 'fleet_reverify')
        Path file = tenantFile(files, 'reverify.txt', dbs)
        MigCli.run(['run', plan.toString(), '--fleet-file', file.toString()])
        TestPostgres.withSql(dbs[1]) { Sql s -> s.execute('ALTER TABLE fleet_t ALTER COLUMN name DROP NOT NULL') }
        Path next = files.write('reverify.groovy', PLAN.replace("""
        }
        """, """
            step('c') { sql 'CREATE TABLE fleet_c (id int)' }
        }
        """))

        when:
        def r = MigCli.run(['run', next.toString(), '--fleet-file', file.toString(), '--reverify'])

        then:
        r.exitCode == 3
        r.out.contains("tenant ${dbs[0]}: applied 1 step")
        r.out.contains("tenant ${dbs[2]}: applied 1 step")
        r.out.contains("tenant ${dbs[1]}: FAILED (exit 3) --reverify: 1 applied step no longer holds its verify; nothing was run")
        r.out.contains("failed: 1\n  ${dbs[1]}: (exit 3) --reverify: ")
        dbs.collect { journalRows(it) } == [3L, 2L, 3L]

        when: 'the column is put back and the same command runs again'
        TestPostgres.withSql(dbs[1]) { Sql s -> s.execute('ALTER TABLE fleet_t ALTER COLUMN name SET NOT NULL') }
        def again = MigCli.run(['run', next.toString(), '--fleet-file', file.toString(), '--reverify'])

        then:
        again.exitCode == 0
        again.out.contains("tenant ${dbs[1]}: applied 1 step")
        again.out.contains("tenant ${dbs[0]}: up to date, nothing to apply")
        dbs.every { journalRows(it) == 3 }
    }

    /** What pg_dump --schema-only writes of mig's journal (as in RehearseSpec). */
    static final String JOURNAL_DUMP = '''\
        CREATE SCHEMA mig;
        CREATE TABLE mig.journal_meta (id integer NOT NULL, schema_version integer NOT NULL,
            created_at timestamp with time zone DEFAULT now() NOT NULL, CONSTRAINT journal_meta_id_check CHECK ((id = 1)));
        CREATE TABLE mig.steps (plan text NOT NULL, step text NOT NULL, "position" integer NOT NULL, checksum text NOT NULL,
            status text NOT NULL, applied_at timestamp with time zone, duration_ms bigint DEFAULT 0 NOT NULL,
            applied_by text DEFAULT CURRENT_USER NOT NULL, mig_version text NOT NULL,
            updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL, guard_evidence jsonb);
        ALTER TABLE ONLY mig.journal_meta ADD CONSTRAINT journal_meta_pkey PRIMARY KEY (id);
        ALTER TABLE ONLY mig.steps ADD CONSTRAINT steps_pkey PRIMARY KEY (plan, step);
        '''.stripIndent()

    /** A stand-in for pg_dump 17 that prints {@code schema} as the tenant's schema. */
    Path fakePgDump(String name, String schema) {
        Path dump = files.write("${name}.sql", schema)
        Path fake = files.write("bin/${name}", """\
            #!/bin/sh
            if [ "\$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 17.0"; exit 0; fi
            cat '${dump}'
            """)
        fake.toFile().setExecutable(true)
        fake
    }

    def "rehearse --fleet-file rehearses on a copy of the fleet's first tenant, or of --tenant's; neither is changed"() {
        given: 'the first tenant has step a applied, the second none'
        List<String> dbs = databases(2, 'fleet_rehearse')
        Path file = tenantFile(files, 'rehearse.txt', dbs)
        MigCli.run(['run', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--until', 'a'])
        Path halfDump = fakePgDump('pg_dump_half', JOURNAL_DUMP + 'CREATE TABLE public.fleet_t (id integer);\n')
        Path emptyDump = fakePgDump('pg_dump_empty', 'SET statement_timeout = 0;\n')

        when:
        def first = MigCli.run(['rehearse', plan.toString(), '--fleet-file', file.toString(), '--pg-dump', halfDump.toString(),
                                '--shadow', TestPostgres.jdbcUrl(TestPostgres.createDatabase('fleet_shadow'))])
        def chosen = MigCli.run(['rehearse', plan.toString(), '--fleet-file', file.toString(), '--tenant', dbs[1],
                                 '--pg-dump', emptyDump.toString(),
                                 '--shadow', TestPostgres.jdbcUrl(TestPostgres.createDatabase('fleet_shadow'))])

        then:
        first.exitCode == 0
        first.out.startsWith("fleet ${file}: rehearsing on tenant ${dbs[0]} (postgresql://postgres@localhost:${TestPostgres.port()}/${dbs[0]}),"
                + ' the first of 2 tenants; --tenant ID picks another\n')
        first.out.contains('1 applied, 0 skipped, 1 applied earlier')
        first.out.readLines().last() == Rehearsal.LAST_LINE
        chosen.exitCode == 0
        chosen.out.startsWith("fleet ${file}: rehearsing on tenant ${dbs[1]} (")
        chosen.out.contains('one of 2 tenants\n')
        chosen.out.contains('2 applied, 0 skipped, 0 applied earlier')

        and: 'the tenants are as they were'
        dbs.collect { journalRows(it) } == [1L, 0L]
        !hasTable(dbs[1])

        expect:
        with(MigCli.run(['rehearse', plan.toString(), '--fleet-file', file.toString(), '--tenant', dbs[1] + 'x'])) {
            exitCode == 2
            err.contains("--tenant '${dbs[1]}x': the fleet has no tenant with this id")
            err.contains("did you mean '${dbs[1]}'?")
        }
        with(MigCli.run(['rehearse', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--tenant', dbs[0]])) {
            exitCode == 2
            err.contains('--tenant is for a fleet, and no fleet was given')
        }
        with(MigCli.run(['rehearse', plan.toString(), '--url', TestPostgres.jdbcUrl(dbs[0]), '--fleet-file', file.toString()])) {
            exitCode == 2
            err.contains('--url and a fleet both name targets: give one')
        }
    }

    def "lint refuses a fleet with what to do instead: the plan is linted once"() {
        given:
        Path file = tenantFile(files, 'lint.txt', [TestPostgres.createDatabase('fleet_lint')])
        files.write('mig.groovy', "fleets { shop { file 'lint.txt' } }")

        expect:
        with(MigCli.run(['lint', plan.toString(), '--fleet', 'shop'])) {
            exitCode == 2
            err.contains('mig lint takes no fleet: it lints the plan\'s text once, not each tenant (--fleet)')
            err.contains('mig lint PLAN --no-target reads the plan alone; --url of the largest tenant')
        }
        with(MigCli.run(['lint', plan.toString(), '--fleet-file', file.toString(), '--format', 'json'])) {
            exitCode == 2
            out.contains('"message" : "mig lint takes no fleet') || out.contains('"message": "mig lint takes no fleet')
        }
    }
}
