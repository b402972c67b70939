package dev.mig.catalog

import dev.mig.model.ObjectKind
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

import java.sql.Connection

class CatalogViewSpec extends Specification {

    @Shared @AutoCleanup EmbeddedPostgres pg = EmbeddedPostgres.builder().start()
    @Shared @AutoCleanup Connection conn = pg.postgresDatabase.connection
    @Shared CatalogView view

    def setupSpec() {
        conn.createStatement().execute('''
            CREATE EXTENSION pg_trgm;
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TABLE t (id int PRIMARY KEY, body text NOT NULL DEFAULT 'x');
            CREATE INDEX t_body_idx ON t (body);
            CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
            CREATE POLICY p ON t USING (true);
            INSERT INTO t VALUES (1, 'a'), (2, 'b');
        ''')
        view = new CatalogView(new Catalog(conn, ['public']))
    }

    /** Runs a closure the way guards run: the view as delegate, delegate first. */
    Object ask(Closure<?> c) {
        def copy = c.rehydrate(view, this, this)
        copy.resolveStrategy = Closure.DELEGATE_FIRST
        copy.call()
    }

    def "a guard closure reads the catalog through the view"() {
        expect:
        ask { extension('pg_trgm').exists() }
        ask { !extension('vector').exists() }
        ask { extension('pg_trgm').version ==~ /\d+\.\d+/ }
        ask { enumType('mood').labels } == ['sad', 'ok', 'happy']
        ask { table('t').columns } == ['id', 'body']
        ask { table('t').indexes } == ['t_pkey', 't_body_idx']
        ask { index('t_body_idx').valid }
        ask { index('t_body_idx').method } == 'btree'
        ask { index('t_body_idx').table } == 't'
        ask { function('f').exists() && function('f(integer)').exists() && !function('f(text)').exists() }
        ask { column('t', 'body').defaultValue } == "'x'::text"
        ask { constraint('t', 't_pkey').type } == 'p'
        ask { policy('t', 'p').exists() && !trigger('t', 'nope').exists() }
        ask { schema('public').exists() && role('postgres').exists() && !role('nobody').exists() }
        ask { serverVersion >= 170000 }
    }

    def "Groovy truth of an object is its existence"() {
        expect:
        ask { table('t') as boolean }
        ask { !table('old') }
    }

    def "properties of a missing object are null, not an exception"() {
        expect:
        ask { extension('vector').version } == null
        ask { enumType('nope').labels } == null
        ask { table('nope').anything } == null
        ask { table('nope').name } == 'nope'
        ask { table('nope').kind } == ObjectKind.TABLE
    }

    def "an unknown property of an existing object is a plan error that names the known ones"() {
        when:
        ask { table('t').colums }

        then:
        def e = thrown(MissingPropertyException)
        e.message.contains('columns')
    }

    def "query and value return rows and values with bound arguments"() {
        expect:
        ask { query('SELECT id, body FROM t WHERE id > ? ORDER BY id', 0)*.body } == ['a', 'b']
        ask { query('SELECT id FROM t WHERE body = ?', 'b')[0].id } == 2
        ask { value('SELECT count(*) FROM t') } == 2
    }

    def "object finds a kind by one name, with table-scoped kinds written table.name"() {
        expect:
        view.object(ObjectKind.EXTENSION, 'pg_trgm').exists()
        view.object(ObjectKind.COLUMN, 't.body').exists()
        view.object(ObjectKind.COLUMN, 'public.t.body').exists()
        !view.object(ObjectKind.COLUMN, 't.nope').exists()
        view.object(ObjectKind.POLICY, 't.p').exists()
        !view.object(ObjectKind.TRIGGER, 't.p').exists()
        view.object(ObjectKind.ENUM_TYPE, 'mood').exists()
        !view.object(ObjectKind.ENUM_TYPE, 'int4').exists()
        view.object(ObjectKind.TYPE, 'int4').exists()
    }
}
