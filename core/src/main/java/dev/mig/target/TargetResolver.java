package dev.mig.target;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.text.Redactor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the target as docs/DSL.md section 9 orders it: {@code --url}, else {@code MIG_URL},
 * else {@code DATABASE_URL}, else the libpq {@code PG*} variables alone. Whichever names it, the
 * {@code PG*} variables and then the password file fill what it leaves out, as in libpq.
 * An empty result means "none given"; the {@code run} command then starts an embedded server.
 *
 * <p>Environment and home directory are parameters, not globals, so the order can be tested.
 */
public final class TargetResolver {

    static final String EXAMPLE =
            "use a URL like postgres://alice@db.example:5432/app?sslmode=require"
                    + ", jdbc:postgresql://db.example:5432/app?user=alice or host=db.example dbname=app user=alice";

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

    /**
     * Parses one URL or key=value string of any supported kind and completes it from the PG*
     * variables and the password file; {@code source} names where it came from, for messages.
     */
    public Target parse(String url, String source, Map<String, String> env, Path home) {
        Map<String, String> environment = env == null ? Map.of() : env;
        UrlParser parser = new UrlParser(url, source);
        return parser.parse().build(source, url, environment, home);
    }

    private Target fromPgEnvironment(Map<String, String> env, Path home) {
        ConnectionParts parts = new ConnectionParts(false);
        if (!isSet(env.get("PGHOST"))) {
            // the user configured the connection through PG* on purpose; the local server it is
            parts.hosts.add("localhost");
        }
        return parts.build("PG* environment", null, env, home);
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
