package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import dev.mig.text.Redactor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a fleet's tenants come from: URLs, a tenant file, a registry query. Every URL is resolved
 * (as {@code --url} is) before anything runs, so a bad line is exit 2 with nothing started.
 */
public final class Tenants {

    /** Resolves one tenant's URL as {@code --url} would; {@code source} names where it was written. */
    @FunctionalInterface
    public interface Resolver {
        Target resolve(String url, String source);
    }

    private Tenants() {
    }

    /** One tenant per URL, each named by its database. */
    public static List<Tenant> fromUrls(List<String> urls, String source, Resolver resolver) {
        List<Tenant> tenants = new ArrayList<>();
        for (String url : urls) {
            tenants.add(tenant(null, resolver.resolve(url, source), null));
        }
        return tenants;
    }

    /**
     * A tenant file: per line {@code URL}, {@code ID URL} or {@code ID URL WAVE}, separated by blanks;
     * empty lines and lines starting with {@code #} are skipped. URLs are written without blanks.
     */
    public static List<Tenant> fromFile(Path file, Resolver resolver) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "tenant file " + file + " cannot be read"
                    + (Files.exists(file) ? ": " + e.getMessage() : " (it does not exist)"),
                    "write one tenant per line: URL, or ID URL, or ID URL WAVE");
        }
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String at = file + ":" + (i + 1);
            if (words.length > 3) {
                throw new MigException(ExitCode.PLAN_ERROR, at + ": " + words.length + " words where a tenant line has at most 3: "
                        + Redactor.redact(line), "write URL, or ID URL, or ID URL WAVE; a URL is written without blanks"
                        + " (postgres://user@host:5432/db, not host=... dbname=...)");
            }
            String url = words.length == 1 ? words[0] : words[1];
            Target target = resolver.resolve(url, at);
            tenants.add(tenant(words.length == 1 ? null : words[0], target, words.length == 3 ? words[2] : null));
        }
        return tenants;
    }

    /**
     * A registry query: one row per tenant, with a column {@code url} or {@code schema} (or both) and
     * optional columns {@code id} and {@code wave} (found by name, in any order; other columns are
     * ignored). A row with a schema is a schema tenant, of its url's database or else of the
     * registry's. Rows come in the query's order.
     */
    public static List<Tenant> fromQuery(Target registry, String sql, Resolver resolver) {
        String source = "the registry " + registry.display();
        List<Tenant> tenants = new ArrayList<>();
        try (Connection connection = Connections.open(registry); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            Map<String, Integer> columns = new HashMap<>();
            ResultSetMetaData meta = rows.getMetaData();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                columns.putIfAbsent(meta.getColumnLabel(c).toLowerCase(Locale.ROOT), c);
            }
            Integer url = columns.get("url");
            Integer schema = columns.get("schema");
            if (url == null && schema == null) {
                throw new MigException(ExitCode.PLAN_ERROR, "the registry query of " + registry.display()
                        + " returns no column url or schema: " + String.join(", ", columns.keySet()),
                        "select url (and id, wave): select id, url, wave from tenants; or schema for a schema per tenant");
            }
            Integer id = columns.get("id");
            Integer wave = columns.get("wave");
            int row = 0;
            while (rows.next()) {
                row++;
                String text = url == null ? null : rows.getString(url);
                String schemaName = schema == null ? null : rows.getString(schema);
                if ((text == null || text.isBlank()) && (schemaName == null || schemaName.isBlank())) {
                    throw new MigException(ExitCode.PLAN_ERROR, source + ": row " + row + " of the registry query has no "
                            + (schema == null ? "url" : url == null ? "schema" : "url and no schema"),
                            "give every tenant a " + (schema == null ? "url" : "schema") + ", or leave it out with a where clause");
                }
                Target target = text == null || text.isBlank() ? registry : resolver.resolve(text, source + ", row " + row);
                tenants.add(tenant(id == null ? null : rows.getString(id), target, wave == null ? null : rows.getString(wave),
                        schemaName == null || schemaName.isBlank() ? null : schemaName));
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "the registry query failed on " + registry.display() + ": "
                    + Redactor.redact(String.valueOf(e.getMessage())), "check the query's sql: it should return url (and id, wave)");
        }
        return tenants;
    }

    /**
     * The schemas of {@code database} whose names match one of {@code globs} ({@code *} any text,
     * {@code ?} one character, the rest as written), in name order: one tenant each, its id the
     * schema. PostgreSQL's own schemas ({@code pg_*}, {@code information_schema}) never match.
     */
    public static List<Tenant> fromSchemas(Target database, List<String> globs, String source) {
        List<Tenant> tenants = new ArrayList<>();
        try (Connection connection = Connections.open(database);
             java.sql.PreparedStatement ps = connection.prepareStatement("SELECT nspname FROM pg_namespace"
                     + " WHERE nspname LIKE ANY (?) AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
                     + " ORDER BY nspname COLLATE \"C\"")) {
            ps.setArray(1, connection.createArrayOf("text", globs.stream().map(Tenants::like).toArray()));
            try (ResultSet rows = ps.executeQuery()) {
                while (rows.next()) {
                    tenants.add(new Tenant(rows.getString(1), database, null, rows.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.PLAN_ERROR, "the schemas of " + source + " cannot be read on " + database.display() + ": "
                    + Redactor.redact(String.valueOf(e.getMessage())), "check the url and that the role may connect");
        }
        if (tenants.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "no schema of " + database.display() + " matches " + String.join(", ", globs)
                    + " (" + source + ")", "list the schemas with \\dn in psql; a pattern is a glob: tenant_* matches tenant_acme");
        }
        return tenants;
    }

    /** A glob as a LIKE pattern: {@code *} is {@code %}, {@code ?} is {@code _}, LIKE's own wildcards are escaped. */
    static String like(String glob) {
        StringBuilder out = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> out.append('%');
                case '?' -> out.append('_');
                case '%', '_', '\\' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Refuses two tenants with the same id: shards, reports and resumes tell tenants apart by id. */
    public static List<Tenant> checked(List<Tenant> tenants) {
        Map<String, Tenant> seen = new HashMap<>();
        for (Tenant tenant : tenants) {
            Tenant earlier = seen.putIfAbsent(tenant.id(), tenant);
            if (earlier != null) {
                throw new MigException(ExitCode.PLAN_ERROR, "two tenants have the id '" + tenant.id() + "': "
                        + earlier.target().display() + " and " + tenant.target().display(),
                        "give each tenant its own id (ID URL in a tenant file, an id column in a registry query)");
            }
        }
        if (tenants.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "the fleet has no tenant", "list tenants in the fleet or the --fleet-file");
        }
        return tenants;
    }

    private static Tenant tenant(String id, Target target, String wave) {
        return tenant(id, target, wave, null);
    }

    /** Its id is the one given, else its schema, else its database, else its target. */
    private static Tenant tenant(String id, Target target, String wave, String schema) {
        String name = id == null || id.isBlank() ? (schema != null ? schema : target.database()) : id.strip();
        if (name == null || name.isBlank()) {
            name = target.display();
        }
        return new Tenant(name, target, wave == null || wave.isBlank() ? null : wave.strip(), schema);
    }
}
