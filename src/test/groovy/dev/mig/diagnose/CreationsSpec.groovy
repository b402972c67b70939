package dev.mig.diagnose

import dev.mig.plan.PlanLoader
import dev.mig.sql.SqlTokens
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** What the plan scan recognises as creating a name, and the statement shapes hints read. */
class CreationsSpec extends Specification {

    @TempDir
    Path dir

    List<String> creations(String sql) {
        Path p = dir.resolve('p.groovy')
        // transaction false: a CONCURRENTLY statement in a transactional step would be a plan error
        Files.writeString(p, "plan('p') { step('s') { transaction false; sql '''${sql}''' } }")
        def step = new PlanLoader().load(p).steps[0]
        Creations.in(step).collect { "${it.kind()} ${it.word()} ${it.schema() ?: '-'}.${it.name()}".toString() }
    }

    def "CREATE and ALTER statements are read for the names they create"() {
        expect:
        creations(sql) == expected

        where:
        sql                                                                  | expected
        'CREATE TABLE IF NOT EXISTS kb.chunks (id int)'                      | ['RELATION table kb.chunks']
        'create unlogged table "My Table" (id int)'                          | ['RELATION table -.My Table']
        'CREATE OR REPLACE VIEW v AS SELECT 1'                               | ['RELATION view -.v']
        'CREATE MATERIALIZED VIEW mv AS SELECT 1'                            | ['RELATION materialized view -.mv']
        'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)'          | ['RELATION index -.i']
        'CREATE INDEX ON t (a)'                                              | []
        "CREATE TYPE mood AS ENUM ('a')"                                     | ['TYPE type -.mood']
        'CREATE DOMAIN kb.email AS text'                                     | ['TYPE domain kb.email']
        'CREATE OR REPLACE FUNCTION kb.f(a int) RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql' | ['FUNCTION function kb.f']
        'CREATE SCHEMA IF NOT EXISTS kb'                                     | ['SCHEMA schema -.kb']
        'CREATE EXTENSION IF NOT EXISTS "uuid-ossp" SCHEMA ext'              | ['EXTENSION extension -.uuid-ossp']
        'ALTER TABLE kb.t RENAME TO u'                                       | ['RELATION table kb.u']
        'ALTER TABLE t ADD CONSTRAINT t_a UNIQUE (a)'                        | ['CONSTRAINT constraint -.t_a', 'RELATION index (of constraint t_a) -.t_a']
        "-- CREATE TABLE commented (id int)\nSELECT 'CREATE TABLE quoted'"   | []
    }

    def "foreign-key clauses are read from table and column forms"() {
        expect:
        StatementShapes.foreignKeys(SqlTokens.of(sql)).collect {
            "${it.name()}:${it.columns()}->${it.refSchema() ?: '-'}.${it.refTable()}${it.refColumns()}".toString()
        } == expected

        where:
        sql                                                                                         | expected
        'ALTER TABLE c ADD CONSTRAINT c_fk FOREIGN KEY (a, "B") REFERENCES kb.p (x, y)'             | ['c_fk:[a, B]->kb.p[x, y]']
        'ALTER TABLE c ADD FOREIGN KEY (user_id) REFERENCES users'                                   | ['null:[user_id]->-.users[]']
        'ALTER TABLE c ADD COLUMN user_id int CONSTRAINT c_u REFERENCES users (id)'                 | ['c_u:[user_id]->-.users[id]']
        'ALTER TABLE c ADD FOREIGN KEY (a) REFERENCES p (x), ADD FOREIGN KEY (b) REFERENCES q (y)' | ['null:[a]->-.p[x]', 'null:[b]->-.q[y]']
    }

    def "a detail's key list is read into column names, and an expression is not"() {
        expect:
        StatementShapes.columnList(keys) == expected

        where:
        keys                  | expected
        'email'               | ['email']
        'tenant_id, "Email"'  | ['tenant_id', 'Email']
        'lower(email)'        | null
    }
}
