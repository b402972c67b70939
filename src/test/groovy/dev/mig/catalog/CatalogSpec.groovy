package dev.mig.catalog

import dev.mig.api.MigException
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

import java.sql.Connection

class CatalogSpec extends Specification {

    @Shared @AutoCleanup EmbeddedPostgres pg = EmbeddedPostgres.builder().start()
    @Shared @AutoCleanup Connection conn = pg.postgresDatabase.connection
    @Shared Catalog catalog

    def setupSpec() {
        sql '''
            CREATE SCHEMA kb;
            CREATE SCHEMA other;
            CREATE TABLE kb.chunks (
                id bigserial PRIMARY KEY,
                body varchar(20) NOT NULL,
                created timestamptz DEFAULT now(),
                tags text[],
                dropped int,
                score numeric(10,2) CONSTRAINT score_positive CHECK (score > 0)
            );
            ALTER TABLE kb.chunks DROP COLUMN dropped;
            CREATE INDEX chunks_body_idx ON kb.chunks USING hash (body);
            CREATE TABLE other.chunks (x int);
            CREATE TABLE other.only_here (x int UNIQUE);
            CREATE TABLE public.plugins (name text);
            INSERT INTO public.plugins VALUES ('a'), ('b'), ('c');
            CREATE VIEW kb.v AS SELECT 1 AS one;
            CREATE MATERIALIZED VIEW kb.mv AS SELECT 1 AS one;
            CREATE SEQUENCE kb.seq;
            CREATE TYPE kb.mood AS ENUM ('sad', 'ok');
            ALTER TYPE kb.mood ADD VALUE 'happy' BEFORE 'ok';
            CREATE FUNCTION kb.f(a int, b text) RETURNS text LANGUAGE sql AS 'SELECT b';
            CREATE FUNCTION kb.f(a text) RETURNS int LANGUAGE sql AS 'SELECT 1';
            CREATE FUNCTION kb.trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            CREATE TRIGGER chunks_touch BEFORE UPDATE ON kb.chunks FOR EACH ROW EXECUTE FUNCTION kb.trg();
            CREATE POLICY chunks_read ON kb.chunks FOR SELECT USING (true);
            CREATE EXTENSION pg_trgm;
            CREATE ROLE reader;
            CREATE TABLE public.dupes (v int);
            INSERT INTO public.dupes VALUES (1), (1);
        '''
        catalog = new Catalog(conn, ['kb', 'other', 'public'])
    }

    void sql(String text) {
        conn.createStatement().execute(text)
    }

    def "table gives live columns in attnum order with format_type, NOT NULL and defaults"() {
        when:
        def t = catalog.table('chunks')

        then:
        t.schema() == 'kb'
        t.name() == 'chunks'
        t.columnNames() == ['id', 'body', 'created', 'tags', 'score']
        t.column('id') == new ColumnInfo('id', 'bigint', true, "nextval('kb.chunks_id_seq'::regclass)")
        t.column('body') == new ColumnInfo('body', 'character varying(20)', true, null)
        t.column('created') == new ColumnInfo('created', 'timestamp with time zone', false, 'now()')
        t.column('tags').type() == 'text[]'
        t.column('score').type() == 'numeric(10,2)'
        t.indexes()*.name() == ['chunks_pkey', 'chunks_body_idx']
        t.indexes().find { it.name() == 'chunks_pkey' }.primary()
    }

    def "table is null for a missing table and for a relation of another kind"() {
        expect:
        catalog.table('nope') == null
        catalog.table('v') == null
        catalog.table('chunks_pkey') == null
    }

    def "an unqualified name resolves to the earliest schema of the search path that holds it"() {
        expect:
        catalog.table('chunks').schema() == 'kb'
        new Catalog(conn, ['other', 'kb']).table('chunks').schema() == 'other'
        catalog.table('only_here').schema() == 'other'
        catalog.table('other.chunks').columnNames() == ['x']
        new Catalog(conn, ['public']).table('chunks') == null
        new Catalog(conn, null).table('plugins').schema() == 'public'
    }

    def "the search path setting of a plan is read as identifiers"() {
        expect:
        Catalog.parseSearchPath('kb, "Other", Public') == ['kb', 'Other', 'public']
        Catalog.parseSearchPath('"a,b", "x"", y", public') == ['a,b', 'x", y', 'public']
        Catalog.parseSearchPath(null) == ['public']
    }

    def "column finds one column or says null"() {
        expect:
        catalog.column('chunks', 'Body').type() == 'character varying(20)'
        catalog.column('chunks', 'dropped') == null
        catalog.column('chunks', 'ctid') == null
        catalog.column('nope', 'body') == null
    }

    def "index reports table, uniqueness, validity, method and primary key"() {
        expect:
        catalog.index('chunks_body_idx') == new IndexInfo('kb', 'chunks_body_idx', 'chunks', false, true, 'hash', false, ['body'], false, false)
        catalog.index('kb.chunks_pkey') == new IndexInfo('kb', 'chunks_pkey', 'chunks', true, true, 'btree', true, ['id'], false, false)
        catalog.index('nope') == null
        catalog.index('chunks') == null
    }

    def "a failed CREATE INDEX CONCURRENTLY leaves an index that the catalog reports INVALID"() {
        given:
        conn.autoCommit = true

        when:
        sql 'CREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON public.dupes (v)'

        then:
        thrown(Exception)

        when: 'the catalog is read again, as the runner does after each action'
        catalog.refresh()

        then:
        catalog.index('dupes_v_key').valid() == false
        catalog.index('dupes_v_key').unique()
        catalog.table('dupes').indexes()*.valid() == [false]
    }

    def "relation finds any pg_class entry, or only the kinds asked for"() {
        expect:
        catalog.relation('chunks') == new RelationInfo('kb', 'chunks', 'r' as char)
        catalog.relation('chunks_pkey').kind() == ('i' as char)
        catalog.relation('chunks', Set.of('v' as char)) == null
        catalog.view('v') == new RelationInfo('kb', 'v', 'v' as char)
        catalog.view('mv') == null
        catalog.materializedView('mv').kind() == ('m' as char)
        catalog.sequence('seq').kind() == ('S' as char)
        catalog.sequence('chunks_id_seq') != null
        catalog.sequence('chunks') == null
        catalog.relation('nope') == null
    }

    def "constraint finds a name on any table, or on one table"() {
        expect:
        with(catalog.constraint('score_positive')) {
            [schema(), name(), table(), type(), columns(), refTable()] == ['kb', 'score_positive', 'chunks', 'c' as char, ['score'], null]
            catalog.constraintDefinition(it) == 'CHECK ((score > (0)::numeric))'
        }
        catalog.constraint('only_here_x_key').type() == ('u' as char)
        catalog.constraintDefinition(catalog.constraint('only_here_x_key')) == 'UNIQUE (x)'
        catalog.constraint('chunks', 'chunks_pkey').type() == ('p' as char)
        catalog.constraint('other.chunks', 'chunks_pkey') == null
        catalog.constraint('nope') == null
        catalog.constraint('nope', 'chunks_pkey') == null
    }

    def "type and enum labels, in their sort order"() {
        expect:
        catalog.type('mood') == new TypeInfo('kb', 'mood', 'e' as char)
        catalog.type('int4') == new TypeInfo('pg_catalog', 'int4', 'b' as char)
        catalog.type('nope') == null
        catalog.enumLabels('mood') == ['sad', 'happy', 'ok']
        catalog.enumLabels('int4') == null
        catalog.enumLabels('nope') == null
    }

    def "extension reports version and schema"() {
        when:
        def e = catalog.extension('pg_trgm')

        then:
        e.name() == 'pg_trgm'
        e.version() ==~ /\d+\.\d+/
        e.schema() == 'public'
        catalog.extension('vector') == null
    }

    def "function matches any overload by name, or one by argument types resolved on the server"() {
        expect:
        catalog.function('f') != null
        catalog.function('f(int, text)') == new FunctionInfo('kb', 'f', 'a integer, b text', 'text')
        catalog.function('kb.f(integer,varchar)') == null
        catalog.function('f(text)').returnType() == 'integer'
        catalog.function('f( int4 , "text" )') != null
        catalog.function('f()') == null
        catalog.function('f(no_such_type)') == null
        catalog.function('nope') == null
        catalog.function('now()').schema() == 'pg_catalog'
        catalog.function('other.f') == null
        catalog.functions('f')*.signature() == ['f(a integer, b text)', 'f(a text)']
        catalog.functions('nope') == []
    }

    def "function signatures keep typmod commas together and reject malformed text"() {
        expect:
        FunctionSignature.parse('f(numeric(10,2), int)').argumentTypes() == ['numeric(10,2)', 'int']
        FunctionSignature.parse('f').argumentTypes() == null
        FunctionSignature.parse('f()').argumentTypes() == []

        when:
        FunctionSignature.parse('f(int')

        then:
        thrown(IllegalArgumentException)
    }

    def "a foreign key into a schema outside the search path names the columns it references"() {
        given:
        sql 'CREATE TABLE kb.links (y int REFERENCES other.only_here (x) ON DELETE SET NULL)'
        def kbOnly = new Catalog(conn, ['kb'])

        when:
        def fk = kbOnly.table('links').constraints('f' as char)[0]

        then:
        fk.columns() == ['y']
        [fk.refSchema(), fk.refTable(), fk.refColumns(), fk.onDelete()] == ['other', 'only_here', ['x'], 'set null']
        fk.describeForeignKey() == '(y) references other.only_here(x)'

        cleanup:
        sql 'DROP TABLE kb.links'
    }

    def "trigger, policy, schema and role existence"() {
        expect:
        catalog.trigger('chunks', 'chunks_touch')
        !catalog.trigger('chunks', 'nope')
        !catalog.trigger('nope', 'chunks_touch')
        catalog.policy('kb.chunks', 'chunks_read')
        !catalog.policy('other.chunks', 'chunks_read')
        catalog.schema('kb')
        !catalog.schema('KB_missing')
        catalog.role('reader')
        !catalog.role('writer')
    }

    def "rowCount counts rows, and is -1 for a missing table"() {
        expect:
        catalog.rowCount('plugins') == 3
        catalog.rowCount('v') == 1
        catalog.rowCount('nope') == -1
    }

    def "query and value bind their arguments"() {
        expect:
        catalog.query('SELECT name FROM plugins WHERE name <> ? ORDER BY name', 'b') == [[name: 'a'], [name: 'c']]
        catalog.value('SELECT count(*) FROM plugins WHERE name = ?', 'a') == 1
        catalog.value('SELECT 1 WHERE false') == null
        catalog.serverVersion() >= 170000
    }

    def "a failed query raises MigException, and attempt keeps the transaction usable"() {
        given:
        conn.autoCommit = false

        when:
        catalog.attempt { catalog.value('SELECT no_such_column FROM plugins') }

        then:
        def e = thrown(MigException)
        e.message.contains('no_such_column')
        catalog.table('plugins') != null

        cleanup:
        conn.rollback()
        conn.autoCommit = true
    }
}
