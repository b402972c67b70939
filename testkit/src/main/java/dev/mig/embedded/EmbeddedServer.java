package dev.mig.embedded;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A throwaway PostgreSQL (zonky's embedded binaries) for {@code run} without a target and for
 * {@code rehearse}. The server's own output is discarded: mig prints its own lines, and the
 * first of them says the database is embedded.
 */
public final class EmbeddedServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int BUNDLED_MAJOR = readBundledMajor();

    private final EmbeddedPostgres postgres;
    private final String serverVersion;
    private final Target target;

    private EmbeddedServer(EmbeddedPostgres postgres, String serverVersion) {
        this.postgres = postgres;
        this.serverVersion = serverVersion;
        this.target = Target.embedded(HOST, postgres.getPort(), serverVersion);
    }

    /** Starts a fresh server in a temporary data directory. */
    public static EmbeddedServer start() {
        return start(EmbeddedPostgres.builder());
    }

    /** Starts a server from a builder the caller configured (data directory, server settings). */
    public static EmbeddedServer start(EmbeddedPostgres.Builder builder) {
        EmbeddedPostgres postgres;
        try {
            postgres = builder
                    .setOutputRedirector(Redirect.DISCARD)
                    .setErrorRedirector(Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new MigException(ExitCode.CONNECTION_FAILED,
                    "cannot start the embedded PostgreSQL: " + Connections.oneLine(e.getMessage()), null,
                    "check that the temp directory is writable and has space, and that shared memory is available;"
                            + " or give a target with --url / MIG_URL / DATABASE_URL", e);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            // "17.11 (Debian ...)" on some builds: keep the number
            String version = rs.getString(1).split("\\s+")[0];
            return new EmbeddedServer(postgres, version);
        } catch (SQLException e) {
            closeQuietly(postgres);
            throw new MigException(ExitCode.CONNECTION_FAILED,
                    "the embedded PostgreSQL started but does not answer: " + Connections.oneLine(e.getMessage()), null,
                    "run again with --stacktrace; a --url target avoids the embedded server", e);
        }
    }

    /**
     * The major version of the bundled binaries (the pom's postgres.binaries.version, stamped
     * into embedded.properties at build time), or -1 when the build did not stamp it.
     */
    public static int bundledMajor() {
        return BUNDLED_MAJOR;
    }

    private static int readBundledMajor() {
        try (InputStream in = EmbeddedServer.class.getResourceAsStream("embedded.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return Integer.parseInt(p.getProperty("postgres.binaries", "").split("\\.")[0]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    public Target target() {
        return target;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The server's version, e.g. {@code 17.11}. */
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new MigException(ExitCode.CONNECTION_FAILED,
                    "cannot stop the embedded PostgreSQL: " + Connections.oneLine(e.getMessage()), null,
                    "a postgres process may be left running; it uses a temporary data directory", e);
        }
    }

    @Override
    public String toString() {
        return target.display();
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing; the first error is the one to report
        }
    }
}
