package dev.mig.testing

import groovy.sql.Sql
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres

import java.nio.file.Files
import java.nio.file.Path
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
            Path dataDir = Files.createTempDirectory('mig-test-postgres')
            // zonky's own hook would delete the data directory file by file before the JVM may exit:
            // with the hundreds of databases a full test run creates that took over 30 s, and
            // surefire reported "going to kill self fork JVM" as an ERROR in a green build
            // zonky starts it with fsync off (-F); without full-page writes too, the checkpoints of
            // CREATE DATABASE ... FILE_COPY (see createDatabase) leave less WAL behind them
            server = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setServerConfig('full_page_writes', 'off')
                    .setRegisterShutdownHook(false).start()
            Runtime.runtime.addShutdownHook(new Thread({ stopAndRemove(server, dataDir) } as Runnable, 'test-postgres-stop'))
        }
        server
    }

    /**
     * Stops the server (pg_ctl stop -m fast, well under a second) and leaves the removal of its
     * data directory to an {@code rm -rf} that outlives this JVM, so the JVM exits at once.
     * Where there is no rm the directory is removed here, as zonky would.
     */
    private static void stopAndRemove(EmbeddedPostgres postgres, Path dataDir) {
        postgres.close()
        try {
            new ProcessBuilder('rm', '-rf', dataDir.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start()
        } catch (IOException ignored) {
            dataDir.toFile().deleteDir()
        }
    }

    static int port() { server().port }

    /**
     * A new empty database; returns its name. FILE_COPY copies template1's files (with fsync off, its
     * two checkpoints cost little): faster than the default WAL_LOG strategy, which writes all of
     * template1 to the WAL (120 against 180 ms on a loaded machine), and a run creates hundreds.
     */
    static String createDatabase(String prefix) {
        String name = (prefix.toLowerCase().replaceAll(/[^a-z0-9]+/, '_') + '_' + counter.incrementAndGet()).take(60)
        withSql('postgres') { Sql sql -> sql.execute('CREATE DATABASE "' + name + '" STRATEGY FILE_COPY'.toString()) }
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
