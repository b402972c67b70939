package dev.mig.testing

import groovy.sql.Sql
import spock.lang.Specification

/**
 * A spec whose every feature gets a fresh database on the shared embedded PostgreSQL, with
 * {@code mig run} against it ({@link #mig}) and SQL on it ({@link #sql}).
 * The database is created when the feature first asks for it ({@link #getDb}, {@link #getUrl}):
 * a feature that never touches it does not pay for a CREATE DATABASE.
 */
abstract class DatabaseSpec extends Specification {

    PlanFiles files = new PlanFiles()
    private String database

    /** The prefix of this spec's database names, for finding them when a test fails. */
    protected String databasePrefix() { getClass().simpleName.replace('Spec', '').toLowerCase() }

    /** This feature's database, created on first use. */
    synchronized String getDb() {
        if (database == null) {
            database = TestPostgres.createDatabase(databasePrefix())
        }
        database
    }

    String getUrl() {
        TestPostgres.jdbcUrl(getDb())
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
