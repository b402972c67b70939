package dev.mig.examples

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path
import java.sql.SQLException

/**
 * Every plan in dsl-examples/ is run here on embedded PostgreSQL. Each example states what it
 * should do in its header: {@code // expect: exit N} and any number of
 * {@code // expect-output: text}. Examples that succeed are run a second time as a no-op.
 */
class ExamplesSpec extends Specification {

    /** The plans of dsl-examples/ and of dsl-examples/cookbook/ (docs/COOKBOOK.md). */
    static List<Path> examples() {
        ['dsl-examples', 'dsl-examples/cookbook'].collectMany { dir ->
            Files.list(Path.of(dir)).withCloseable { s ->
                s.filter { it.toString().endsWith('.groovy') }.sorted().toList()
            }
        }
    }

    /**
     * Every example, by its path under dsl-examples/: a new one needs a feature that says what it
     * shows (below, or in CookbookSpec for the cookbook's).
     */
    static final List<String> NAMED = ['knowledge-chunks.groovy', 'multi-tenancy.groovy', 'quickstart.groovy',
                                       'rag-metrics.groovy', 'sql-error-on-known-line.groovy',
                                       'verify-catches-wrong-column-count.groovy',
                                       'cookbook/baseline-production.groovy', 'cookbook/orphaned-constraint-name.groovy',
                                       'cookbook/polymorphic-foreign-key.groovy', 'cookbook/schema-reset.groovy',
                                       'cookbook/type-before-extension.groovy']

    def "every example in dsl-examples/ is named by this spec"() {
        expect:
        examples().collect { Path.of('dsl-examples').relativize(it).toString() } == NAMED
    }

    String url(String db) { TestPostgres.jdbcUrl(db) }

    boolean exists(String db, String relation) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT to_regclass(?) IS NOT NULL AS e', [relation]).e }
    }

    /** The journal's current state of a plan: step name to status. */
    Map<String, String> journal(String db, String plan) {
        TestPostgres.withSql(db) { Sql s ->
            s.rows('SELECT step, status FROM mig.steps WHERE plan = ? ORDER BY step', [plan])
                    .collectEntries { [(it.step): it.status] }
        }
    }

    /** Runs the statements, each on its own, and returns the SQLSTATE of the first that fails, or null. */
    String sqlStateOf(String db, String... statements) {
        TestPostgres.withSql(db) { Sql s ->
            try {
                statements.each { statement -> s.connection.createStatement().withCloseable { it.execute(statement) } }
                null
            } catch (SQLException e) {
                e.SQLState
            }
        }
    }

    /** Runs an example again on the same database, as a user would after a successful run. */
    MigCli rerun(String db, String example) {
        MigCli.run(['run', '--url', url(db), "dsl-examples/${example}".toString()])
    }

    def "dsl-examples/quickstart.groovy builds the bookshop and its search function"() {
        given:
        def db = TestPostgres.createDatabase('quickstart')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/quickstart.groovy'])

        then:
        result.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT title FROM books_by_author('URSULA@example.org')").title } == 'The Dispossessed'
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT step FROM mig.steps WHERE status = \'applied\'').size() } == 6
    }

    def "dsl-examples/sql-error-on-known-line.groovy names sql/broken-embeddings.sql:12 and leaves nothing behind"() {
        given:
        def db = TestPostgres.createDatabase('sqlerror')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/sql-error-on-known-line.groovy'])

        then:
        result.exitCode == 1
        result.out.contains('sql/broken-embeddings.sql:12')
        result.out.contains('SQL State: 42704')
        !exists(db, 'documents')
        !exists(db, 'never_created')
        TestPostgres.withSql(db) { Sql s -> s.rows("SELECT step FROM mig.steps WHERE status = 'applied'") }.isEmpty()
    }

    def "dsl-examples/verify-catches-wrong-column-count.groovy rolls back the table its verify rejects"() {
        given:
        def db = TestPostgres.createDatabase('wrongcount')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/verify-catches-wrong-column-count.groovy'])

        then:
        result.exitCode == 3
        result.out.contains('table chunks: expected 4 columns, found 3 (missing: embedding)')
        !exists(db, 'chunks')
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT status FROM mig.steps WHERE step = 'create chunks'").status } == 'failed'
    }

    /** What a first, failed attempt left behind: a staging table with the chunks table's constraint name. */
    static final String KB_LEFTOVERS = '''
        CREATE SCHEMA kb;
        CREATE TABLE kb.staging_chunks (
            document_id bigint, chunk_index int, body text,
            CONSTRAINT unique_chunk UNIQUE (document_id, chunk_index)
        );
        INSERT INTO kb.staging_chunks VALUES (1, 0, 'imported'), (1, 1, 'imported too');
        -- the same constraint name in another schema: not in the way, and not to be touched
        CREATE TABLE public.legacy_chunks (id int, CONSTRAINT unique_chunk UNIQUE (id));
    '''

    /** Four chunks mention refunds (c1 three times, c3 twice, c2 and c4 once); c4 is shared; c5 does not. */
    static final String KB_CHUNKS = '''
        INSERT INTO kb.chunks (tenant_id, document_id, chunk_index, body, token_count, metadata) VALUES
            (1, 10, 0, 'Refunds: a refund is paid within 14 days; ask billing for a refund.', 16, '{}'),
            (1, 10, 1, 'Shipping takes three days. For a refund see the billing page.', 13, '{}'),
            (2, 20, 0, 'Globex refund rules: refund within 30 days.', 9, '{}'),
            (3, 30, 0, 'Manual: how to request a refund in the app.', 10, '{"shared": true}'),
            (1, 11, 0, 'Holiday opening hours.', 4, '{}')
    '''

    /** Runs {@code body} as {@code role} with app.tenant_id set (or not), and rolls everything back. */
    def <T> T asTenant(String db, String role, String tenant, Closure<T> body) {
        TestPostgres.withSql(db) { Sql s ->
            s.connection.autoCommit = false
            try {
                s.execute('SET LOCAL ROLE "' + role + '"')
                if (tenant != null) {
                    s.execute("SELECT set_config('app.tenant_id', ?, true)", [tenant])
                }
                body.call(s)
            } finally {
                s.connection.rollback()
            }
        }
    }

    List<String> searchBodies(Sql s, String query, int max = 5) {
        s.rows('SELECT body FROM kb.search_chunks(?, ?)', [query, max])*.body.collect { it.take(20) }
    }

    def "dsl-examples/knowledge-chunks.groovy frees the name a failed attempt left on another table, then ranks chunks per tenant"() {
        given: 'the leftovers of a failed attempt, on which a plain CREATE TABLE fails'
        def db = TestPostgres.createDatabase('kb_leftovers')
        def reader = "kb_reader_${db}".toString()
        TestPostgres.withSql(db) { Sql s -> s.execute(KB_LEFTOVERS) }
        def collision = TestPostgres.withSql(db) { Sql s ->
            try {
                s.connection.createStatement().withCloseable {
                    it.execute('CREATE TABLE kb.chunks (document_id bigint, chunk_index int, CONSTRAINT unique_chunk UNIQUE (document_id, chunk_index))')
                }
                null
            } catch (SQLException e) {
                e.message
            }
        }

        expect:
        collision.contains('relation "unique_chunk" already exists')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/knowledge-chunks.groovy'])

        then: 'the cleanup freed the name in kb, and only there'
        result.exitCode == 0
        result.out.contains('cleanup (committed): dropped constraint unique_chunk on kb.staging_chunks')
        result.out.contains('cleanup (committed): dropRelationNamed kb.unique_chunk: nothing to drop')
        result.out =~ /done in .*: 3 applied, 0 skipped, 0 applied earlier \(exit 0\)/
        journal(db, 'knowledge-chunks') == ['create chunks': 'applied', 'create schema kb': 'applied',
                                            'create search function': 'applied']
        TestPostgres.withSql(db) { Sql s ->
            s.rows('''SELECT c.conrelid::regclass::text AS tbl, c.contype FROM pg_constraint c
                       WHERE c.conname = 'unique_chunk' ORDER BY 1''').collect { "${it.tbl}:${it.contype}".toString() }
        } == ['kb.chunks:u', 'legacy_chunks:u']
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS n FROM kb.staging_chunks').n } == 2

        and: 'the table has its security and its indexes'
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'kb.chunks'::regclass")
        }.with { it.relrowsecurity && it.relforcerowsecurity }
        TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT policyname FROM pg_policies WHERE schemaname = 'kb' AND tablename = 'chunks' ORDER BY 1")*.policyname
        } == ['chunks_shared_read', 'chunks_tenant_isolation']
        TestPostgres.withSql(db) { Sql s ->
            s.rows('''SELECT i.relname, am.amname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                       JOIN pg_am am ON am.oid = i.relam WHERE x.indrelid = 'kb.chunks'::regclass ORDER BY 1''')
                    .collect { "${it.relname}:${it.amname}".toString() }
        } == ['chunks_pkey:btree', 'chunks_tenant_document_idx:btree', 'chunks_tsv_idx:gin', 'unique_chunk:btree']

        when: 'five chunks are stored'
        TestPostgres.withSql(db) { Sql s ->
            s.execute(KB_CHUNKS)
            s.execute("CREATE ROLE \"${reader}\" NOLOGIN".toString())
            s.execute("GRANT USAGE ON SCHEMA kb TO \"${reader}\"; GRANT SELECT, INSERT ON kb.chunks TO \"${reader}\"".toString())
        }

        then: 'the search ranks by ts_rank: most mentions first, the unrelated chunk not at all'
        TestPostgres.withSql(db) { Sql s -> searchBodies(s, 'refund') } ==
                ['Refunds: a refund is', 'Globex refund rules:', 'Shipping takes three', 'Manual: how to reque']
        TestPostgres.withSql(db) { Sql s -> searchBodies(s, 'refunds', 2) } == ['Refunds: a refund is', 'Globex refund rules:']
        TestPostgres.withSql(db) { Sql s ->
            def ranks = s.rows("SELECT rank FROM kb.search_chunks('refund')")*.rank
            ranks == ranks.sort(false).reverse() && ranks[0] > ranks[1]
        }

        and: 'a tenant finds its own chunks and the shared ones; without a tenant only the shared ones'
        asTenant(db, reader, '1') { Sql s -> searchBodies(s, 'refund') } ==
                ['Refunds: a refund is', 'Shipping takes three', 'Manual: how to reque']
        asTenant(db, reader, '2') { Sql s -> searchBodies(s, 'refund') } == ['Globex refund rules:', 'Manual: how to reque']
        asTenant(db, reader, null) { Sql s -> searchBodies(s, 'refund') } == ['Manual: how to reque']
        asTenant(db, reader, '') { Sql s -> searchBodies(s, 'refund') } == ['Manual: how to reque']

        and: "a tenant cannot write another tenant's chunk, and a chunk position is unique"
        asTenant(db, reader, '1') { Sql s ->
            s.execute("INSERT INTO kb.chunks (tenant_id, document_id, chunk_index, body, token_count) VALUES (1, 12, 0, 'mine', 1)")
            try {
                s.connection.createStatement().withCloseable {
                    it.execute("INSERT INTO kb.chunks (tenant_id, document_id, chunk_index, body, token_count) VALUES (2, 21, 0, 'theirs', 1)")
                }
                null
            } catch (SQLException e) {
                e.message
            }
        }.contains('new row violates row-level security policy')
        sqlStateOf(db, "INSERT INTO kb.chunks (tenant_id, document_id, chunk_index, body, token_count) VALUES (1, 10, 0, 'again', 1)") == '23505'

        when: 'the plan is run again'
        def again = rerun(db, 'knowledge-chunks.groovy')

        then: 'nothing is applied, nothing is cleaned'
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 0 skipped, 3 applied earlier \(exit 0\)/
        !again.out.contains('cleanup')

        cleanup:
        TestPostgres.withSql(db) { Sql s ->
            s.execute("DROP OWNED BY \"${reader}\"; DROP ROLE IF EXISTS \"${reader}\"".toString())
        }
    }

    def "dsl-examples/knowledge-chunks.groovy on a clean database: the cleanup says there was nothing to drop"() {
        given:
        def db = TestPostgres.createDatabase('kb_clean')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/knowledge-chunks.groovy'])

        then:
        result.exitCode == 0
        result.out.contains('cleanup (committed): dropConstraintNamed kb.unique_chunk: nothing to drop')
        result.out.contains('cleanup (committed): dropRelationNamed kb.unique_chunk: nothing to drop')
        !result.out.contains('dropped')
        journal(db, 'knowledge-chunks').values() as Set == ['applied'] as Set
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT conrelid::regclass::text AS tbl FROM pg_constraint WHERE conname = 'unique_chunk'").tbl
        } == 'kb.chunks'

        when:
        def again = rerun(db, 'knowledge-chunks.groovy')

        then:
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 0 skipped, 3 applied earlier \(exit 0\)/
    }

    def "dsl-examples/rag-metrics.groovy records provenance that cannot cite what was not retrieved, and sums it per document"() {
        given:
        def db = TestPostgres.createDatabase('rag_metrics')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/rag-metrics.groovy'])

        then: 'every step applied, the two service users seeded, the enums in order'
        result.exitCode == 0
        result.out =~ /done in .*: 7 applied, 0 skipped, 0 applied earlier \(exit 0\)/
        journal(db, 'rag-metrics') == ['create answer sources': 'applied', 'create document quality view': 'applied',
                                       'create feedback': 'applied', 'create metric types': 'applied',
                                       'create queries and retrievals': 'applied', 'create users': 'applied',
                                       'seed service users': 'applied']
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT email FROM users WHERE is_service ORDER BY email')*.email } ==
                ['anonymous@service.invalid', 'offline-eval@service.invalid']
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT enum_range(NULL::retrieval_status)::text AS r').r } ==
                '{candidate,in_context,dropped}'
        TestPostgres.withSql(db) { Sql s ->
            s.rows('''SELECT i.relname, pg_get_expr(x.indpred, x.indrelid) AS pred FROM pg_index x
                       JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indpred IS NOT NULL ORDER BY 1''')
                    .collect { "${it.relname}: ${it.pred}".toString() }
        } == ["feedback_needs_review_idx: (kind <> 'helpful'::feedback_kind)",
              "retrievals_in_context_idx: (status = 'in_context'::retrieval_status)"]

        when: 'a person asks two questions; the first answer cites two in-context chunks and gets feedback'
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''
                INSERT INTO users (id, email) OVERRIDING SYSTEM VALUE VALUES (100, 'ada@example.org');
                INSERT INTO queries (id, user_id, question, answer, model) OVERRIDING SYSTEM VALUE VALUES
                    (1, 100, 'How long do refunds take?', 'Fourteen days [1], via billing [2].', 'model-a'),
                    (2, 100, 'Opening hours?', NULL, 'model-a');
                INSERT INTO retrievals (id, query_id, document_id, chunk_index, rank, score, status) OVERRIDING SYSTEM VALUE VALUES
                    (11, 1, 10, 0, 1, 0.9, 'in_context'),
                    (12, 1, 10, 1, 2, 0.7, 'in_context'),
                    (13, 1, 30, 0, 3, 0.2, 'dropped'),
                    (21, 2, 10, 1, 1, 0.4, 'candidate');
                INSERT INTO answer_sources (query_id, citation_no, retrieval_id) VALUES (1, 1, 11), (1, 2, 12);
                INSERT INTO feedback (query_id, user_id, kind) VALUES (1, 100, 'helpful');
                INSERT INTO feedback (query_id, user_id, kind)
                     SELECT 1, id, 'outdated' FROM users WHERE email = 'offline-eval@service.invalid';
            ''')
        }

        then: 'the view sums it per document'
        TestPostgres.withSql(db) { Sql s ->
            s.rows('SELECT * FROM document_quality ORDER BY document_id').collect {
                [it.document_id, it.retrieved, it.in_context, it.cited_in_answers, it.helpful, it.unhelpful]*.toString()
            }
        } == [['10', '3', '2', '1', '1', '1'], ['30', '1', '0', '0', '0', '0']]

        and: "an answer cannot cite another question's retrieval, a rank is taken once, a reader votes once"
        sqlStateOf(db, 'INSERT INTO answer_sources (query_id, citation_no, retrieval_id) VALUES (2, 1, 11)') == '23503'
        sqlStateOf(db, "INSERT INTO retrievals (query_id, document_id, chunk_index, rank, score) VALUES (1, 99, 0, 1, 0.1)") == '23505'
        sqlStateOf(db, "INSERT INTO feedback (query_id, user_id, kind) VALUES (1, 100, 'not_helpful')") == '23505'
        sqlStateOf(db, "INSERT INTO feedback (query_id, user_id, kind) VALUES (1, 999, 'helpful')") == '23503'

        when: 'the person is deleted, then the second question'
        TestPostgres.withSql(db) { Sql s ->
            s.execute('DELETE FROM users WHERE id = 100')
            s.execute('DELETE FROM queries WHERE id = 2')
        }

        then: 'their questions stay without them, their own feedback goes, and a question takes its retrievals along'
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT id, user_id FROM queries ORDER BY id').collect { [it.id, it.user_id] } } == [[1, null]]
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT kind::text AS k FROM feedback')*.k } == ['outdated']
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT id FROM retrievals ORDER BY id')*.id } == [11, 12, 13]
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS n FROM answer_sources').n } == 2

        when: 'the plan is run again'
        def again = rerun(db, 'rag-metrics.groovy')

        then:
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 0 skipped, 7 applied earlier \(exit 0\)/
    }

    /** The app as it was before mig, with data, and projects.tenant_id added by hand and partly filled. */
    static String existingApp() {
        Files.readString(Path.of('dsl-examples/sql/multi-tenancy-app.sql')) + '''
            INSERT INTO tenants (id, name) VALUES (1, 'Acme'), (2, 'Globex');
            INSERT INTO accounts (id, tenant_id, email) VALUES
                (10, 1, 'wile@acme.test'), (11, 1, 'road@acme.test'), (20, 2, 'hank@globex.test');
            ALTER TABLE projects ADD COLUMN tenant_id bigint;       -- the hotfix
            INSERT INTO projects (id, account_id, name, tenant_id) VALUES
                (100, 10, 'Rockets', NULL), (101, 11, 'Anvils', NULL),
                (200, 20, 'Dome', 2);                                -- written by the app after the hotfix
            INSERT INTO tasks (id, project_id, title) VALUES
                (1000, 100, 'buy fuel'), (1001, 101, 'paint'), (1002, 101, 'sand'), (2000, 200, 'pour concrete');
        '''
    }

    def "dsl-examples/multi-tenancy.groovy on an existing database: the guards skip what is there, the backfill fills the rest"() {
        given:
        def db = TestPostgres.createDatabase('tenancy_existing')
        TestPostgres.withSql(db) { Sql s -> s.execute(existingApp()) }

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/multi-tenancy.groovy'])

        then: 'the two steps whose work was done are skipped, saying why; the others applied'
        result.exitCode == 0
        result.out =~ /skipped\s+create the app tables .*the app tables exist already \(dsl-examples\/multi-tenancy.groovy:\d+\)/
        result.out =~ /skipped\s+add tenant_id to projects .*projects.tenant_id exists already/
        result.out =~ /applied\s+add tenant_id to tasks/
        result.out =~ /done in .*: 4 applied, 2 skipped, 0 applied earlier \(exit 0\)/
        journal(db, 'multi-tenancy') == ['add tenant_id to projects'                 : 'skipped',
                                         'add tenant_id to tasks'                    : 'applied',
                                         'backfill tenant_id from the owning account': 'applied',
                                         'create the app tables'                     : 'skipped',
                                         'require tenant_id on projects'             : 'applied',
                                         'require tenant_id on tasks'                : 'applied']

        and: "every row carries its owning account's tenant"
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT id, tenant_id FROM projects ORDER BY id').collectEntries { [(it.id as int): it.tenant_id as int] } } ==
                [100: 1, 101: 1, 200: 2]
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT id, tenant_id FROM tasks ORDER BY id').collectEntries { [(it.id as int): it.tenant_id as int] } } ==
                [1000: 1, 1001: 1, 1002: 1, 2000: 2]

        and: 'tenant_id is now required, must name a tenant, and is indexed'
        sqlStateOf(db, "INSERT INTO tasks (project_id, title) VALUES (100, 'no tenant')") == '23502'
        sqlStateOf(db, "INSERT INTO tasks (project_id, title, tenant_id) VALUES (100, 'bad tenant', 99)") == '23503'
        sqlStateOf(db, "INSERT INTO projects (account_id, name) VALUES (10, 'no tenant')") == '23502'
        TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%tenant_idx' ORDER BY 1")*.indexname
        } == ['projects_tenant_idx', 'tasks_tenant_idx']

        when: 'the plan is run again'
        def again = rerun(db, 'multi-tenancy.groovy')

        then: 'the skipped steps are asked again and skip again; nothing is applied'
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 2 skipped, 4 applied earlier \(exit 0\)/
        journal(db, 'multi-tenancy') == old(journal(db, 'multi-tenancy'))
    }

    def "dsl-examples/multi-tenancy.groovy on an empty database creates the app and requires tenant_id from the start"() {
        given:
        def db = TestPostgres.createDatabase('tenancy_empty')

        when:
        def result = MigCli.run(['run', '--url', url(db), 'dsl-examples/multi-tenancy.groovy'])

        then:
        result.exitCode == 0
        result.out =~ /done in .*: 6 applied, 0 skipped, 0 applied earlier \(exit 0\)/
        journal(db, 'multi-tenancy').values() as Set == ['applied'] as Set
        TestPostgres.withSql(db) { Sql s ->
            s.rows('''SELECT table_name, data_type, is_nullable FROM information_schema.columns
                       WHERE column_name = 'tenant_id' ORDER BY 1''').collect { "${it.table_name} ${it.data_type} ${it.is_nullable}".toString() }
        } == ['accounts bigint NO', 'projects bigint NO', 'tasks bigint NO']

        when:
        def again = rerun(db, 'multi-tenancy.groovy')

        then:
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 0 skipped, 6 applied earlier \(exit 0\)/
    }

    @Unroll
    def "dsl-examples/#name runs as its header says"() {
        given:
        def text = example.toFile().text
        def expectedExit = (text =~ /(?m)^\/\/ expect: exit (\d+)/).with { it.find() ? it.group(1) as int : -1 }
        def expectedOutput = (text =~ /(?m)^\/\/ expect-output: (.+)$/).collect { it[1].trim() }
        def url = TestPostgres.jdbcUrl(TestPostgres.createDatabase('example'))

        expect: 'the header says what to expect'
        expectedExit >= 0

        when:
        def result = MigCli.run(['run', '--url', url, example.toString()])

        then:
        result.exitCode == expectedExit
        expectedOutput.every { result.output.contains(it) }

        when: 'a successful example is run again'
        def rerun = expectedExit == 0 ? MigCli.run(['run', '--url', url, example.toString()]) : null

        then: 'nothing is applied twice: only runAlways steps run again, and a step its guard skipped is skipped again'
        def always = (text =~ /runAlways true/).count
        def skipped = (result.out =~ /done in .*: \d+ applied, (\d+) skipped/).with { it.find() ? it.group(1) : '0' }
        rerun == null || (rerun.exitCode == 0 && rerun.out =~ /done in .*: ${always} applied, ${skipped} skipped/)

        where:
        example << examples()
        name = Path.of('dsl-examples').relativize(example).toString()
    }
}
