package dev.mig.target;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pieces of a connection as a URL, a key=value string or the environment gave them, before
 * defaults. {@link #build} completes them as libpq does: each parameter the text left out comes
 * from its {@code PG*} variable, then the built-in default (port 5432, database = user), then the
 * password from the password file; and assembles the {@link Target}.
 */
final class ConnectionParts {

    static final int DEFAULT_PORT = 5432;
    static final String APPLICATION_NAME = "mig";

    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** libpq parameter -> the variable libpq fills it from when the connection text leaves it out. */
    private static final Map<String, String> PARAMETER_VARIABLES = new LinkedHashMap<>();

    static {
        PARAMETER_VARIABLES.put("sslmode", "PGSSLMODE");
        PARAMETER_VARIABLES.put("application_name", "PGAPPNAME");
        PARAMETER_VARIABLES.put("connect_timeout", "PGCONNECT_TIMEOUT");
        PARAMETER_VARIABLES.put("options", "PGOPTIONS");
        PARAMETER_VARIABLES.put("sslrootcert", "PGSSLROOTCERT");
        PARAMETER_VARIABLES.put("sslcert", "PGSSLCERT");
        PARAMETER_VARIABLES.put("sslkey", "PGSSLKEY");
    }

    record HostPort(String host, int port) {
        /** A host starting with '/' is a Unix-domain socket directory, as in libpq. */
        boolean socket() {
            return host.startsWith("/");
        }

        String render() {
            // IPv6 literals need brackets in a URL
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    final boolean jdbc;
    /** Hosts as the text named them, in order; empty when it named none (then PGHOST applies). */
    final List<String> hosts = new ArrayList<>();
    /** Ports as the text named them ("" = default), one for all hosts or one per host; empty when none. */
    final List<String> ports = new ArrayList<>();
    String user;
    String password;
    String database;
    /** The password file a {@code passfile} parameter named; null for PGPASSFILE or the default. */
    String passfile;
    /** jdbc: the database exactly as written in the URL (pgjdbc decodes it itself). */
    String rawJdbcDatabase;
    /** jdbc: query parameters other than user/password, kept verbatim for pgjdbc. */
    final List<String> jdbcParams = new ArrayList<>();
    /** jdbc:tc: the URL to hand to DriverManager untouched. */
    String passThroughUrl;
    final Properties properties = new Properties();
    /** The libpq parameters the text set, so their PG* variables do not replace them. */
    private final Set<String> given = new HashSet<>();

    ConnectionParts(boolean jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes one libpq connection parameter (from a URL query, a key=value string or a PG*
     * variable). Unknown names are refused: silently dropping {@code sslmode=requre} would
     * connect without the TLS the user asked for.
     */
    void set(String name, String value, String source, String shownUrl) {
        switch (name) {
            case "user" -> user = value;
            case "password" -> password = value;
            case "dbname" -> database = value;
            case "passfile" -> passfile = value;
            case "host" -> {
                hosts.clear();
                hosts.addAll(List.of(value.split(",", -1)));
            }
            case "port" -> {
                ports.clear();
                for (String p : value.split(",", -1)) {
                    // check now, so the message points at the text that holds the bad port
                    ports.add(p.isBlank() ? "" : String.valueOf(UrlParser.port(p.trim(), shownUrl, source, "port")));
                }
            }
            default -> param(name, value, null, source, shownUrl);
        }
    }

    /** Maps one libpq parameter to its pgjdbc property; {@code shownAs} names a variable it came from. */
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
                    + name + "\" (mig understands host, port, dbname, user, password, passfile, sslmode,"
                    + " application_name, connect_timeout, options, sslrootcert, sslcert, sslkey, sslpassword)");
        }
        given.add(name);
    }

    /**
     * Completes the parts and makes the target. {@code shownUrl} is the (unredacted) text the
     * parts came from, for messages; null when they came from the environment alone.
     */
    Target build(String source, String shownUrl, Map<String, String> env, Path home) {
        if (passThroughUrl != null) {
            Properties props = new Properties();
            props.setProperty("ApplicationName", APPLICATION_NAME);
            return new Target(passThroughUrl, props, source, passThroughUrl, false, null, 0, null, null);
        }
        fillFromEnvironment(env, source, shownUrl);
        List<HostPort> endpoints = endpoints(env, source, shownUrl);
        String role = TargetResolver.isSet(user) ? user : defaultUser(env);
        // libpq: the database defaults to the user name
        String db = TargetResolver.isSet(database) ? database : role;
        HostPort first = endpoints.get(0);
        String secret = password;
        if (secret == null || secret.isEmpty()) {
            Path file = passfile != null ? Path.of(passfile) : PgPass.location(env, home);
            // libpq matches a socket directory as "localhost" in the password file
            String pgpassHost = first.socket() ? "localhost" : first.host();
            secret = PgPass.find(file, pgpassHost, first.port(), db, role).orElse(null);
        }

        Properties props = new Properties();
        props.setProperty("ApplicationName", APPLICATION_NAME);
        properties.stringPropertyNames().forEach(k -> props.setProperty(k, properties.getProperty(k)));
        props.setProperty("user", role);
        if (secret != null && !secret.isEmpty()) {
            props.setProperty("password", secret);
        }

        String dbInUrl = jdbc && TargetResolver.isSet(rawJdbcDatabase)
                ? rawJdbcDatabase
                : URLEncoder.encode(db, StandardCharsets.UTF_8);
        String query = jdbcParams.isEmpty() ? "" : "?" + String.join("&", jdbcParams);
        if (first.socket()) {
            UnixSocket.configure(props, first.host(), first.port());
            // the socket factory ignores the URL's host; pgjdbc still wants one
            String jdbcUrl = "jdbc:postgresql://localhost:" + first.port() + "/" + dbInUrl + query;
            String display = "postgresql://" + displayEscape(role) + "@:" + first.port() + "/" + db
                    + "?host=" + first.host();
            return new Target(jdbcUrl, props, source, display, false, first.host(), first.port(), db, role);
        }
        String hostList = endpoints.stream().map(HostPort::render).collect(Collectors.joining(","));
        String jdbcUrl = "jdbc:postgresql://" + hostList + "/" + dbInUrl + query;
        String display = "postgresql://" + displayEscape(role) + "@" + hostList + "/" + db;
        return new Target(jdbcUrl, props, source, display, false, first.host(), first.port(), db, role);
    }

    /**
     * libpq's order: what the text gave, else the PG* variable. pgjdbc ignores PG*, but a
     * jdbc:postgresql: URL without credentials taking PGUSER, PGPASSWORD and the password file
     * is what users expect, so those three apply to it too; its other settings stay pgjdbc's.
     */
    private void fillFromEnvironment(Map<String, String> env, String source, String shownUrl) {
        if (!TargetResolver.isSet(user)) {
            user = env.get("PGUSER");
        }
        if (password == null || password.isEmpty()) {
            password = env.get("PGPASSWORD");
        }
        if (jdbc) {
            return;
        }
        if (!TargetResolver.isSet(database)) {
            database = env.get("PGDATABASE");
        }
        if (hosts.stream().allMatch(String::isBlank)) {
            hosts.clear();
            if (TargetResolver.isSet(env.get("PGHOST"))) {
                hosts.addAll(List.of(env.get("PGHOST").split(",", -1)));
            }
        }
        if (ports.isEmpty() && TargetResolver.isSet(env.get("PGPORT"))) {
            for (String p : env.get("PGPORT").split(",", -1)) {
                ports.add(p.isBlank() ? "" : String.valueOf(UrlParser.port(p.trim(), shownUrl, source, "PGPORT")));
            }
        }
        PARAMETER_VARIABLES.forEach((name, variable) -> {
            if (!given.contains(name) && TargetResolver.isSet(env.get(variable))) {
                param(name, env.get(variable), variable, source, shownUrl);
            }
        });
    }

    /** Pairs hosts with ports as libpq does: one port for all hosts, or one per host. */
    private List<HostPort> endpoints(Map<String, String> env, String source, String shownUrl) {
        if (hosts.isEmpty()) {
            // libpq would try a default socket directory; guessing one would connect somewhere
            // the user never named (mig once read postgres:// as postgres@localhost silently)
            throw TargetResolver.planError(source, shownUrl, "it names no host; add one"
                    + (jdbc ? " (jdbc:postgresql://HOST/db)" : " (postgres://user@HOST/db or host=HOST) or set PGHOST"));
        }
        if (ports.size() > 1 && ports.size() != hosts.size()) {
            throw TargetResolver.planError(source, shownUrl, ports.size() + " ports for " + hosts.size()
                    + " hosts; give one port for all hosts or one per host");
        }
        List<HostPort> list = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).trim();
            if (host.isEmpty()) {
                throw TargetResolver.planError(source, shownUrl, "the host list has an empty entry");
            }
            String portText = ports.isEmpty() ? "" : ports.get(ports.size() == 1 ? 0 : i);
            list.add(new HostPort(host, portText.isEmpty() ? DEFAULT_PORT : Integer.parseInt(portText)));
        }
        if (list.size() > 1 && list.stream().anyMatch(HostPort::socket)) {
            throw TargetResolver.planError(source, shownUrl, "a Unix-domain socket directory cannot be one of several hosts;"
                    + " name the socket directory alone");
        }
        return list;
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
