package dev.mig.target;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the target as docs/DSL.md section 9 orders it: {@code --url}, else {@code MIG_URL},
 * else {@code DATABASE_URL}, else the libpq {@code PG*} variables with {@code ~/.pgpass}.
 * An empty result means "none given"; the {@code run} command then starts an embedded server.
 *
 * <p>Environment and home directory are parameters, not globals, so the order can be tested.
 */
public final class TargetResolver {

    static final String EXAMPLE =
            "use a URL like postgres://alice@db.example:5432/app?sslmode=require"
                    + " or jdbc:postgresql://db.example:5432/app?user=alice";

    // the PG* variables that, when any is set, say "connect where libpq would"
    private static final List<String> PG_VARIABLES =
            List.of("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD");

    public Optional<Target> resolve(String urlOption, Map<String, String> env, Path home) {
        Map<String, String> environment = env == null ? Map.of() : env;
        if (urlOption != null) {
            // an explicit but empty --url is a mistake, not a request for the embedded server
            return Optional.of(parse(urlOption, "--url", environment, home));
        }
        for (String name : List.of("MIG_URL", "DATABASE_URL")) {
            String value = environment.get(name);
            // libpq treats an empty variable as unset; so do we
            if (value != null && !value.isBlank()) {
                return Optional.of(parse(value, name, environment, home));
            }
        }
        if (PG_VARIABLES.stream().anyMatch(v -> isSet(environment.get(v)))) {
            return Optional.of(fromPgEnvironment(environment, home));
        }
        return Optional.empty();
    }

    /** Parses one URL of any supported kind; {@code source} names where it came from, for messages. */
    public Target parse(String url, String source, Map<String, String> env, Path home) {
        Map<String, String> environment = env == null ? Map.of() : env;
        UrlParser parser = new UrlParser(url, source);
        return parser.parse().build(source, environment, home);
    }

    private Target fromPgEnvironment(Map<String, String> env, Path home) {
        String source = "PG* environment";
        ConnectionParts parts = new ConnectionParts(false);
        String hostList = isSet(env.get("PGHOST")) ? env.get("PGHOST") : "localhost";
        int port = ConnectionParts.DEFAULT_PORT;
        if (isSet(env.get("PGPORT"))) {
            port = UrlParser.port(env.get("PGPORT").trim(), null, source, "PGPORT");
        }
        for (String h : hostList.split(",")) {
            // a PGHOST starting with '/' is a unix socket directory; pgjdbc speaks TCP only,
            // and libpq matches such a socket as "localhost" in .pgpass, so use that
            String host = h.isBlank() || h.startsWith("/") ? "localhost" : h.trim();
            parts.hosts.add(new ConnectionParts.HostPort(host, port));
        }
        parts.user = env.get("PGUSER");
        parts.database = env.get("PGDATABASE");
        parts.password = env.get("PGPASSWORD");
        // libpq honours these too; taking them keeps "works with psql" meaning "works with mig"
        parts.param("sslmode", env.get("PGSSLMODE"), "PGSSLMODE", source, null);
        parts.param("application_name", env.get("PGAPPNAME"), "PGAPPNAME", source, null);
        parts.param("connect_timeout", env.get("PGCONNECT_TIMEOUT"), "PGCONNECT_TIMEOUT", source, null);
        parts.param("options", env.get("PGOPTIONS"), "PGOPTIONS", source, null);
        return parts.build(source, env, home);
    }

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    static MigException planError(String source, String url, String problem) {
        String message = url == null
                ? "bad target settings (from " + source + "): " + Redactor.redact(problem)
                : "bad target URL (from " + source + ") " + Redactor.redact(url) + ": " + Redactor.redact(problem);
        // one line, whatever odd characters the user pasted
        return new MigException(ExitCode.PLAN_ERROR, message.replaceAll("\\R", " "), EXAMPLE);
    }
}
