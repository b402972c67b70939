package dev.mig.recipes

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

/**
 * The recipe library mig ships in its jar (src/main/resources/mig/recipes/), each recipe run in
 * a real plan on the embedded PostgreSQL, as docs/RECIPES.md describes it.
 */
class ShippedRecipesSpec extends DatabaseSpec {


    MigCli run(String name, String plan) {
        MigCli.run(['run', '--url', url, files.write(name, plan).toString()])
    }

    String extensionSchema(String name) {
        sql { Sql s -> s.firstRow('SELECT extnamespace::regnamespace::text AS s FROM pg_extension WHERE extname = ?', [name])?.s }
    }

    def "'clear name' frees a name held by a constraint on another table, an index or a sequence, and says when there is nothing"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE old_chunks (id int CONSTRAINT unique_chunk UNIQUE)')
            s.execute('CREATE TABLE other (id int)')
            s.execute('CREATE INDEX chunk_idx ON other (id)')
            s.execute('CREATE SEQUENCE chunk_seq')
            s.execute('CREATE TABLE chunk_table (id int)')
        }

        when:
        def result = run('clear.groovy', """\
            plan('clear') {
                use 'classpath:mig/recipes/catalog.groovy', version: '1'
                step('chunks') {
                    cleanup {
                        apply 'clear name', 'unique_chunk'
                        apply 'clear name', 'chunk_idx'
                        apply 'clear name', 'chunk_seq'
                        apply 'clear name', 'chunk_table'
                        apply 'clear name', 'never_existed'
                    }
                    sql '''CREATE TABLE chunks (id int CONSTRAINT unique_chunk UNIQUE);
                           CREATE INDEX chunk_idx ON chunks (id);
                           CREATE SEQUENCE chunk_seq'''
                    verify { index('unique_chunk') { on 'chunks' }; index('chunk_idx') { on 'chunks' }; sequence 'chunk_seq' }
                }
            }
        """)

        then:
        result.exitCode == 0
        result.out.contains('dropped constraint unique_chunk on public.old_chunks')
        result.out.contains('dropped index public.chunk_idx')
        result.out.contains('dropped sequence public.chunk_seq')
        result.out.contains('chunk_table is a table, not one of the kinds asked for; left alone')
        result.out.contains('dropConstraintNamed never_existed: nothing to drop')
        result.out.contains('dropRelationNamed never_existed: nothing to drop')
        sql { Sql s -> s.firstRow("SELECT to_regclass('chunk_table') IS NOT NULL AS kept").kept }
    }

    def "'ensure extension' creates the schema and installs the extension there, and is a no-op when it already is"() {
        when:
        def result = run('ensure.groovy', """\
            use 'classpath:mig/recipes/extensions.groovy'
            plan('ensure') {
                step('citext') { apply 'ensure extension', 'citext', 'ext' }
                step('use it') {
                    sql 'CREATE TABLE people (email ext.citext)'
                    verify { table('people') { column('email') { type 'ext.citext' } } }
                }
                step('again') { apply 'ensure extension', 'citext', 'ext' }
                step('default schema') { apply 'ensure extension', 'pg_trgm' }
                step('quoted name') { apply 'ensure extension', '"uuid-ossp"', 'EXT' }
            }
        """)

        then:
        result.exitCode == 0
        result.out =~ /applied\s+citext/
        result.out =~ /applied\s+again/
        result.out.contains('extension "citext" already exists, skipping')
        extensionSchema('citext') == 'ext'
        extensionSchema('pg_trgm') == 'public'
        extensionSchema('uuid-ossp') == 'ext'
    }

    def "'ensure extension' moves a relocatable extension installed in another schema"() {
        given:
        sql { Sql s -> s.execute('CREATE EXTENSION hstore') }

        when:
        def result = run('move.groovy', """\
            use 'classpath:mig/recipes/extensions.groovy'
            plan('move') {
                step('hstore') { apply 'ensure extension', 'hstore', 'extensions' }
            }
        """)

        then:
        result.exitCode == 0
        extensionSchema('hstore') == 'extensions'
        sql { Sql s -> s.firstRow("SELECT extensions.exist('a=>1'::extensions.hstore, 'a') AS v").v }
    }

    def "'ensure extension' fails clearly, naming both schemas, when the extension cannot be moved"() {
        when: 'plpgsql lives in pg_catalog and is not relocatable'
        def result = run('stuck.groovy', """\
            use 'classpath:mig/recipes/extensions.groovy'
            plan('stuck') {
                step('plpgsql') { apply 'ensure extension', 'plpgsql', 'ext' }
            }
        """)

        then:
        result.exitCode == 1
        result.out.contains('extension plpgsql is installed in schema pg_catalog and is not relocatable, so it cannot be moved to ext')
        result.out.contains('classpath:mig/recipes/extensions.groovy:')
        extensionSchema('plpgsql') == 'pg_catalog'
        sql { Sql s -> s.firstRow("SELECT to_regnamespace('ext') IS NULL AS gone").gone }
    }

    def "'ensure extension' takes names as SQL writes them: a malformed one is a plan error, a quoted odd one stays a name"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE users (id int)') }

        when: 'unquoted, it is not a name: the plan stops before it connects'
        def malformed = run('malformed.groovy', """\
            use 'classpath:mig/recipes/extensions.groovy'
            plan('malformed') {
                step('odd') { apply 'ensure extension', 'x"; DROP TABLE users; --', 'public' }
            }
        """)

        then:
        malformed.exitCode == 2
        malformed.err =~ /classpath:mig\/recipes\/extensions\.groovy:\d+: the recipe threw IllegalArgumentException: invalid name/
        malformed.err.contains("(in recipe 'ensure extension' applied at ")
        malformed.err.contains('malformed.groovy:3)')

        when: 'quoted, it is one odd name, which PostgreSQL refuses as an extension name'
        def quoted = run('quoted.groovy', """\
            use 'classpath:mig/recipes/extensions.groovy'
            plan('quoted') {
                step('odd') { apply 'ensure extension', '"x""; DROP TABLE users; --"', 'public' }
            }
        """)

        then:
        quoted.exitCode == 1
        quoted.out.contains('CREATE EXTENSION IF NOT EXISTS "x""; DROP TABLE users; --" SCHEMA "public"')
        quoted.out.contains('invalid extension name: "x"; DROP TABLE users; --"')
        sql { Sql s -> s.firstRow("SELECT to_regclass('users') IS NOT NULL AS kept").kept }
    }

    def "'drop policies' drops every policy on a table so the step can write its own, and keeps row level security on"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE docs (id int, owner text)')
            s.execute('ALTER TABLE docs ENABLE ROW LEVEL SECURITY')
            s.execute("CREATE POLICY old_read ON docs FOR SELECT USING (owner = current_user)")
            s.execute("CREATE POLICY \"Old Write\" ON docs FOR INSERT WITH CHECK (true)")
        }

        when:
        def result = run('rls.groovy', """\
            use 'classpath:mig/recipes/rls.groovy', version: '1.0'
            plan('rls') {
                step('policies') {
                    cleanup { apply 'drop policies', 'docs' }
                    sql "CREATE POLICY owner_all ON docs USING (owner = current_user)"
                    verify { policy('docs', 'owner_all') }
                }
                step('nothing') { cleanup { apply 'drop policies', 'no_such_table' } }
            }
        """)

        then:
        result.exitCode == 0
        result.out.contains('dropped policy old_read on public.docs')
        result.out.contains('dropped policy Old Write on public.docs')
        result.out.contains('dropPoliciesOn no_such_table: nothing to drop (no table no_such_table in public)')
        sql { Sql s -> s.rows("SELECT policyname FROM pg_policies WHERE tablename = 'docs'")*.policyname } == ['owner_all']
        sql { Sql s -> s.firstRow("SELECT relrowsecurity FROM pg_class WHERE relname = 'docs'").relrowsecurity }
    }

    def "'drop function overloads' drops every argument list of a function before it is created again"() {
        given:
        sql { Sql s ->
            s.execute('CREATE FUNCTION search_chunks(q text) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$')
            s.execute('CREATE FUNCTION search_chunks(q text, n int) RETURNS int LANGUAGE sql AS $$ SELECT n $$')
        }

        when:
        def result = run('overloads.groovy', """\
            use 'classpath:mig/recipes/catalog.groovy'
            plan('overloads') {
                step('search') {
                    cleanup { apply 'drop function overloads', 'search_chunks' }
                    sql 'CREATE FUNCTION search_chunks(q text, lim bigint DEFAULT 10) RETURNS bigint LANGUAGE sql AS \$\$ SELECT lim \$\$'
                    verify { function 'search_chunks(text, bigint)' }
                }
            }
        """)

        then:
        result.exitCode == 0
        result.out.contains('dropped function public.search_chunks(q text)')
        result.out.contains('dropped function public.search_chunks(q text, n integer)')
        sql { Sql s -> s.rows("SELECT pg_get_function_identity_arguments(oid) AS a FROM pg_proc WHERE proname = 'search_chunks'")*.a } == ['q text, lim bigint']
    }

    def "'drop orphaned sequences' drops sequences no column owns, in the searchPath or in one schema"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE counted (id serial)')
            s.execute('CREATE SEQUENCE leftover_seq')
            s.execute('CREATE SCHEMA kb')
            s.execute('CREATE SEQUENCE kb.kb_leftover')
        }

        when:
        def result = run('orphans.groovy', """\
            use 'classpath:mig/recipes/catalog.groovy'
            plan('orphans') {
                step('public') { cleanup { apply 'drop orphaned sequences' } }
                step('kb') { cleanup { apply 'drop orphaned sequences', 'kb' } }
                step('again') { cleanup { apply 'drop orphaned sequences', 'kb' } }
            }
        """)

        then:
        result.exitCode == 0
        result.out.contains('dropped orphaned sequence public.leftover_seq')
        result.out.contains('dropped orphaned sequence kb.kb_leftover')
        result.out.contains('dropOrphanedSequences: nothing to drop (no orphaned sequence in kb)')
        sql { Sql s -> s.rows("SELECT sequencename FROM pg_sequences WHERE schemaname IN ('public', 'kb') ORDER BY 1")*.sequencename } == ['counted_id_seq']
    }

    def "mig recipes lists the shipped recipes with their parameters and versions"() {
        given:
        def plan = files.write('listing.groovy', """\
            use 'classpath:mig/recipes/catalog.groovy'
            use 'classpath:mig/recipes/extensions.groovy'
            plan('listing') { step('a') { sql 'SELECT 1' } }
        """)

        when:
        def result = MigCli.run(['recipes', plan.toString()])

        then:
        result.exitCode == 0
        result.out.contains('clear name (String name)')
        result.out.contains("ensure extension (String name, String schema = 'public')")
        result.out.count('version 1.0') == 4
        result.out.contains('drop function overloads (String name)')
        result.out.contains('drop orphaned sequences (String schema = null)')
    }
}
