package dev.mig.rehearse

import dev.mig.model.Plan
import dev.mig.plan.PlanLoader
import dev.mig.run.RunListener
import dev.mig.run.RunOptions
import dev.mig.target.TargetResolver
import dev.mig.target.TestcontainersSpec
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Requires

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path

class RehearseSpec extends DatabaseSpec {

    static final String PG15_DUMP = '/usr/lib/postgresql/15/bin/pg_dump'

    Path bookshop = files.write('bookshop.groovy', '''\
        plan('bookshop') {
            step('create authors') {
                sql 'CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)'
            }
            step('create books') {
                sql 'CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint REFERENCES authors (id))'
                verify { table 'books' }
            }
        }
        ''')

    static MigCli rehearse(List<String> args, Map<String, String> env = [:]) {
        MigCli.run(['rehearse'] + args, env)
    }

    Map fingerprint() {
        sql { Sql s ->
            [relations: s.rows("SELECT c.oid::regclass::text AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1")*.r,
             steps    : s.rows('SELECT step, status, checksum, updated_at FROM mig.steps ORDER BY step')*.toSpreadMap(),
             history  : s.firstRow('SELECT count(*) AS n FROM mig.history').n]
        }
    }

    def "without a target the plan runs on an embedded shadow and says so"() {
        when:
        def result = rehearse([bookshop.toString()])
        def lines = result.out.readLines()

        then:
        result.exitCode == 0
        lines[0].startsWith('mig rehearse: shadow database: embedded PostgreSQL 17')
        lines[1] == 'mig rehearse: no target given (--url, MIG_URL, DATABASE_URL or PG* variables): the shadow starts empty'
        result.out.contains('2 applied')
        lines.last() == 'rehearsal on a throwaway database: the target was not changed'
    }

    def "a failing plan exits 1 with the run's report, and still ends with the rehearsal line"() {
        given:
        def broken = files.write('broken.groovy', '''\
            plan('broken') {
                step('make t') { sql 'CREATE TABLE t (id int)' }
                step('bad column') { sql 'ALTER TABLE t ADD COLUMN x no_such_type' }
            }
            ''')

        when:
        def result = rehearse([broken.toString()])

        then:
        result.exitCode == 1
        result.out.contains('failed')
        result.out.contains('bad column')
        result.out.contains('42704')
        result.out.readLines().last() == 'rehearsal on a throwaway database: the target was not changed'
    }

    def "with a target, its schema and journal go into the shadow, only pending steps run there, and the target is unchanged"() {
        given: 'the target has the first step applied'
        mig('--until', 'create authors', bookshop.toString()).exitCode == 0
        sql { Sql s -> s.execute("INSERT INTO authors VALUES (1, 'Ann')") }
        def before = fingerprint()

        and: 'an empty database as the shadow, and a stand-in for pg_dump: what pg_dump --schema-only writes for this target'
        String shadowDb = TestPostgres.createDatabase('rehearse_shadow')
        def resolver = new TargetResolver()
        def target = resolver.parse(url, '--url', [:], null)
        def shadow = resolver.parse(TestPostgres.jdbcUrl(shadowDb), '--shadow', [:], null)
        String dump = '''\
            \\restrict abc123
            SET statement_timeout = 0;
            SELECT pg_catalog.set_config('search_path', '', false);
            CREATE SCHEMA mig;
            CREATE TABLE mig.journal_meta (id integer NOT NULL, schema_version integer NOT NULL,
                created_at timestamp with time zone DEFAULT now() NOT NULL, CONSTRAINT journal_meta_id_check CHECK ((id = 1)));
            CREATE TABLE mig.steps (plan text NOT NULL, step text NOT NULL, "position" integer NOT NULL, checksum text NOT NULL,
                status text NOT NULL, applied_at timestamp with time zone, duration_ms bigint DEFAULT 0 NOT NULL,
                applied_by text DEFAULT CURRENT_USER NOT NULL, mig_version text NOT NULL,
                updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL, guard_evidence jsonb);
            ALTER TABLE ONLY mig.journal_meta ADD CONSTRAINT journal_meta_pkey PRIMARY KEY (id);
            ALTER TABLE ONLY mig.steps ADD CONSTRAINT steps_pkey PRIMARY KEY (plan, step);
            CREATE TABLE public.authors (id bigint NOT NULL, name text NOT NULL);
            ALTER TABLE ONLY public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);
            \\unrestrict abc123
            '''.stripIndent()
        def out = new ByteArrayOutputStream()
        Plan plan = new PlanLoader().load(bookshop)
        int dumpedVersion = 0

        when:
        def result = new Rehearsal(plan, RunOptions.defaults(), RunListener.NONE, new PrintStream(out, true, 'UTF-8'), 'test')
                .rehearse(Optional.of(target), Optional.of(shadow), { t, version -> dumpedVersion = version; dump } as Rehearsal.SchemaSource)
        def printed = out.toString(StandardCharsets.UTF_8)

        then: 'the shadow has the schema but not the data, and only the pending step ran there'
        result.exitCode().code() == 0
        dumpedVersion >= 170000
        printed.contains('copied the schema of postgresql://postgres@localhost:')
        printed.contains('(9 statements, no data, owners or privileges)')
        printed.contains('copied 1 journal row of mig.steps')
        TestPostgres.withSql(shadowDb) { Sql s ->
            assert s.firstRow('SELECT count(*) AS n FROM authors').n == 0
            assert s.firstRow("SELECT to_regclass('books') IS NOT NULL AS b").b
            assert s.rows("SELECT step, status FROM mig.steps ORDER BY position")*.toSpreadMap() ==
                    [[step: 'create authors', status: 'applied'], [step: 'create books', status: 'applied']]
            // the run in the shadow wrote history for the one step it ran
            assert s.rows('SELECT step FROM mig.history')*.step == ['create books']
            true
        }
        result.steps()*.outcome()*.name() == ['ALREADY_APPLIED', 'APPLIED']

        and: 'the target is exactly as it was'
        fingerprint() == before
        !exists('books')
        printed.readLines().last() == 'rehearsal on a throwaway database: the target was not changed'
    }

    def "with a target but no pg_dump on the PATH, rehearse says what to install or point at (exit 2)"() {
        when:
        def result = rehearse(['--url', url, bookshop.toString()], [PATH: '/nonexistent'])

        then:
        result.exitCode == 2
        result.err.contains('mig: rehearse --url copies the target\'s schema with pg_dump, and there is no pg_dump on the PATH')
        result.err.contains('--pg-dump PATH or MIG_PG_DUMP')
    }

    def "a --pg-dump that does not exist is named (exit 2)"() {
        when:
        def result = rehearse(['--url', url, '--pg-dump', '/nonexistent/pg_dump', bookshop.toString()])

        then:
        result.exitCode == 2
        result.err.contains('the pg_dump named by --pg-dump (/nonexistent/pg_dump) does not exist or is not executable')
    }

    @Requires(value = { Files.isExecutable(Path.of(RehearseSpec.PG15_DUMP)) },
            reason = 'needs a pg_dump older than the embedded PostgreSQL 17 (this machine has /usr/lib/postgresql/15)')
    def "a pg_dump older than the target's server is refused with both versions named (exit 2), before anything starts"() {
        when:
        def result = rehearse(['--url', url, bookshop.toString()], [MIG_PG_DUMP: PG15_DUMP])

        then:
        result.exitCode == 2
        result.err =~ /mig: pg_dump 15\.\d+ \(\/usr\/lib\/postgresql\/15\/bin\/pg_dump, from MIG_PG_DUMP\) cannot dump a PostgreSQL 17 server: pg_dump must be the server's major version or newer/
        result.err.contains('install the PostgreSQL 17 client tools')
        !result.out.contains('shadow database')
    }

    def "pg_dump's own 'server version mismatch' is reported the same way"() {
        given: 'a pg_dump that claims a new version but fails as an old one does'
        def fake = files.write('bin/pg_dump', '''\
            #!/bin/sh
            if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 99.1"; exit 0; fi
            echo "pg_dump: error: aborting because of server version mismatch" >&2
            exit 1
            ''')
        fake.toFile().setExecutable(true)

        when:
        def result = rehearse(['--url', url, '--pg-dump', fake.toString(), bookshop.toString()])

        then:
        result.exitCode == 2
        result.err.contains('pg_dump 99.1 (' + fake + ', from --pg-dump) cannot dump a PostgreSQL 17 server')
    }

    /** A pg_dump on this machine that can dump the embedded PostgreSQL 17, if there is one. */
    static String compatiblePgDump() {
        List<String> candidates = [System.getenv('MIG_PG_DUMP')] +
                (System.getenv('PATH') ?: '').split(':').collect { it + '/pg_dump' } +
                (17..30).collect { "/usr/lib/postgresql/${it}/bin/pg_dump".toString() }
        candidates.findAll { it && Files.isExecutable(Path.of(it)) }.find { String p ->
            def m = [p, '--version'].execute().text =~ /\(PostgreSQL\) (\d+)/
            m.find() && (m.group(1) as int) >= 17
        }
    }

    @Requires(value = { RehearseSpec.compatiblePgDump() != null },
            reason = 'no pg_dump 17 or newer on this machine (MIG_PG_DUMP, PATH, /usr/lib/postgresql/NN): the real dump cannot be tried')
    def "with a real pg_dump, the target's schema is copied and only the pending step runs"() {
        given:
        mig('--until', 'create authors', bookshop.toString()).exitCode == 0
        def before = fingerprint()

        when:
        def result = rehearse(['--url', url, '--pg-dump', compatiblePgDump(), bookshop.toString()])

        then:
        result.exitCode == 0
        result.out.contains('copied the schema of postgresql://postgres@localhost:')
        result.out.contains('copied 1 journal row of mig.steps')
        result.out.contains('1 applied')
        fingerprint() == before
    }

    def "the target itself is refused as the shadow, under any spelling of this machine (exit 2)"() {
        given:
        String shadowUrl = spelling.replace('PORT', TestPostgres.port() as String).replace('DB', db)

        when:
        def result = rehearse(['--url', url, '--shadow', shadowUrl, bookshop.toString()])

        then:
        result.exitCode == 2
        result.err.contains('is the target itself')
        result.err.contains('rehearse would run the plan on the real database')

        where:
        spelling << ['jdbc:postgresql://localhost:PORT/DB?user=postgres', 'postgres://postgres@127.0.0.1:PORT/DB']
    }

    @Requires(value = { TestcontainersSpec.dockerAvailable() }, reason = 'no Docker engine on this machine: a jdbc:tc: shadow cannot start a container')
    def "a jdbc:tc: shadow runs the plan in a container"() {
        when:
        def result = rehearse(['--shadow', 'jdbc:tc:postgresql:17:///shadow', bookshop.toString()])

        then:
        result.exitCode == 0
        result.out.contains('2 applied')
    }
}
