package dev.mig.testing

import groovy.sql.Sql
import spock.lang.Specification

/**
 * A spec whose every feature gets a fresh database on the shared embedded PostgreSQL, with
 * {@code mig run} against it ({@link #mig}) and SQL on it ({@link #sql}).
 */
abstract class DatabaseSpec extends Specification {

    PlanFiles files = new PlanFiles()
    String db
    String url

    /** The prefix of this spec's database names, for finding them when a test fails. */
    protected String databasePrefix() { getClass().simpleName.replace('Spec', '').toLowerCase() }

    def setup() {
        db = TestPostgres.createDatabase(databasePrefix())
        url = TestPostgres.jdbcUrl(db)
    }

    /** {@code mig run --url URL ARGS...} in this JVM. */
    MigCli mig(String... args) {
        MigCli.run(['run', '--url', url] + (args as List))
    }

    def <T> T sql(Closure<T> body) {
        TestPostgres.withSql(db, body)
    }

    boolean exists(String relation) {
        sql { Sql s -> s.firstRow('SELECT to_regclass(?) IS NOT NULL AS e', [relation]).e }
    }
}
