package dev.mig.examples

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path
import java.sql.SQLException

/**
 * The five stories of docs/COOKBOOK.md, each a plan in dsl-examples/cookbook/, run on a
 * reconstruction of its incident (dsl-examples/cookbook/incidents/): the broken state is made
 * with SQL first, then the plan shows that the failure is prevented, or caught with its message.
 * ExamplesSpec runs the same plans on fresh databases, twice.
 */
class CookbookSpec extends DatabaseSpec {

    static final String COOKBOOK = 'dsl-examples/cookbook'

    static String plan(String story) { "${COOKBOOK}/${story}.groovy".toString() }

    static String incident(String story) { Files.readString(Path.of("${COOKBOOK}/incidents/${story}.sql")) }

    MigCli command(String name, String... args) { MigCli.run([name, '--url', url] + (args as List)) }

    /** Runs the SQL on its own and returns the server's message, or null when it succeeded. */
    String errorOf(String statements) {
        sql { Sql s ->
            try {
                s.connection.createStatement().withCloseable { it.execute(statements) }
                null
            } catch (SQLException e) {
                "${e.SQLState}: ${e.message}".toString()
            }
        }
    }

    Map<String, String> journal(String plan) {
        sql { Sql s -> s.rows('SELECT step, status FROM mig.steps WHERE plan = ? ORDER BY position', [plan]).collectEntries { [(it.step): it.status] } }
    }

    /** The story's plan with a step added before its last brace, written as {@code name} beside the other test plans. */
    Path withStep(String story, String name, String step) {
        def text = Files.readString(Path.of(plan(story)))
        int end = text.lastIndexOf('}')
        files.write(name, text.substring(0, end) + step.stripIndent() + '}\n')
    }

    // ---- 1. An orphaned constraint name --------------------------------------------------------

    def "story 1: where a failed attempt left unique_chunk on a renamed table, the cleanup frees the name in kb, says so, and the step applies"() {
        given: 'the incident, and the same name on a table in public, which is not in the way'
        sql { Sql s ->
            s.execute(incident('orphaned-constraint-name'))
            s.execute('CREATE TABLE public.legacy_chunks (id int, CONSTRAINT unique_chunk UNIQUE (id))')
        }

        expect: 'the retry a plain script would make fails as it did'
        errorOf('CREATE TABLE kb.chunks (id int, document_id bigint, chunk_index int, CONSTRAINT unique_chunk UNIQUE (document_id, chunk_index))') ==
                '42P07: ERROR: relation "unique_chunk" already exists'

        when:
        def result = mig(plan('orphaned-constraint-name'))

        then:
        result.exitCode == 0
        result.out.contains('cleanup (committed): dropped constraint unique_chunk on kb.chunks_failed')
        result.out.contains('cleanup (committed): dropRelationNamed unique_chunk: nothing to drop')
        journal('orphaned-constraint-name') == ['schema kb': 'applied', chunks: 'applied']

        and: 'the name is on the new table and on the one in public; the renamed table keeps its rows'
        sql { Sql s ->
            s.rows("SELECT conrelid::regclass::text AS t FROM pg_constraint WHERE conname = 'unique_chunk' ORDER BY 1")*.t
        } == ['kb.chunks', 'legacy_chunks']
        sql { Sql s -> s.firstRow('SELECT count(*) AS n FROM kb.chunks_failed').n } == 2

        when: 'run again'
        def again = mig(plan('orphaned-constraint-name'))

        then: 'nothing runs, nothing is cleaned'
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 0 skipped, 2 applied earlier \(exit 0\)/
        !again.out.contains('cleanup')
    }

    def "story 1: a bare index of that name is dropped by dropRelationNamed"() {
        given:
        sql { Sql s ->
            s.execute('''CREATE SCHEMA kb;
                         CREATE TABLE kb.chunks_failed (document_id bigint, chunk_index int);
                         CREATE UNIQUE INDEX unique_chunk ON kb.chunks_failed (document_id, chunk_index)''')
        }

        when:
        def result = mig(plan('orphaned-constraint-name'))

        then:
        result.exitCode == 0
        result.out.contains('cleanup (committed): dropConstraintNamed unique_chunk: nothing to drop')
        result.out.contains('cleanup (committed): dropped index kb.unique_chunk')
    }

    def "story 1: without its cleanup the step fails with the server's error, and mig names the table that holds the name"() {
        given:
        sql { Sql s -> s.execute(incident('orphaned-constraint-name')) }
        def text = Files.readString(Path.of(plan('orphaned-constraint-name')))
        def noCleanup = files.write('no-cleanup.groovy', text.replaceAll(/(?s)\n\s*cleanup \{.*?\n        \}/, ''))

        expect:
        !Files.readString(noCleanup).contains('cleanup {')

        when:
        def result = mig(noCleanup.toString())

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 42P07')
        result.out.contains('relation "unique_chunk" already exists')
        result.out.contains('kb.chunks_failed')
        journal('orphaned-constraint-name') == ['schema kb': 'applied', chunks: 'failed']
    }

    // ---- 2. A polymorphic foreign key ----------------------------------------------------------

    def "story 2: a foreign key added by hand on comments.content_id is caught by mig verify and mig run --reverify"() {
        given: 'the plan applied, and comments on an article and on a video'
        mig(plan('polymorphic-foreign-key')).exitCode == 0
        sql { Sql s ->
            s.execute('''INSERT INTO articles VALUES (1, 'Migrations'); INSERT INTO videos VALUES (7, 'https://example.org/v/7');
                         INSERT INTO comments (content_type, content_id, body) VALUES ('article', 1, 'Good read'), ('video', 7, 'Nice')''')
        }

        expect: 'the trigger checks what a key cannot: the row a comment points at exists'
        errorOf("INSERT INTO comments (content_type, content_id, body) VALUES ('video', 8, 'Lost')")
                .startsWith('23503: ERROR: comment on video 8, which does not exist')

        when: 'the hotfix of the incident'
        sql { Sql s -> s.execute(incident('polymorphic-foreign-key')) }

        then: 'every comment on a video now fails'
        errorOf("INSERT INTO comments (content_type, content_id, body) VALUES ('video', 7, 'Nice again')")
                .startsWith('23503: ERROR: insert or update on table "comments" violates foreign key constraint "comments_content_id_fkey"')

        when:
        def verify = command('verify', plan('polymorphic-foreign-key'))
        def reverify = mig('--reverify', plan('polymorphic-foreign-key'))

        then: 'both name the key'
        verify.exitCode == 3
        verify.out.contains('verify: table comments: expected no foreign key on content_id, found comments_content_id_fkey (content_id) references public.articles(id)')
        reverify.exitCode == 3
        reverify.err.contains('--reverify: 1 applied step no longer holds its verify; nothing was run')
        reverify.err.contains('comments: table comments: expected no foreign key on content_id, found comments_content_id_fkey (content_id) references public.articles(id)')

        when: 'the key is dropped again'
        sql { Sql s -> s.execute('ALTER TABLE comments DROP CONSTRAINT comments_content_id_fkey') }
        def fixed = mig('--reverify', plan('polymorphic-foreign-key'))

        then:
        fixed.exitCode == 0
        fixed.out.contains('reverify: 3 applied steps still hold their verify')
    }

    def "story 2: mig lint flags the foreign key in a step of the plan, and finds nothing in the plan as it is"() {
        given:
        def withKey = withStep('polymorphic-foreign-key', 'comments-hotfix.groovy', '''
            step('link comments to articles') {
                requires 'comments'
                sql 'ALTER TABLE comments ADD CONSTRAINT comments_content_id_fkey FOREIGN KEY (content_id) REFERENCES articles (id) NOT VALID'
            }
        ''')

        when:
        def clean = MigCli.run(['lint', '--no-target', plan('polymorphic-foreign-key')])
        def flagged = MigCli.run(['lint', '--no-target', withKey.toString()])

        then:
        clean.exitCode == 0
        clean.out.contains('no findings in 3 steps (exit 0)')
        flagged.exitCode == 1
        flagged.out =~ /comments-hotfix.groovy:\d+ \[error\] polymorphic-foreign-key: FOREIGN KEY \(content_id\) REFERENCES articles on table public.comments: content_id has a sibling column content_type/
    }

    // ---- 3. A schema reset with colliding versions ---------------------------------------------

    def "story 3: the stale objects a hand-made reset left are named by the schema counts, and mig reset starts clean"() {
        given:
        sql { Sql s -> s.execute(incident('schema-reset')) }

        when:
        def result = mig(plan('schema-reset'))

        then: 'every step applies, and the plan verify names what no step made'
        result.exitCode == 3
        result.out.contains('plan verify: schema notes: expected tables notes, tags, found labels, notes, tags (extra: labels)')
        result.out.contains('plan verify: schema notes: expected enums note_status, found label_color, note_status (extra: label_color)')
        journal('schema-reset').values() as Set == ['applied'] as Set

        when: 'reset without --yes'
        def asked = command('reset', plan('schema-reset'))

        then: 'says what it would drop, and drops nothing'
        asked.exitCode == 2
        asked.err.contains("reset would drop schema notes (3 tables) and the 4 journal rows of plan 'schema-reset' in mig.steps")
        exists('notes.labels')

        when:
        def reset = command('reset', '--yes', plan('schema-reset'))

        then: 'the schema is dropped whole and made again from the plan'
        reset.exitCode == 0
        reset.output.contains("mig reset: dropped schema notes (3 tables) and the 4 journal rows of plan 'schema-reset'")
        reset.out =~ /done in .*: 4 applied, 0 skipped, 0 applied earlier \(exit 0\)/
        !exists('notes.labels')
        sql { Sql s -> s.firstRow("SELECT to_regtype('notes.label_color') IS NULL AS gone").gone }
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.history WHERE plan = 'schema-reset' AND outcome = 'reset'").n } == 1

        when:
        def again = mig(plan('schema-reset'))

        then: 'and the counts hold from then on'
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 0 skipped, 4 applied earlier \(exit 0\)/
    }

    def "story 3: two steps of one name, as two migrations under one version, are a plan error before anything runs"() {
        given:
        def twice = withStep('schema-reset', 'two-threes.groovy', '''
            step('note status') {
                sql 'CREATE TABLE notes.labels (id bigint PRIMARY KEY, name text NOT NULL)'
            }
        ''')

        when:
        def result = MigCli.run(['check', twice.toString()])

        then:
        result.exitCode == 2
        result.err =~ /two-threes.groovy:\d+: duplicate step name 'note status' \(first defined at line \d+\)/
    }

    // ---- 4. A type used before its extension ---------------------------------------------------

    def "story 4: the extensions come before the types, and where pgvector is missing the trigram search stands in"() {
        expect: 'the migrations as another tool ran them fail, and pgvector is not on this server'
        errorOf(incident('type-before-extension')).startsWith('42704: ERROR: type "citext" does not exist')
        errorOf('CREATE EXTENSION vector').startsWith('0A000: ERROR: extension "vector" is not available')

        when:
        def result = mig(plan('type-before-extension'))

        then:
        result.exitCode == 0
        result.out.contains('ensureExtension citext: created, version ')
        result.out.contains('ensureExtension hstore: created, version 1.8')
        result.out =~ /skipped\s+vector search .*pgvector is not on this server \(dsl-examples\/cookbook\/type-before-extension.groovy:\d+\)/
        result.out =~ /applied\s+trigram search\s+\(\d+ ms\)\s+instead of 'vector search', which its guard skipped/
        result.out.contains('ensureExtension pg_trgm: created, version ')
        !(result.output =~ /type "\w+" does not exist/)
        journal('type-before-extension') == [documents: 'applied', 'vector search': 'skipped', 'trigram search': 'applied']
        sql { Sql s -> s.rows('SELECT extname, extversion FROM pg_extension WHERE extname <> \'plpgsql\' ORDER BY 1')*.extname } ==
                ['citext', 'hstore', 'pg_trgm']
        sql { Sql s -> s.firstRow("SELECT extversion FROM pg_extension WHERE extname = 'hstore'").extversion } == '1.8'
        sql { Sql s -> s.firstRow("SELECT indexdef FROM pg_indexes WHERE indexname = 'documents_body_trgm'").indexdef }
                .contains('USING gin (body gin_trgm_ops)')

        when: 'the new types work'
        sql { Sql s -> s.execute("INSERT INTO kb.documents VALUES (1, 'Ada@Example.org', 'lang => en', 'Refunds take 14 days')") }

        then:
        sql { Sql s -> s.firstRow("SELECT attributes -> 'lang' AS lang FROM kb.documents WHERE author_email = 'ada@example.ORG'").lang } == 'en'

        when: 'run again'
        def again = mig(plan('type-before-extension'))

        then: 'the vector search is asked again, and skipped again'
        again.exitCode == 0
        again.out =~ /done in .*: 0 applied, 1 skipped, 2 applied earlier \(exit 0\)/
    }

    def "story 4: an older hstore is updated to the version the plan names"() {
        given:
        sql { Sql s -> s.execute("CREATE EXTENSION hstore VERSION '1.7'") }

        when:
        def result = mig(plan('type-before-extension'))

        then:
        result.exitCode == 0
        result.out.contains('ensureExtension hstore: updated from 1.7 to 1.8')
    }

    def "story 4: written the other way, the type's step fails and mig names the step that creates the extension later"() {
        given:
        def wrong = files.write('type-first.groovy', '''
            plan('type-first') {
                step('documents') {
                    sql 'CREATE TABLE documents (id bigint PRIMARY KEY, author_email citext NOT NULL, embedding vector(1536))'
                }
                step('extensions') {
                    sql 'CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS vector'
                }
            }
        ''')
        def unguarded = files.write('unguarded.groovy', '''
            plan('unguarded') {
                step('vector search') {
                    ensureExtension 'vector'
                    sql 'CREATE TABLE embeddings (id bigint PRIMARY KEY, embedding vector(1536))'
                }
            }
        ''')

        when:
        def order = mig(wrong.toString())
        def missing = mig(unguarded.toString())

        then: 'the order: the server error, and the step that comes too late'
        order.exitCode == 1
        order.out.contains('SQL State: 42704')
        order.out.contains('type "citext" does not exist')
        order.out.contains("step 'extensions'")

        and: 'no guard: ensureExtension fails first, saying what the server lacks, never the type'
        missing.exitCode == 1
        missing.out.contains('ensureExtension vector: extension vector is not available on this server')
        !missing.out.contains('type "vector" does not exist')
    }

    // ---- 5. A baseline of a production schema --------------------------------------------------

    def "story 5: baseline --until marks what production has, mig run applies only the new step, and the counts verify the schema"() {
        given:
        sql { Sql s -> s.execute(incident('baseline-production')) }

        when:
        def baseline = command('baseline', '--until', 'order status', plan('baseline-production'))

        then:
        baseline.exitCode == 0
        baseline.out.contains("selection: --until 'order status' (4 steps)")
        ['schema shop', 'customers', 'orders', 'order status'].every { baseline.out =~ /(?m)^  baselined\s+${it}  verify holds/ }
        baseline.out.contains("1 step not selected, left pending: 'refunds'")
        baseline.out.readLines().last() == 'baseline: 4 steps marked as applied, 0 not, 1 not selected (mig run would run them); no schema was changed (exit 0)'
        !exists('shop.refunds')

        when:
        def run = mig(plan('baseline-production'))

        then: 'only refunds runs; production keeps its rows'
        run.exitCode == 0
        run.out =~ /applied\s+refunds/
        run.out =~ /done in .*: 1 applied, 0 skipped, 4 applied earlier \(exit 0\)/
        journal('baseline-production').values() as Set == ['applied'] as Set
        sql { Sql s -> s.firstRow("SELECT status::text AS s FROM shop.orders").s } == 'paid'
        sql { Sql s -> s.rows("SELECT outcome FROM mig.history WHERE plan = 'baseline-production' ORDER BY id")*.outcome } ==
                ['baselined'] * 4 + ['applied']

        when: 'a table made by hand afterwards'
        sql { Sql s -> s.execute('CREATE TABLE shop.coupons_tmp (code text)') }
        def drifted = mig(plan('baseline-production'))

        then: "the plan's schema counts name it"
        drifted.exitCode == 3
        drifted.out.contains('plan verify: schema shop: expected tables customers, orders, refunds, found coupons_tmp, customers, orders, refunds (extra: coupons_tmp)')
    }

    def "story 5: without a baseline the run fails on the first CREATE TABLE, and baselining every step leaves the new one out"() {
        given:
        sql { Sql s -> s.execute(incident('baseline-production')) }

        when:
        def run = mig(plan('baseline-production'))

        then:
        run.exitCode == 1
        run.out.contains('SQL State: 42P07')
        run.out.contains('relation "customers" already exists')
        journal('baseline-production') == ['schema shop': 'applied', customers: 'failed']

        when:
        def baseline = command('baseline', plan('baseline-production'))

        then: 'what production has is marked; refunds is not, and the exit code says so'
        baseline.exitCode == 3
        baseline.out =~ /(?m)^  not baselined\s+refunds  verify does not hold:$/
        baseline.out.contains('verify: table refunds: does not exist')
        journal('baseline-production') == ['schema shop': 'applied', customers: 'applied', orders: 'applied', 'order status': 'applied']

        when:
        def after = mig(plan('baseline-production'))

        then:
        after.exitCode == 0
        after.out =~ /done in .*: 1 applied, 0 skipped, 4 applied earlier \(exit 0\)/
    }
}
