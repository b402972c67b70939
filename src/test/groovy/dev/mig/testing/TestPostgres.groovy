package dev.mig.testing

import groovy.sql.Sql
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres

import java.sql.Connection
import java.sql.DriverManager
import java.util.concurrent.atomic.AtomicInteger

/**
 * One embedded PostgreSQL per test JVM, started on first use and stopped at JVM exit;
 * each spec gets databases of its own so that specs never see each other's objects.
 */
final class TestPostgres {

    private static EmbeddedPostgres server
    private static final AtomicInteger counter = new AtomicInteger()

    private TestPostgres() {}

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = EmbeddedPostgres.builder().start()
            Runtime.runtime.addShutdownHook(new Thread({ server.close() }))
        }
        server
    }

    static int port() { server().port }

    /** A new empty database; returns its name. */
    static String createDatabase(String prefix) {
        String name = (prefix.toLowerCase().replaceAll(/[^a-z0-9]+/, '_') + '_' + counter.incrementAndGet()).take(60)
        withSql('postgres') { Sql sql -> sql.execute('CREATE DATABASE "' + name + '"'.toString()) }
        name
    }

    static String jdbcUrl(String database) {
        "jdbc:postgresql://localhost:${port()}/${database}?user=postgres".toString()
    }

    static Connection connect(String database) {
        DriverManager.getConnection(jdbcUrl(database))
    }

    static <T> T withSql(String database, Closure<T> body) {
        Connection c = connect(database)
        try {
            return body.call(new Sql(c))
        } finally {
            c.close()
        }
    }
}
