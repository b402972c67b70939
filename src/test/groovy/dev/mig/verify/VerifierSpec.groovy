package dev.mig.verify

import dev.mig.api.SourceLocation
import dev.mig.catalog.Catalog
import dev.mig.catalog.CatalogView
import dev.mig.model.Count
import dev.mig.model.Expectation
import dev.mig.model.Expectation.Absent
import dev.mig.model.Expectation.ColumnSpec
import dev.mig.model.Expectation.Condition
import dev.mig.model.Expectation.EnumLabels
import dev.mig.model.Expectation.Exists
import dev.mig.model.Expectation.Index
import dev.mig.model.Expectation.RowCount
import dev.mig.model.Expectation.Table
import dev.mig.model.ObjectKind
import dev.mig.model.VerifyBlock
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

import java.sql.Connection

class VerifierSpec extends Specification {

    static final SourceLocation HERE = SourceLocation.UNKNOWN

    @Shared @AutoCleanup EmbeddedPostgres pg = EmbeddedPostgres.builder().start()
    @Shared @AutoCleanup Connection conn = pg.postgresDatabase.connection
    @Shared Catalog catalog
    @Shared CatalogView view
    Verifier verifier = new Verifier()

    def setupSpec() {
        conn.createStatement().execute('''
            CREATE TABLE chunks (
                id bigserial PRIMARY KEY,
                body varchar(20),
                title text NOT NULL,
                status text DEFAULT 'draft',
                created timestamptz NOT NULL DEFAULT now(),
                tags text[],
                price numeric(10, 2),
                flag boolean
            );
            CREATE TABLE t (id int PRIMARY KEY, a int);
            CREATE INDEX t_a_idx ON t (a);
            CREATE TABLE u (x int);
            CREATE INDEX i ON u (x);
            CREATE TABLE dupes (v int);
            INSERT INTO dupes VALUES (1), (1);
            CREATE TYPE mood AS ENUM ('a', 'c');
            CREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS 'SELECT 1';
            CREATE TABLE plugins (name text);
            INSERT INTO plugins VALUES ('x'), ('y'), ('z');
            CREATE TABLE old (x int);
            CREATE EXTENSION pg_trgm;
        ''')
        try {
            // fails on the duplicate and leaves an INVALID index behind, as a crashed build would
            conn.createStatement().execute('CREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON dupes (v)')
        } catch (java.sql.SQLException expected) {
        }
    }

    List<String> messages(Expectation... expectations) {
        verifier.check(new VerifyBlock(expectations.toList(), ''), catalog, view)*.message()
    }

    def setup() {
        catalog = new Catalog(conn, ['public'])
        view = new CatalogView(catalog)
    }

    static Table table(String name, Map<String, ColumnSpec> specs = [:], Count columns = null, Count indexes = null) {
        new Table(name, columns, specs, indexes, HERE)
    }

    static Map<String, ColumnSpec> col(String name, String type, Boolean notNull = null, String dflt = null) {
        [(name): new ColumnSpec(name, type, notNull, dflt, HERE)]
    }

    def "a missing table is reported as not existing"() {
        expect:
        messages(table('nope', [:], Count.exactly(2))) == ['table nope: does not exist']
    }

    def "a wrong column count names the expected columns that are missing"() {
        given:
        def specs = col('embedding', 'vector(3)') + col('body', 'varchar(20)')

        expect:
        messages(table('chunks', specs, Count.exactly(9))) == [
                'table chunks: expected 9 columns, found 8 (missing: embedding)',
                'table chunks, column embedding: does not exist']
    }

    def "a wrong type, nullability and default are each reported with what was found"() {
        given:
        def specs = col('body', 'text', true) + col('status', null, null, "'published'")

        expect:
        messages(table('chunks', specs)) == [
                'table chunks, column body: expected type text, found character varying(20)',
                'table chunks, column body: expected NOT NULL, found nullable',
                "table chunks, column status: expected default 'published', found 'draft'::text"]
    }

    @Unroll
    def "type #expected matches a column of #column"() {
        expect:
        messages(table('chunks', col(column, expected))) == []

        where:
        column    | expected
        'id'      | 'bigint'
        'id'      | 'int8'
        'id'      | 'bigserial'
        'id'      | 'BIGINT'
        'body'    | 'varchar(20)'
        'body'    | 'character varying(20)'
        'body'    | 'VARCHAR( 20 )'
        'created' | 'timestamptz'
        'created' | 'timestamp with time zone'
        'tags'    | 'text[]'
        'tags'    | '_text'
        'price'   | 'numeric(10,2)'
        'price'   | 'decimal(10, 2)'
        'flag'    | 'bool'
    }

    @Unroll
    def "type #expected does not match a column of #column"() {
        expect:
        messages(table('chunks', col(column, expected))).size() == 1

        where:
        column    | expected
        'body'    | 'varchar(30)'
        'created' | 'timestamp'
        'tags'    | 'text'
        'id'      | 'integer'
        'price'   | 'numeric'
        'flag'    | 'no such type'
    }

    def "defaults match exactly or with the server's casts removed"() {
        expect:
        messages(table('chunks', col('status', null, false, "'draft'") + col('created', null, true, 'now()'))) == []
        messages(table('chunks', col('status', null, null, "'draft'::text"))) == []
        messages(table('chunks', col('body', null, null, "'x'"))) == ["table chunks, column body: expected default 'x', found no default"]
    }

    def "an index count lists the indexes found"() {
        expect:
        messages(table('t', [:], null, Count.atLeast(3))) == ['table t: expected at least 3 indexes, found 2 (t_pkey, t_a_idx)']
        messages(table('t', [:], Count.exactly(2), Count.exactly(2))) == []
    }

    def "index properties are each reported"() {
        expect:
        messages(new Index('dupes_v_key', false, true, 'hnsw', 'u', HERE)) == [
                'index dupes_v_key: expected not unique, found unique',
                'index dupes_v_key: expected valid, found INVALID',
                'index dupes_v_key: expected method hnsw, found btree',
                'index dupes_v_key: expected on table u, found on dupes']
        messages(new Index('i', null, null, null, 't', HERE)) == ['index i: expected on table t, found on u']
        messages(new Index('i', false, true, 'btree', 'public.u', HERE)) == []
        messages(new Index('nope', null, true, null, null, HERE)) == ['index nope: does not exist']
    }

    def "existence failures say not installed, does not exist, and list function overloads"() {
        expect:
        messages(new Exists(ObjectKind.EXTENSION, 'vector', HERE)) == ['extension vector: not installed']
        messages(new Exists(ObjectKind.FUNCTION, 'f(int)', HERE)) == ['function f(int): does not exist (overloads: f(text))']
        messages(new Exists(ObjectKind.FUNCTION, 'g', HERE)) == ['function g: does not exist']
        messages(new Exists(ObjectKind.SCHEMA, 'kb', HERE)) == ['schema kb: does not exist']
        messages(new Exists(ObjectKind.COLUMN, 'chunks.nope', HERE)) == ['column chunks.nope: does not exist']
        messages(new Exists(ObjectKind.ENUM_TYPE, 'int4', HERE)) == ['enum type int4: exists but is not an enum type']
    }

    def "enum labels are compared in order"() {
        expect:
        messages(new EnumLabels('mood', ['a', 'b'], HERE)) == ['enum type mood: expected labels [a, b], found [a, c]']
        messages(new EnumLabels('mood', ['c', 'a'], HERE)) == ['enum type mood: expected labels [c, a], found [a, c]']
        messages(new EnumLabels('nope', ['a'], HERE)) == ['enum type nope: does not exist']
        messages(new EnumLabels('mood', ['a', 'c'], HERE)) == []
    }

    def "absent reports each listed object that exists"() {
        expect:
        messages(new Absent([new Exists(ObjectKind.TABLE, 'old', HERE), new Exists(ObjectKind.TABLE, 'gone', HERE),
                             new Exists(ObjectKind.EXTENSION, 'pg_trgm', HERE)], HERE)) ==
                ['absent: table old exists', 'absent: extension pg_trgm exists']
    }

    /** [subject, expected, found, line] of each failure, for the reports that keep them apart. */
    List<List<Object>> parts(Expectation... expectations) {
        verifier.check(new VerifyBlock(expectations.toList(), ''), catalog, view).collect {
            [it.subject(), it.expected(), it.found(), it.location().line()]
        }
    }

    static SourceLocation line(int n) {
        new SourceLocation(java.nio.file.Path.of('plan.groovy'), n)
    }

    def "a failure keeps what was checked, expected and found apart, and the expectation's file and line"() {
        when:
        def failures = verifier.check(new VerifyBlock([
                new Table('chunks', null, col('body', 'text', true), null, line(7)),
                new Index('t_a_idx', true, null, null, null, line(9)),
                new RowCount('plugins', Count.atLeast(4), line(11)),
                new Absent([new Exists(ObjectKind.TABLE, 'old', HERE)], line(12)),
        ], ''), catalog, view)

        then:
        failures.collect { [it.subject(), it.expected(), it.found(), it.location().line()] } == [
                ['table chunks, column body', 'type text', 'character varying(20)', 7],
                ['table chunks, column body', 'NOT NULL', 'nullable', 7],
                ['index t_a_idx', 'unique', 'not unique', 9],
                ['rowCount plugins', 'at least 4 rows', '3', 11],
                ['table old', 'absent', 'exists', 12]]
        failures*.location()*.file()*.toString() == ['plan.groovy'] * 5
        failures*.message() == [
                'table chunks, column body: expected type text, found character varying(20)',
                'table chunks, column body: expected NOT NULL, found nullable',
                'index t_a_idx: expected unique, found not unique',
                'rowCount plugins: expected at least 4 rows, found 3',
                'absent: table old exists']
        failures[0].text() == 'table chunks, column body: expected type text, found character varying(20) (plan.groovy:7)'
    }

    def "a missing object is found 'does not exist'; a kind without a value to compare has no expected and found"() {
        expect:
        parts(table('nope'), new RowCount('nope', Count.exactly(0), line(3)),
                new Exists(ObjectKind.EXTENSION, 'vector', line(4)),
                new Condition('never', { false }, line(5)),
                new Condition('bad sql', { value('SELECT no_such_column FROM plugins') }, line(6))) == [
                ['table nope', 'exists', 'does not exist', 0],
                ['rowCount nope', '0 rows', 'table does not exist', 3],
                ['extension vector', 'exists', 'not installed', 4],
                ["expect 'never'", null, null, 5],
                ["expect 'bad sql'", null, null, 6]]
    }

    def "row counts compare exactly or at least, and a missing table is said so"() {
        expect:
        messages(new RowCount('plugins', Count.exactly(2), HERE)) == ['rowCount plugins: expected 2 rows, found 3']
        messages(new RowCount('plugins', Count.atLeast(4), HERE)) == ['rowCount plugins: expected at least 4 rows, found 3']
        messages(new RowCount('nope', Count.exactly(0), HERE)) == ['rowCount nope: table does not exist']
        messages(new RowCount('plugins', Count.atLeast(3), HERE)) == []
    }

    def "conditions run against the catalog view and report false or what they threw"() {
        expect:
        messages(new Condition('three plugins', { value('SELECT count(*) FROM plugins') == 3 }, HERE)) == []
        messages(new Condition('trgm', { extension('pg_trgm').exists() && serverVersion >= 170000 }, HERE)) == []
        messages(new Condition('no rows', { query('SELECT * FROM plugins WHERE name = ?', 'q') }, HERE)) ==
                ["expect 'no rows': was false"]
        messages(new Condition('boom', { throw new IllegalStateException('kaput') }, HERE)) ==
                ["expect 'boom': threw kaput"]
    }

    def "a malformed name is a failure message, not an exception"() {
        expect:
        messages(table('"unterminated')) ==
                ['table "unterminated: invalid name \'"unterminated\': unterminated quote starting at position 1']
        messages(new Exists(ObjectKind.VIEW, 'a.b.c', HERE)) ==
                ["view a.b.c: invalid name 'a.b.c': expected name or schema.name, found 3 dotted parts"]
    }

    def "every failure of a block comes back at once, in a transaction a failing query does not spoil"() {
        given:
        conn.autoCommit = false
        def block = new VerifyBlock([
                table('nope'),
                new Condition('bad sql', { value('SELECT no_such_column FROM plugins') }, HERE),
                new Exists(ObjectKind.EXTENSION, 'vector', HERE),
                new RowCount('plugins', Count.exactly(2), HERE),
                new Index('t_a_idx', null, null, 'hnsw', null, HERE),
                new Exists(ObjectKind.TABLE, 'chunks', HERE),
        ], '')

        when:
        def failures = verifier.check(block, catalog, view)

        then:
        failures*.message() == [
                'table nope: does not exist',
                "expect 'bad sql': threw catalog query failed: ERROR: column \"no_such_column\" does not exist\n  Position: 8",
                'extension vector: not installed',
                'rowCount plugins: expected 2 rows, found 3',
                'index t_a_idx: expected method hnsw, found btree']
        failures*.expectation() == block.expectations()[0..4]

        cleanup:
        conn.rollback()
        conn.autoCommit = true
    }

    def "a block where everything holds gives no failures"() {
        given:
        def block = new VerifyBlock([
                table('chunks', col('body', 'varchar(20)', false) + col('title', 'text', true)
                        + col('created', 'timestamptz', true, 'now()'), Count.exactly(8), Count.exactly(1)),
                new Index('t_a_idx', false, true, 'btree', 't', HERE),
                new Exists(ObjectKind.EXTENSION, 'pg_trgm', HERE),
                new Exists(ObjectKind.FUNCTION, 'f(text)', HERE),
                new Exists(ObjectKind.FUNCTION, 'f', HERE),
                new Exists(ObjectKind.TYPE, 'mood', HERE),
                new Exists(ObjectKind.ROLE, 'postgres', HERE),
                new Exists(ObjectKind.SEQUENCE, 'chunks_id_seq', HERE),
                new Absent([new Exists(ObjectKind.VIEW, 'old', HERE)], HERE),
                new RowCount('plugins', Count.exactly(3), HERE),
                new EnumLabels('mood', ['a', 'c'], HERE),
                new Condition('truthy', { table('chunks').columns.contains('tags') }, HERE),
        ], '')

        expect:
        verifier.check(block, catalog, view) == []
        verifier.check(VerifyBlock.EMPTY, catalog, view) == []
    }

    def "a verify block reads each catalog section once, however many tables it names"() {
        given:
        conn.createStatement().execute((1..40).collect { "CREATE TABLE many_${it} (id int PRIMARY KEY, a text, b text)" }.join(';'))
        def expectations = { int n ->
            (1..n).collect {
                new Table("many_${it}", Count.exactly(3), ['a': new ColumnSpec('a', 'text', false, null, HERE)], Count.exactly(1),
                        ['id'], [], [['id']], [], false, false, Count.exactly(0), Count.exactly(0), null,
                        [new Expectation.NameSet('foreignKeys', Count.exactly(0), null, null)], ['a'], HERE)
            } as Expectation[]
        }

        when:
        def few = new Catalog(conn, ['public'])
        def fewFailures = verifier.check(new VerifyBlock(expectations(2).toList(), ''), few, new CatalogView(few))
        def many = new Catalog(conn, ['public'])
        def manyFailures = verifier.check(new VerifyBlock(expectations(40).toList(), ''), many, new CatalogView(many))

        then:
        fewFailures.empty
        manyFailures.empty
        many.queriesRun() == few.queriesRun()
        many.queriesRun() <= 10

        when: 'the snapshot is dropped, the next question reads the catalog again'
        conn.createStatement().execute('DROP TABLE many_40')
        def before = many.queriesRun()
        many.refresh()

        then:
        many.table('many_40') == null
        many.queriesRun() == before + 1
    }
}
