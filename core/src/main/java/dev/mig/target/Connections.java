package dev.mig.target;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.text.Redactor;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import javax.net.ssl.SSLException;

/**
 * Opens JDBC connections to a {@link Target} and turns the driver's many ways of failing into
 * one {@link MigException} line with a hint. The original exception stays as the cause, for
 * {@code --stacktrace}.
 */
public final class Connections {

    /** Seconds; pgjdbc's default is 10 as well, but say it here so a hung network fails predictably. */
    static final String DEFAULT_CONNECT_TIMEOUT = "10";

    private Connections() {
    }

    private static final String POSTGRESQL = "jdbc:postgresql:";
    private static final java.sql.Driver POSTGRES_DRIVER = new org.postgresql.Driver();

    public static Connection open(Target target) {
        Properties props = target.connectionProperties();
        props.putIfAbsent("connectTimeout", DEFAULT_CONNECT_TIMEOUT);
        props.putIfAbsent("ApplicationName", ConnectionParts.APPLICATION_NAME);
        try {
            String url = target.jdbcUrl();
            if (url.startsWith(POSTGRESQL)) {
                // the driver itself: DriverManager would first load every JDBC driver on the class
                // path (Testcontainers' and its logging among them) to ask which one takes the URL
                Connection connection = POSTGRES_DRIVER.connect(url, props);
                if (connection != null) {
                    return connection;
                }
            }
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw translate(target, props, e);
        } catch (RuntimeException e) {
            // Testcontainers reports a missing Docker and the like as runtime exceptions
            throw failure(target, "could not start or reach the database (" + oneLine(e.getMessage()) + ")",
                    "for jdbc:tc: URLs check that Docker is running; otherwise check the URL", e);
        }
    }

    static MigException translate(Target target, Properties props, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String text = allMessages(e).toLowerCase(Locale.ROOT);
        String where = hostPort(target);
        String user = props.getProperty("user", "?");

        if (text.contains("no pg_hba.conf entry")) {
            boolean noTls = text.contains("no encryption");
            return failure(target, "the server has no pg_hba.conf entry for this client, user \"" + user + "\""
                            + (noTls ? " without TLS" : ""),
                    noTls ? "the server probably requires TLS: add sslmode=require (or verify-full) to the URL;"
                            + " otherwise ask for a pg_hba.conf entry for this host, user and database"
                            : "ask the server's administrator for a pg_hba.conf entry for this host, user and database,"
                            + " or try a different sslmode", e);
        }
        if (state.equals("28000") && text.contains("role \"") && text.contains("does not exist")) {
            return failure(target, "role \"" + user + "\" does not exist on the server",
                    "check the user name in the URL, PGUSER or USER (a libpq URL without a user uses USER),"
                            + " or create the role (CREATE ROLE ... LOGIN)", e);
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return failure(target, "authentication failed for user \"" + user + "\"",
                    "check the password (in the URL, PGPASSWORD or ~/.pgpass) and that the role exists and has LOGIN", e);
        }
        if (text.contains("password") && text.contains("no password was provided")) {
            return failure(target, "authentication failed: the server asks user \"" + user + "\" for a password and none was given",
                    "put the password in the URL, PGPASSWORD or ~/.pgpass (PGPASSFILE)", e);
        }
        if (state.equals("3D000")) {
            return failure(target, "database \"" + target.database() + "\" does not exist",
                    "create it (createdb " + target.database() + ") or name an existing database in the URL", e);
        }
        if (state.equals("42501") && text.contains("connect privilege")) {
            return failure(target, "user \"" + user + "\" may not connect to database \"" + target.database()
                            + "\" (no CONNECT privilege)",
                    "have the database's owner GRANT CONNECT ON DATABASE " + target.database() + " TO " + user
                            + ", or check that the URL names the right database", e);
        }
        if (state.equals("55000") && text.contains("not currently accepting connections")) {
            return failure(target, "database \"" + target.database() + "\" does not accept connections",
                    "its datallowconn is false (a template, or closed by an administrator): name another database,"
                            + " or ALTER DATABASE ... ALLOW_CONNECTIONS true", e);
        }
        if (text.contains("does not support ssl")) {
            return failure(target, "TLS was required (sslmode=" + props.getProperty("sslmode", "require")
                            + ") but the server does not support it",
                    "use sslmode=prefer or sslmode=disable for this server, or turn on ssl in its postgresql.conf", e);
        }
        if (find(e, UnknownHostException.class) != null) {
            return failure(target, "unknown host \"" + target.host() + "\"",
                    "check the host name in the URL or PGHOST, and DNS", e);
        }
        if (socket(target) && (find(e, SocketException.class) != null || state.equals("08001"))) {
            String file = UnixSocket.file(target.host(), target.port());
            return failure(target, "no server answers on the Unix-domain socket " + file,
                    "is the server running, with " + target.host() + " in its unix_socket_directories and port "
                            + target.port() + "? (psql -h " + target.host() + " -p " + target.port() + " tries the same)", e);
        }
        if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
            return failure(target, "connection refused",
                    "is the server running on " + where + " and accepting TCP connections (listen_addresses)?", e);
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return failure(target, "no answer within " + props.getProperty("connectTimeout") + " s",
                    "check that " + where + " is reachable (firewall, VPN); raise connect_timeout in the URL if the network is slow", e);
        }
        if (find(e, SSLException.class) != null) {
            return failure(target, "the TLS handshake failed",
                    "check sslmode, sslrootcert and that the server certificate matches the host (verify-full)", e);
        }
        if (state.equals("53300")) {
            return failure(target, "the server has no connection slots left",
                    "close idle sessions or raise max_connections", e);
        }
        if (state.equals("57P03")) {
            return failure(target, "the server is starting up or shutting down",
                    "wait a moment and try again", e);
        }
        if (text.contains("no suitable driver")) {
            return failure(target, "no JDBC driver accepts this URL",
                    "jdbc:tc: URLs need Testcontainers on the class path; otherwise use postgres:// or jdbc:postgresql://", e);
        }
        return failure(target, oneLine(e.getMessage()) + (state.isEmpty() ? "" : " (SQLState " + state + ")"),
                "check the URL and that the server at " + where + " is reachable", e);
    }

    private static MigException failure(Target target, String problem, String hint, Throwable cause) {
        // display() is redacted already; redacting it twice could eat the ": " after a password=***
        String message = "cannot connect to " + target.display().replaceAll("\\R", " ") + ": " + oneLine(problem);
        return new MigException(ExitCode.CONNECTION_FAILED, message, null, oneLine(hint), cause);
    }

    private static boolean socket(Target target) {
        return target.host() != null && target.host().startsWith("/");
    }

    private static String hostPort(Target target) {
        if (socket(target)) {
            return "socket " + UnixSocket.file(target.host(), target.port());
        }
        return target.host() == null ? "the database host" : "host " + target.host() + " port " + target.port();
    }

    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    private static String allMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null) {
                sb.append(c.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    /** A driver or server message on one line, redacted: public for the embedded server's messages. */
    public static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        return Redactor.redact(text).replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
