package dev.mig.target;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits one target URL into {@link ConnectionParts}. Four kinds:
 * <ul>
 *   <li>libpq {@code postgres://} / {@code postgresql://user:pass@host:port,host2/db?params},
 *       percent-decoded as libpq does (a {@code +} stays a plus);</li>
 *   <li>JDBC {@code jdbc:postgresql://host:port/db?params} and {@code jdbc:postgresql:db}, whose
 *       {@code user}/{@code password} parameters move into driver properties;</li>
 *   <li>Testcontainers {@code jdbc:tc:...}, passed through untouched;</li>
 *   <li>libpq keyword/value strings {@code host=db dbname=app}, read by {@link KeywordString}.</li>
 * </ul>
 * Written by hand rather than with {@link java.net.URI}: passwords hold characters URI rejects.
 */
final class UrlParser {

    private final String url;
    private final String source;

    UrlParser(String url, String source) {
        this.url = url;
        this.source = source;
    }

    ConnectionParts parse() {
        if (url == null || url.isBlank()) {
            throw TargetResolver.planError(source, null, "the URL is empty");
        }
        String text = url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:tc:")) {
            ConnectionParts parts = new ConnectionParts(true);
            parts.passThroughUrl = text;
            return parts;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return jdbc(text.substring("jdbc:postgresql:".length()));
        }
        if (lower.startsWith("jdbc:")) {
            int end = lower.indexOf(':', 5);
            String driver = end < 0 ? text.substring(5) : text.substring(5, end);
            throw fail("JDBC driver \"" + driver + "\" is not PostgreSQL; mig speaks PostgreSQL only");
        }
        if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
            return libpq(text.substring(text.indexOf("://") + 3));
        }
        if (KeywordString.looksLike(text)) {
            return KeywordString.parse(text, source);
        }
        int scheme = text.indexOf("://");
        if (scheme > 0) {
            throw fail("scheme \"" + text.substring(0, scheme) + "\" is not supported; use postgres:// or jdbc:postgresql://");
        }
        throw fail("not a URL; expected postgres://..., jdbc:postgresql://... or key=value pairs (host=... dbname=...)");
    }

    private ConnectionParts libpq(String rest) {
        ConnectionParts parts = new ConnectionParts(false);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        rest = takeUserInfo(rest, parts);
        int slash = rest.indexOf('/');
        hosts(slash < 0 ? rest : rest.substring(0, slash), parts);
        if (slash >= 0 && slash + 1 < rest.length()) {
            parts.database = decode(rest.substring(slash + 1), "database name");
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw fail("query parameter \"" + pair + "\" has no value (write name=value)");
            }
            String name = decode(pair.substring(0, eq), "parameter name");
            // libpq lets host= and port= in the query override the authority part
            parts.set(name, decode(pair.substring(eq + 1), "value of " + name), source, url);
        }
        return parts;
    }

    private ConnectionParts jdbc(String rest) {
        if (rest.isEmpty()) {
            throw fail("nothing after \"jdbc:postgresql:\"; name at least a database or //host/database");
        }
        ConnectionParts parts = new ConnectionParts(true);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path;
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
            // pgjdbc has no user:password@ syntax, but people write it; take it rather than fail
            rest = takeUserInfo(rest, parts);
            int slash = rest.indexOf('/');
            hosts(slash < 0 ? rest : rest.substring(0, slash), parts);
            path = slash < 0 ? "" : rest.substring(slash + 1);
        } else {
            // jdbc:postgresql:database and jdbc:postgresql:/ mean localhost:5432 (pgjdbc's rule)
            parts.hosts.add("localhost");
            path = rest.startsWith("/") ? rest.substring(1) : rest;
        }
        if (!path.isEmpty()) {
            parts.rawJdbcDatabase = path;
            parts.database = jdbcDecode(path, "database name");
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            // credentials leave the URL for the properties, so jdbcUrl can be printed
            if (name.equals("user")) {
                parts.user = jdbcDecode(value, "user name");
            } else if (name.equals("password")) {
                parts.password = jdbcDecode(value, "password");
            } else {
                parts.jdbcParams.add(pair);
            }
        }
        return parts;
    }

    /**
     * Splits the authority's host list into the parts' hosts and ports. An empty host list is
     * left empty, and ports only when some host names one, so PGHOST and PGPORT can fill them.
     */
    private void hosts(String spec, ConnectionParts parts) {
        if (spec.isEmpty()) {
            return;
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String piece : spec.split(",", -1)) {
            String host;
            String portText = "";
            if (piece.startsWith("[")) {
                int close = piece.indexOf(']');
                if (close < 0) {
                    throw fail("host \"" + piece + "\" opens '[' but never closes it");
                }
                host = piece.substring(1, close);
                String after = piece.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw fail("unexpected \"" + after + "\" after host [" + host + "]");
                    }
                    portText = after.substring(1);
                }
            } else {
                int colon = piece.indexOf(':');
                host = colon < 0 ? piece : piece.substring(0, colon);
                portText = colon < 0 ? "" : piece.substring(colon + 1);
            }
            hosts.add(decode(host, "host name"));
            ports.add(portText.isEmpty() ? "" : String.valueOf(port(portText, url, source, "port")));
        }
        if (!hosts.stream().allMatch(String::isEmpty)) {
            parts.hosts.addAll(hosts);
        }
        if (!ports.stream().allMatch(String::isEmpty)) {
            parts.ports.addAll(ports);
        }
    }

    /** A TCP port 1..65535, or a PLAN_ERROR that names the bad text and where it came from. */
    static int port(String text, String shownUrl, String source, String what) {
        if (text.matches("\\d{1,5}")) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw TargetResolver.planError(source, shownUrl,
                what + " \"" + text + "\" is not a number between 1 and 65535");
    }

    // libpq percent-decoding: %XX as UTF-8 bytes, '+' stays '+'
    private String decode(String s, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    // never echo the text: it may be the password
                    throw fail("bad percent-escape in the " + what + " (use %XX with two hex digits)");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                // copy the run up to the next '%' whole, so surrogate pairs stay intact
                int next = s.indexOf('%', i);
                int end = next < 0 ? s.length() : next;
                byte[] bytes = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i = end - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // pgjdbc decodes with URLDecoder ('+' is a space); match it so pgpass sees the same names
    private String jdbcDecode(String s, String what) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw fail("bad percent-escape in the " + what + " (use %XX with two hex digits)");
        }
    }

    private RuntimeException fail(String problem) {
        return TargetResolver.planError(source, url, problem);
    }

    /**
     * Takes {@code user:password@} off the front of {@code rest} into {@code parts} and returns the
     * remainder. The last '@' ends the credentials, so a password with an unencoded '@' still works.
     */
    private String takeUserInfo(String rest, ConnectionParts parts) {
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            return rest;
        }
        String userinfo = rest.substring(0, at);
        int colon = userinfo.indexOf(':');
        parts.user = decode(colon < 0 ? userinfo : userinfo.substring(0, colon), "user name");
        if (colon >= 0) {
            parts.password = decode(userinfo.substring(colon + 1), "password");
        }
        return rest.substring(at + 1);
    }
}
