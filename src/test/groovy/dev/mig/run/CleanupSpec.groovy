package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper
import groovy.sql.Sql

/** The catalog-cleanup actions of DSL.md section 5, each run through {@code mig run} on a real database. */
class CleanupSpec extends DatabaseSpec {


    void given(String statements) {
        sql { Sql s -> s.execute(statements) }
    }

    /** A plan with one step whose cleanup block is {@code body}. */
    String cleanupPlan(String name, String body, String settings = '') {
        files.write("${name}.groovy", """\
            plan('${name}') {
                ${settings}
                step('clean') {
                    cleanup {
${body.stripIndent().readLines().collect { ' ' * 24 + it }.join('\n')}
                    }
                }
            }
        """).toString()
    }

    List<String> cleanupLines(MigCli result) {
        result.out.readLines().findAll { it.contains('cleanup (') }.collect { it.substring(it.indexOf('): ') + 3) }
    }

    List<String> functions(String schema) {
        sql { Sql s ->
            s.rows("""SELECT p.oid::regprocedure::text AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                      WHERE n.nspname = ? ORDER BY 1""", [schema])*.f
        }
    }

    def "dropFunctionOverloads drops every function, procedure and aggregate of the name in the resolved schema only"() {
        given:
        given('''
            CREATE SCHEMA other;
            CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
            CREATE FUNCTION f(a text, b text) RETURNS text LANGUAGE sql AS 'SELECT a || b';
            CREATE PROCEDURE f(a numeric) LANGUAGE sql AS 'SELECT 1';
            CREATE AGGREGATE f(bigint) (sfunc = int8pl, stype = bigint);
            CREATE AGGREGATE counted(*) (sfunc = int8inc, stype = bigint, initcond = '0');
            CREATE FUNCTION other.f(int) RETURNS int LANGUAGE sql AS 'SELECT 2';
            CREATE FUNCTION other.g() RETURNS int LANGUAGE sql AS 'SELECT 3';
            CREATE FUNCTION keep_me() RETURNS int LANGUAGE sql AS 'SELECT 4';
        ''')
        def plan = cleanupPlan('functions', '''
            dropFunctionOverloads 'f'
            dropFunctionOverloads 'counted'
            dropFunctionOverloads 'g'
            dropFunctionOverloads 'nothing_here'
        ''', "searchPath 'public, other'")
        def report = files.dir.resolve('functions.json')

        when:
        def result = mig('--report', "json:${report}", plan)

        then:
        result.exitCode == 0
        cleanupLines(result) == [
                'dropped procedure public.f(IN a numeric)',
                'dropped function public.f(a integer)',
                'dropped function public.f(a text, b text)',
                'dropped aggregate public.f(bigint)',
                'dropped aggregate public.counted(*)',
                'dropped function other.g()',
                'dropFunctionOverloads nothing_here: nothing to drop (no function, procedure or aggregate of that name in public, other)',
        ]
        functions('public') == ['keep_me()']
        functions('other') == ['other.f(integer)']
        new JsonSlurper().parse(report.toFile()).steps[0].cleanup.size() == 7
    }

    def "dropFunctionOverloads never cascades: a view that uses an overload fails the step with the server's error"() {
        given:
        given('''
            CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT $1';
            CREATE FUNCTION f(text) RETURNS text LANGUAGE sql AS 'SELECT $1';
            CREATE VIEW uses_f AS SELECT f('x'::text) AS v;
        ''')
        def plan = cleanupPlan('cascade', "dropFunctionOverloads 'f'")

        when:
        def result = mig(plan)

        then:
        result.exitCode == 1
        result.out.contains('SQL State: 2BP01')
        result.out.contains('cannot drop function f(text) because other objects depend on it')
        result.out.contains('view uses_f depends on function f(text)')
        result.out.contains('DROP FUNCTION "public"."f"(text)')
        result.out.contains('cascade.groovy:5')
        functions('public') == ['f(integer)', 'f(text)']   // the overload dropped before the failure is back
        sql { it.firstRow("SELECT to_regclass('uses_f') IS NOT NULL AS kept").kept }
        sql { it.firstRow("SELECT sqlstate FROM mig.history").sqlstate } == '2BP01'
    }

    def "dropPoliciesOn drops every policy of the table and leaves row level security on"() {
        given:
        given('''
            CREATE TABLE docs (id int, owner text);
            ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
            CREATE POLICY by_owner ON docs USING (owner = current_user);
            CREATE POLICY "Admins see all" ON docs FOR SELECT USING (true);
            CREATE TABLE plain (id int);
            CREATE TABLE other_docs (id int);
            CREATE POLICY by_owner ON other_docs USING (true);
        ''')
        def plan = cleanupPlan('policies', '''
            dropPoliciesOn 'docs'
            dropPoliciesOn 'plain'
            dropPoliciesOn 'missing'
        ''')

        when:
        def result = mig(plan)

        then:
        result.exitCode == 0
        cleanupLines(result) == [
                'dropped policy Admins see all on public.docs',
                'dropped policy by_owner on public.docs',
                'dropPoliciesOn plain: nothing to drop (public.plain has no policies)',
                'dropPoliciesOn missing: nothing to drop (no table missing in public)',
        ]
        sql { it.rows("SELECT polrelid::regclass::text AS t, polname FROM pg_policy")*.t } == ['other_docs']
        sql { it.firstRow("SELECT relrowsecurity FROM pg_class WHERE relname = 'docs'").relrowsecurity }
    }

    def "dropTriggersOn drops user triggers, keeps foreign-key triggers, and leaves a partition's cloned trigger"() {
        given:
        given('''
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE TABLE parent (id int PRIMARY KEY);
            CREATE TABLE child (id int, parent_id int REFERENCES parent (id));
            CREATE TRIGGER child_touch BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE TRIGGER "Child Audit" AFTER UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE TRIGGER parent_touch BEFORE INSERT ON parent FOR EACH ROW EXECUTE FUNCTION touch();
            CREATE TABLE events (at int) PARTITION BY RANGE (at);
            CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (10);
            CREATE TRIGGER events_touch BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION touch();
        ''')
        def internal = { sql { it.firstRow('SELECT count(*) AS n FROM pg_trigger WHERE tgisinternal').n } }
        def internalBefore = internal()
        def plan = cleanupPlan('triggers', '''
            dropTriggersOn 'child'
            dropTriggersOn 'parent'
            dropTriggersOn 'events_1'
            dropTriggersOn 'missing'
        ''')

        when:
        def result = mig(plan)

        then:
        result.exitCode == 0
        cleanupLines(result) == [
                'dropped trigger Child Audit on public.child',
                'dropped trigger child_touch on public.child',
                'dropped trigger parent_touch on public.parent',
                'dropTriggersOn events_1: trigger events_touch on public.events_1 is a partition\'s copy of a trigger on public.events; left alone',
                'dropTriggersOn missing: nothing to drop (no table missing in public)',
        ]
        internalBefore >= 4
        internal() == internalBefore
        sql { it.rows('SELECT tgrelid::regclass::text AS t FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1')*.t } == ['events', 'events_1']

        when: 'the foreign key still works, and there is nothing left to drop'
        sql { Sql s -> s.connection.createStatement().execute('INSERT INTO child VALUES (1, 99)') }

        then:
        thrown(java.sql.SQLException)

        when:
        def again = mig(cleanupPlan('triggers-again', "dropTriggersOn 'child'"))

        then:
        cleanupLines(again) == ['dropTriggersOn child: nothing to drop (public.child has no user triggers)']
    }

    def "dropTypeIfUnused drops unused enum, composite, domain and range types and leaves a used type alone, saying what uses it"() {
        given:
        given('''
            CREATE TYPE mood AS ENUM ('ok', 'meh');
            CREATE TABLE people (id int, current_mood mood);
            CREATE FUNCTION cheer(m mood) RETURNS mood LANGUAGE sql AS 'SELECT m';
            CREATE DOMAIN good_mood AS mood CHECK (VALUE = 'ok');
            CREATE TYPE only_in_arrays AS ENUM ('a');
            CREATE TABLE history (moods only_in_arrays[]);
            CREATE TYPE free_enum AS ENUM ('x');
            CREATE TYPE free_pair AS (a int, b text);
            CREATE DOMAIN free_domain AS int CHECK (VALUE > 0);
            CREATE TYPE free_range AS RANGE (subtype = float8);
            CREATE SCHEMA other;
            CREATE TYPE other.free_enum AS ENUM ('y');
        ''')
        def plan = cleanupPlan('types', '''
            dropTypeIfUnused 'mood'
            dropTypeIfUnused 'only_in_arrays'
            dropTypeIfUnused 'free_enum'
            dropTypeIfUnused 'free_pair'
            dropTypeIfUnused 'free_domain'
            dropTypeIfUnused 'free_range'
            dropTypeIfUnused 'people'
            dropTypeIfUnused 'missing'
        ''')

        when:
        def result = mig(plan)

        then:
        result.exitCode == 0
        cleanupLines(result) == [
                'dropTypeIfUnused mood: left alone, used by column public.people.current_mood, domain constraint good_mood_check on public.good_mood, '
                        + 'domain public.good_mood, function public.cheer(public.mood)',
                'dropTypeIfUnused only_in_arrays: left alone, used by column public.history.moods',
                'dropped enum type public.free_enum',
                'dropped composite type public.free_pair',
                'dropped domain public.free_domain',
                'dropped range type public.free_range',
                'dropTypeIfUnused people: left alone, public.people is the row type of a table, which dropTypeIfUnused does not drop',
                'dropTypeIfUnused missing: nothing to drop (no type missing in public)',
        ]
        types() == ['good_mood', 'history', 'mood', 'only_in_arrays', 'other.free_enum', 'people']
    }

    List<String> types() {
        sql { Sql s ->
            s.rows("""SELECT CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || t.typname AS t
                      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                      WHERE n.nspname IN ('public', 'other') AND t.typelem = 0 ORDER BY 1""")*.t
        }
    }

    def "dropOrphanedSequences drops only sequences that no column owns and nothing uses"() {
        given:
        given('''
            CREATE SEQUENCE orphan_a;
            CREATE SEQUENCE orphan_b;
            CREATE TABLE t (id serial, ident int GENERATED ALWAYS AS IDENTITY, code int);
            CREATE SEQUENCE owned OWNED BY t.code;
            CREATE SEQUENCE in_default;
            CREATE TABLE d (n bigint DEFAULT nextval('in_default'));
            CREATE SEQUENCE in_view;
            CREATE VIEW next_ticket AS SELECT nextval('in_view') AS n;
            CREATE SCHEMA other;
            CREATE SEQUENCE other.orphan_c;
        ''')
        def plan = cleanupPlan('sequences', '''
            dropOrphanedSequences()
        ''')

        when:
        def result = mig(plan)

        then:
        result.exitCode == 0
        cleanupLines(result) == ['dropped orphaned sequence public.orphan_a', 'dropped orphaned sequence public.orphan_b']
        sequences() == ['in_default', 'in_view', 'other.orphan_c', 'owned', 't_id_seq', 't_ident_seq']

        when:
        def other = mig(cleanupPlan('sequences-other', '''
            dropOrphanedSequences schema: 'other'
            dropOrphanedSequences schema: 'other'
            dropOrphanedSequences()
        '''))

        then:
        other.exitCode == 0
        cleanupLines(other) == [
                'dropped orphaned sequence other.orphan_c',
                'dropOrphanedSequences: nothing to drop (no orphaned sequence in other)',
                'dropOrphanedSequences: nothing to drop (no orphaned sequence in public)',
        ]
        sequences() == ['in_default', 'in_view', 'owned', 't_id_seq', 't_ident_seq']
    }

    List<String> sequences() {
        sql { Sql s ->
            s.rows("""SELECT CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || c.relname AS s
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.relkind = 'S' AND n.nspname IN ('public', 'other') ORDER BY 1""")*.s
        }
    }

    def "the existing actions also report what they dropped, and a rerun finds nothing to drop"() {
        given:
        given('''
            CREATE TABLE a (id int CONSTRAINT a_positive CHECK (id > 0));
            CREATE TABLE b (id int);
            CREATE INDEX b_id ON b (id);
        ''')
        def plan = cleanupPlan('existing', '''
            dropConstraintNamed 'a_positive'
            dropRelationNamed 'b_id', kinds: ['index']
            dropIndexIfInvalid 'b_id'
        ''')

        when:
        def first = mig(plan)

        then:
        first.exitCode == 0
        cleanupLines(first) == [
                'dropped constraint a_positive on public.a',
                'dropped index public.b_id',
                'dropIndexIfInvalid b_id: no index of that name',
        ]
    }

    def "a name resolves to the first searchPath schema that has it; a namesake in a later schema is left alone"() {
        given:
        given('''
            CREATE SCHEMA kb;
            CREATE TABLE kb.staging (id int CONSTRAINT unique_chunk UNIQUE);
            CREATE TABLE kb.other_staging (id int CONSTRAINT unique_chunk CHECK (id > 0));
            CREATE TABLE public.legacy (id int CONSTRAINT unique_chunk UNIQUE);
            CREATE TABLE kb.t (id int);
            CREATE INDEX t_idx ON kb.t (id);
            CREATE TABLE public.u (id int);
            CREATE INDEX t_idx ON public.u (id);
            UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'public.t_idx'::regclass;
        ''')
        def plan = cleanupPlan('first-schema', '''
            dropConstraintNamed 'unique_chunk'
            dropIndexIfInvalid 't_idx'
        ''', "searchPath 'kb, public'")

        when:
        def result = mig(plan)

        then:
        result.exitCode == 0
        cleanupLines(result) == [
                'dropped constraint unique_chunk on kb.other_staging',
                'dropped constraint unique_chunk on kb.staging',
                'dropIndexIfInvalid t_idx: kb.t_idx is valid; left alone',
        ]
        sql { Sql s -> s.rows("SELECT conrelid::regclass::text AS t FROM pg_constraint WHERE conname = 'unique_chunk'")*.t } == ['legacy']
        sql { Sql s -> s.firstRow("SELECT to_regclass('public.t_idx') IS NOT NULL AS e").e }
    }
}
