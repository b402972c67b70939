package dev.mig.target;

import dev.mig.text.Redactor;

import java.util.Objects;
import java.util.Properties;

/**
 * Where mig connects: a JDBC URL without credentials, the driver properties that carry them,
 * and a redacted description for messages. Immutable; {@link #connectionProperties()} hands
 * out a copy so no caller can change the target under another's feet.
 *
 * <p>The one exception to "no password in jdbcUrl" is a Testcontainers {@code jdbc:tc:} URL,
 * which goes to DriverManager untouched; its {@link #display()} is still redacted.
 */
public final class Target {

    private final String jdbcUrl;
    private final Properties properties;
    private final String source;
    private final String display;
    private final boolean embedded;
    private final String host;
    private final int port;
    private final String database;
    private final String user;

    Target(String jdbcUrl, Properties properties, String source, String display, boolean embedded,
           String host, int port, String database, String user) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.properties = copy(properties);
        this.source = Objects.requireNonNull(source, "source");
        // display is built from parsed parts, but run it through the redactor anyway: it is
        // the string most likely to be printed
        this.display = Redactor.redact(Objects.requireNonNull(display, "display"));
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
    }

    /**
     * The throwaway server the embedded package started on {@code host:port}: user postgres,
     * database postgres. Built here so the embedded package needs none of the target's internals.
     */
    public static Target embedded(String host, int port, String serverVersion) {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("ApplicationName", ConnectionParts.APPLICATION_NAME);
        return new Target("jdbc:postgresql://" + host + ":" + port + "/postgres", props, "embedded",
                "embedded PostgreSQL " + serverVersion + " on " + host + ":" + port + " (throwaway)",
                true, host, port, "postgres", "postgres");
    }

    /**
     * The same server, role and settings with database {@code name} (a throwaway database {@code mig import --check}
     * made there). Only for a URL mig built itself ({@code jdbc:postgresql://HOSTS/DB}); a jdbc:tc: URL is refused.
     */
    public Target onDatabase(String name) {
        String prefix = "jdbc:postgresql://";
        int slash = jdbcUrl.startsWith(prefix) ? jdbcUrl.indexOf('/', prefix.length()) : -1;
        if (slash < 0 || host == null || database == null) {
            throw new IllegalArgumentException("not a jdbc:postgresql://HOST/DB target: " + display);
        }
        int query = jdbcUrl.indexOf('?', slash);
        String url = jdbcUrl.substring(0, slash + 1) + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
                + (query < 0 ? "" : jdbcUrl.substring(query));
        int at = display.lastIndexOf("/" + database);
        String shown = at < 0 ? display + " (database " + name + ")"
                : display.substring(0, at + 1) + name + display.substring(at + 1 + database.length());
        return new Target(url, properties, source, shown, embedded, host, port, name, user);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** user, password, ApplicationName and the other driver settings; a fresh copy each call. */
    public Properties connectionProperties() {
        return copy(properties);
    }

    /** Where the target came from: {@code --url}, {@code MIG_URL}, {@code DATABASE_URL}, {@code PG* environment}, {@code embedded}. */
    public String source() {
        return source;
    }

    /** A description safe to print, e.g. {@code postgresql://alice@db.example:5432/app}. */
    public String display() {
        return display;
    }

    public boolean embedded() {
        return embedded;
    }

    /** The (first) host name; null when unknown, as for Testcontainers URLs. */
    public String host() {
        return host;
    }

    /** The (first) port; 0 when unknown. */
    public int port() {
        return port;
    }

    /** The database name; null when unknown. */
    public String database() {
        return database;
    }

    /**
     * Whether the database is on this machine: the embedded server, localhost, a loopback
     * address, or a unix socket directory. A jdbc:tc: target (host unknown) is not.
     */
    public boolean local() {
        if (embedded) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.startsWith("127.") || h.startsWith("/");
    }

    /** The role name; null when unknown. */
    public String user() {
        return user;
    }

    @Override
    public String toString() {
        return display;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Target other)) {
            return false;
        }
        return embedded == other.embedded && port == other.port
                && jdbcUrl.equals(other.jdbcUrl) && properties.equals(other.properties)
                && source.equals(other.source) && display.equals(other.display)
                && Objects.equals(host, other.host) && Objects.equals(database, other.database)
                && Objects.equals(user, other.user);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jdbcUrl, source, display, embedded, host, port, database, user);
    }

    private static Properties copy(Properties from) {
        Properties to = new Properties();
        if (from != null) {
            from.stringPropertyNames().forEach(k -> to.setProperty(k, from.getProperty(k)));
        }
        return to;
    }
}
