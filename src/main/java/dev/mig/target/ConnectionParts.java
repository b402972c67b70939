package dev.mig.target;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pieces of a connection as the URL or the environment gave them, before defaults.
 * {@link #build} applies libpq's defaults (port 5432, database = user), looks up
 * {@code .pgpass} when no password was given, and assembles the {@link Target}.
 */
final class ConnectionParts {

    static final int DEFAULT_PORT = 5432;
    static final String APPLICATION_NAME = "mig";

    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    record HostPort(String host, int port) {
        String render() {
            // IPv6 literals need brackets in a URL
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    final boolean jdbc;
    final List<HostPort> hosts = new ArrayList<>();
    String user;
    String password;
    String database;
    /** jdbc: the database exactly as written in the URL (pgjdbc decodes it itself). */
    String rawJdbcDatabase;
    /** jdbc: query parameters other than user/password, kept verbatim for pgjdbc. */
    final List<String> jdbcParams = new ArrayList<>();
    /** jdbc:tc: the URL to hand to DriverManager untouched. */
    String passThroughUrl;
    final Properties properties = new Properties();

    ConnectionParts(boolean jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes one libpq connection parameter (from a URL query or a PG* variable) and maps it to
     * its pgjdbc property. Unknown names are refused: silently dropping {@code sslmode=requre}
     * would connect without the TLS the user asked for.
     */
    void param(String name, String value, String shownAs, String source, String shownUrl) {
        if (value == null) {
            return;
        }
        // a URL already shows the parameter by name; a variable needs naming
        String label = shownAs == null ? "" : shownAs + ": ";
        switch (name) {
            case "sslmode" -> {
                if (!SSL_MODES.contains(value)) {
                    throw TargetResolver.planError(source, shownUrl, label + "sslmode \"" + value
                            + "\" is not one of disable, allow, prefer, require, verify-ca, verify-full");
                }
                properties.setProperty("sslmode", value);
            }
            case "application_name" -> properties.setProperty("ApplicationName", value);
            case "connect_timeout" -> {
                if (!value.trim().matches("\\d{1,9}")) {
                    throw TargetResolver.planError(source, shownUrl, label + "connect_timeout \"" + value
                            + "\" is not a whole number of seconds");
                }
                properties.setProperty("connectTimeout", value.trim());
            }
            case "options" -> properties.setProperty("options", value);
            // same names in libpq and pgjdbc
            case "sslrootcert", "sslcert", "sslkey", "sslpassword" -> properties.setProperty(name, value);
            default -> throw TargetResolver.planError(source, shownUrl, label + "unknown connection parameter \""
                    + name + "\" (mig understands sslmode, application_name, connect_timeout, options,"
                    + " sslrootcert, sslcert, sslkey, user, password, dbname, host, port)");
        }
    }

    Target build(String source, Map<String, String> env, Path home) {
        if (passThroughUrl != null) {
            Properties props = new Properties();
            props.setProperty("ApplicationName", APPLICATION_NAME);
            return new Target(passThroughUrl, props, source, passThroughUrl, false, null, 0, null, null);
        }
        if (hosts.isEmpty()) {
            hosts.add(new HostPort("localhost", DEFAULT_PORT));
        }
        String role = TargetResolver.isSet(user) ? user : defaultUser(env);
        // libpq: the database defaults to the user name
        String db = TargetResolver.isSet(database) ? database : role;
        HostPort first = hosts.get(0);
        String secret = password;
        if (secret == null || secret.isEmpty()) {
            secret = PgPass.find(PgPass.location(env, home), first.host(), first.port(), db, role).orElse(null);
        }

        Properties props = new Properties();
        props.setProperty("ApplicationName", APPLICATION_NAME);
        properties.stringPropertyNames().forEach(k -> props.setProperty(k, properties.getProperty(k)));
        props.setProperty("user", role);
        if (secret != null && !secret.isEmpty()) {
            props.setProperty("password", secret);
        }

        String hostList = hosts.stream().map(HostPort::render).collect(Collectors.joining(","));
        String dbInUrl = jdbc && TargetResolver.isSet(rawJdbcDatabase)
                ? rawJdbcDatabase
                : URLEncoder.encode(db, StandardCharsets.UTF_8);
        String jdbcUrl = "jdbc:postgresql://" + hostList + "/" + dbInUrl
                + (jdbcParams.isEmpty() ? "" : "?" + String.join("&", jdbcParams));
        String display = "postgresql://" + displayEscape(role) + "@" + hostList + "/" + db;
        return new Target(jdbcUrl, props, source, display, false, first.host(), first.port(), db, role);
    }

    static String defaultUser(Map<String, String> env) {
        String os = env.get("USER");
        return TargetResolver.isSet(os) ? os : "postgres";
    }

    // keep a user name with ':' or '@' from reading like user:password@host
    private static String displayEscape(String s) {
        return s.replace("%", "%25").replace(":", "%3A").replace("@", "%40").replace("/", "%2F");
    }
}
