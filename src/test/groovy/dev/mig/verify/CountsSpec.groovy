package dev.mig.verify

import dev.mig.api.ExitCode
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

/**
 * Counts and absences (docs/DSL.md section 6, "Counts, names and absences"): what a schema holds,
 * a table's foreign keys, indexes beside its constraints, policies and triggers by name, and
 * `absent`, through real plans, each holding and failing with what differs.
 */
class CountsSpec extends Specification {

    static final String SCHEMA = '''
        CREATE SCHEMA kb;
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA kb;
        CREATE TYPE kb.status AS ENUM ('draft', 'live');
        CREATE TYPE kb.kind AS ENUM ('doc', 'faq');
        CREATE DOMAIN kb.slug AS text CHECK (VALUE ~ '^[a-z-]+$');
        CREATE TABLE kb.docs (id bigint PRIMARY KEY, slug kb.slug UNIQUE, status kb.status, body text);
        CREATE TABLE kb.chunks (
            id bigserial PRIMARY KEY,
            doc_id bigint NOT NULL REFERENCES kb.docs (id),
            content_type text NOT NULL,
            content_id bigint NOT NULL,
            body text,
            score real
        );
        CREATE INDEX chunks_body_idx ON kb.chunks USING gin (body kb.gin_trgm_ops);
        CREATE VIEW kb.live_docs AS SELECT * FROM kb.docs WHERE status = 'live';
        CREATE FUNCTION kb.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
        CREATE FUNCTION kb.rank(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE TRIGGER chunks_touch BEFORE UPDATE ON kb.chunks FOR EACH ROW EXECUTE FUNCTION kb.touch();
        ALTER TABLE kb.chunks ENABLE ROW LEVEL SECURITY;
        CREATE POLICY chunks_owner ON kb.chunks USING (true);
        CREATE POLICY chunks_admin ON kb.chunks FOR DELETE USING (true);
    '''

    @Shared PlanFiles files = new PlanFiles()
    @Shared String db
    @Shared String url

    def setupSpec() {
        db = TestPostgres.createDatabase('counts')
        url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s -> s.execute(SCHEMA) }
    }

    MigCli verify(String name, String expectations) {
        VerifyPlans.verify(files, url, name, expectations)
    }

    String status(String plan) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT status FROM mig.steps WHERE plan = ${plan}")?.status }
    }

    def "a schema that holds what the block counts verifies; what its extension brought is not counted"() {
        when:
        def result = verify('schema_holds', '''
            schema('kb') {
                tables 2
                views 1
                materializedViews 0
                sequences 1
                indexes 4
                enums 2
                domains 1
                functions 2
                triggers 1
                policies 2
                enums 'status', 'kind'
                functions 'touch', 'rank(integer, text)'
                triggers 'chunks_touch'
                tables atLeast(1)
            }
        ''')

        then:
        result.exitCode == 0
        status('schema_holds') == 'applied'
    }

    def "a schema that holds more or less than promised names what differs"() {
        when:
        def result = verify('schema_differs', '''
            schema('kb') {
                tables 3
                enums 'status', 'mood'
                functions 1
                views 'live_docs'
            }
            schema('nope') { tables 1 }
        ''')

        then:
        result.exitCode == ExitCode.VERIFY_FAILED.code()
        def out = result.output
        out.contains('schema kb: expected 3 tables, found 2 (chunks, docs)')
        out.contains('schema kb: expected enums status, mood, found kind, status (missing: mood; extra: kind)')
        out.contains('schema kb: expected 1 functions, found 2 (rank(integer, text), touch())')
        !out.contains('schema kb: expected views')
        out.contains('schema nope: does not exist')
        status('schema_differs') == 'failed'
    }

    def "foreign keys, indexes beside constraints, policies and triggers by name, and columns by name"() {
        when:
        def holds = verify('table_holds', '''
            table('kb.chunks') {
                foreignKeys 1
                foreignKeys 'chunks_doc_id_fkey'
                noForeignKey 'content_id'
                indexes 2
                indexes 1, excluding: 'constraints'
                indexes 1, excluding: 'primaryKey'
                policies 'chunks_owner', 'chunks_admin'
                triggers 'chunks_touch'
                columns 'id', 'doc_id', 'content_type', 'content_id', 'body', 'score'
            }
            table('kb.docs') { indexes 0, excluding: 'constraints'; indexes 1, excluding: 'primaryKey'; foreignKeys 0 }
        ''')
        def broken = verify('table_broken', '''
            table('kb.chunks') {
                foreignKeys 0
                noForeignKey 'doc_id'
                indexes 0, excluding: 'constraints'
                policies 'chunks_owner', 'chunks_reader'
                triggers 'chunks_audit'
                columns 'id', 'doc_id', 'body'
            }
            table('kb.docs') {
                columns 3
                column('id')
                column('slug')
                column('status')
            }
        ''')

        then:
        holds.exitCode == 0
        broken.exitCode == ExitCode.VERIFY_FAILED.code()
        def out = broken.output
        out.contains('table kb.chunks: expected 0 foreignKeys, found 1 (chunks_doc_id_fkey)')
        out.contains('table kb.chunks: expected no foreign key on doc_id, found chunks_doc_id_fkey (doc_id) references kb.docs(id)')
        out.contains('table kb.chunks: expected 0 indexes (not counting constraints), found 1 (chunks_body_idx)')
        out.contains('table kb.chunks: expected policies chunks_owner, chunks_reader, found chunks_admin, chunks_owner (missing: chunks_reader; extra: chunks_admin)')
        out.contains('table kb.chunks: expected triggers chunks_audit, found chunks_touch (missing: chunks_audit; extra: chunks_touch)')
        out.contains('table kb.chunks: expected columns id, doc_id, body, found id, doc_id, content_type, content_id, body, score (extra: content_type, content_id, score)')
        // the plan named as many columns as it counts: the one it did not name is the extra one
        out.contains('table kb.docs: expected 3 columns, found 4 (extra: body)')
    }

    def "absent takes columns, triggers and policies as one dotted name, and constraints by name"() {
        when:
        def holds = verify('absent_holds', '''
            absent {
                column 'kb.chunks.embedding'
                trigger 'kb.chunks.chunks_audit'
                policy 'kb.chunks.chunks_reader'
                constraint 'kb.chunks_content_id_fkey'
                index 'kb.chunks_tsv_idx'
                enumType 'kb.mood'
            }
        ''')
        def broken = verify('absent_broken', '''
            absent {
                column 'kb.chunks.score'
                trigger 'kb.chunks.chunks_touch'
                constraint 'kb.chunks_doc_id_fkey'
                index 'kb.chunks_body_idx'
            }
        ''')

        then:
        holds.exitCode == 0
        broken.exitCode == ExitCode.VERIFY_FAILED.code()
        broken.output.contains('absent: column kb.chunks.score exists')
        broken.output.contains('absent: trigger kb.chunks.chunks_touch exists')
        broken.output.contains('absent: constraint kb.chunks_doc_id_fkey exists')
        broken.output.contains('absent: index kb.chunks_body_idx exists')
    }

    def "guards read the same counts: a schema's contents, a table's foreign keys, an extension's availability"() {
        given:
        def plan = files.write('guards.groovy', '''
            plan('guards') {
                step('count in a guard') {
                    guard { schema('kb').tables.size() == 2 && schema('kb').enums == ['kind', 'status'] &&
                            table('kb.chunks').foreignKeys == ['chunks_doc_id_fkey'] && !schema('kb').functions.any { it.startsWith('similarity') } }
                    sql 'CREATE TABLE counted (id int)'
                }
                step('trgm available') {
                    guard { extension('pg_trgm').exists() && extension('pg_trgm').available && extension('pg_trgm').defaultVersion }
                    sql 'CREATE TABLE trgm_seen (id int)'
                }
                step('missing but available') {
                    guard { !extension('hstore').exists() && extension('hstore').available && extension('hstore').availableVersions.size() >= 1 }
                    sql 'CREATE TABLE hstore_could (id int)'
                }
                step('not on this server') {
                    guard { extension('no_such_ext').available }
                    sql 'CREATE TABLE never (id int)'
                }
            }
        ''')

        when:
        def result = MigCli.run(['run', '--url', url, plan.toString()])
        def statuses = TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT step, status, guard_evidence::text AS evidence FROM mig.steps WHERE plan = 'guards' ORDER BY position")
        }

        then:
        result.exitCode == 0
        statuses*.status == ['applied', 'applied', 'applied', 'skipped']
        statuses[3].evidence.contains('extension no_such_ext: does not exist (not available on this server)')
        statuses[2].evidence.contains('extension hstore: does not exist (available, version ')
    }

    def "malformed counts are plan errors with their line and the way to write them"() {
        when:
        def plan = files.write('malformed.groovy', '''
            plan('malformed') {
                step('one') {
                    verify {
                        table('docs') {
                            indexes 1, excluding: 'everything'
                            indexes 1, skipping: 'constraints'
                            noForeignKey()
                            foreignKeys true
                        }
                        schema('kb') {
                            tables 'x', 2
                            enums()
                        }
                    }
                }
            }
        ''')
        def result = MigCli.run(['check', plan.toString()])

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        result.err.contains("malformed.groovy:6: indexes excluding: 'everything' is not one of primaryKey, constraints")
        result.err.contains('malformed.groovy:7: unknown option skipping of indexes')
        result.err.contains('malformed.groovy:8: noForeignKey needs at least one column')
        result.err.contains('malformed.groovy:9: foreignKeys expects a number or atLeast(n), got true')
        result.err.contains("malformed.groovy:12: wrong arguments for tables in schema 'kb'")
        result.err.contains('malformed.groovy:13: enums needs a number, atLeast(n) or names')
    }
}
