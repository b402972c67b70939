package dev.mig.run;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.ExtensionInfo;
import dev.mig.catalog.Identifiers;
import dev.mig.catalog.QualifiedName;
import dev.mig.catalog.TypeInfo;
import dev.mig.model.Action;
import dev.mig.result.StepFailure;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ensureEnum}, {@code ensureSchema} and {@code ensureExtension} (docs/DSL.md section 3,
 * "Declarative small objects"): each reads the catalog, then creates the object or completes it
 * with the statements it lacks, in the step's transaction; what cannot be reached by adding
 * (an enum label to remove or reorder, an extension the server does not have) fails the step
 * with what is there and what to do. Each returns what it did, as lines for the step's output.
 */
final class EnsureExecutor {

    private final Connection connection;
    private final Catalog catalog;

    EnsureExecutor(Connection connection, Catalog catalog) {
        this.connection = connection;
        this.catalog = catalog;
    }

    List<String> run(Action.Ensure action) throws StepFailedException {
        try {
            return switch (action.word()) {
                case "ensureEnum" -> ensureEnum(action);
                case "ensureSchema" -> ensureSchema(action);
                case "ensureExtension" -> ensureExtension(action);
                default -> throw new IllegalStateException("unknown ensure word " + action.word());
            };
        } catch (SQLException e) {
            String hint = "25001".equals(e.getSQLState())
                    ? "this server adds enum labels only outside a transaction (before PostgreSQL 12): put the ensureEnum in a step with transaction false"
                    : null;
            var server = e instanceof PSQLException pe ? pe.getServerErrorMessage() : null;
            String message = action.word() + " " + action.name() + ": "
                    + (server != null && server.getMessage() != null ? server.getMessage() : e.getMessage());
            throw new StepFailedException(new StepFailure(message, action.location(), null, null, e.getSQLState(),
                    server == null ? null : server.getDetail(), hint != null ? hint : server == null ? null : server.getHint(), e));
        }
    }

    private List<String> ensureEnum(Action.Ensure action) throws SQLException, StepFailedException {
        String name = action.name();
        List<String> wanted = action.values();
        TypeInfo type = catalog.type(name);
        String sqlName = sqlName(name);
        if (type == null) {
            execute("CREATE TYPE " + sqlName + " AS ENUM (" + String.join(", ", wanted.stream().map(StepSettings::literal).toList()) + ")");
            return List.of("ensureEnum " + name + ": created with " + wanted.size() + " label" + (wanted.size() == 1 ? "" : "s"));
        }
        List<String> existing = catalog.enumLabels(name);
        if (existing == null) {
            throw fail(action, "type " + type.schema() + "." + type.name() + " exists and is not an enum (its kind is '" + type.kind() + "')",
                    "name another type, or change the existing one by hand");
        }
        List<String> extra = existing.stream().filter(label -> !wanted.contains(label)).toList();
        if (!extra.isEmpty()) {
            throw fail(action, "enum " + type.schema() + "." + type.name() + " has label" + (extra.size() == 1 ? " " : "s ")
                            + quoted(extra) + " that the plan does not list (it has " + quoted(existing) + ")",
                    "PostgreSQL cannot remove an enum label: list " + (extra.size() == 1 ? "it" : "them") + " in ensureEnum where "
                            + (extra.size() == 1 ? "it belongs" : "they belong") + ", or move the columns to a new type in steps of their own");
        }
        List<String> kept = wanted.stream().filter(existing::contains).toList();
        if (!kept.equals(existing)) {
            throw fail(action, "enum " + type.schema() + "." + type.name() + " has its labels in another order: " + quoted(existing)
                            + ", the plan lists " + quoted(kept) + " among them",
                    "PostgreSQL cannot reorder enum labels: list them in ensureEnum in the order the type has them");
        }
        String target = Identifiers.qualified(type.schema(), type.name());
        List<String> done = new ArrayList<>();
        List<String> now = new ArrayList<>(existing);
        for (int i = 0; i < wanted.size(); i++) {
            String label = wanted.get(i);
            if (now.contains(label)) {
                continue;
            }
            // after the label the plan lists before it, or before the first label of the type when it is the plan's first
            String anchor = i == 0 ? now.get(0) : wanted.get(i - 1);
            String where = i == 0 ? "BEFORE" : "AFTER";
            execute("ALTER TYPE " + target + " ADD VALUE " + StepSettings.literal(label) + " " + where + " " + StepSettings.literal(anchor));
            now.add(i, label);
            done.add("'" + label + "' " + where.toLowerCase(java.util.Locale.ROOT) + " '" + anchor + "'");
        }
        return done.isEmpty() ? List.of("ensureEnum " + name + ": has its labels already")
                : List.of("ensureEnum " + name + ": added " + String.join(", ", done));
    }

    private List<String> ensureSchema(Action.Ensure action) throws SQLException {
        String owner = (String) action.options().get("owner");
        if (catalog.schema(action.name())) {
            return List.of("ensureSchema " + action.name() + ": exists already");
        }
        execute("CREATE SCHEMA " + Identifiers.quote(QualifiedName.parseIdentifier(action.name()))
                + (owner == null ? "" : " AUTHORIZATION " + Identifiers.quote(QualifiedName.parseIdentifier(owner))));
        return List.of("ensureSchema " + action.name() + ": created" + (owner == null ? "" : ", owned by " + owner));
    }

    private List<String> ensureExtension(Action.Ensure action) throws SQLException, StepFailedException {
        String name = QualifiedName.parseIdentifier(action.name());
        String schema = (String) action.options().get("schema");
        String version = (String) action.options().get("version");
        ExtensionInfo installed = catalog.extension(name);
        List<String> available = catalog.availableVersions(name);
        if (installed == null) {
            if (available.isEmpty()) {
                throw fail(action, "extension " + name + " is not available on this server (pg_available_extensions has no " + name + ")",
                        "install its package on the database server (for pgvector on Debian: postgresql-NN-pgvector), or guard the step"
                                + " with guard { extension('" + name + "').available }");
            }
            if (version != null && !available.contains(version)) {
                throw fail(action, "extension " + name + " has no version " + version + " on this server (it has " + String.join(", ", available) + ")",
                        "ask for one of those, or install that version's package on the server");
            }
            execute("CREATE EXTENSION " + Identifiers.quote(name)
                    + (schema == null ? "" : " SCHEMA " + Identifiers.quote(QualifiedName.parseIdentifier(schema)))
                    + (version == null ? "" : " VERSION " + StepSettings.literal(version)));
            return List.of("ensureExtension " + name + ": created, version "
                    + catalog.extension(name).version() + (schema == null ? "" : ", in schema " + schema));
        }
        if (schema != null && !QualifiedName.parseIdentifier(schema).equals(installed.schema())) {
            throw fail(action, "extension " + name + " is installed in schema " + installed.schema() + ", the plan wants it in " + schema,
                    "mig does not move an installed extension: ALTER EXTENSION " + name + " SET SCHEMA " + schema
                            + " does, if the extension is relocatable and nothing depends on where it is; or change the plan");
        }
        if (version != null && !version.equals(installed.version())) {
            if (!available.contains(version)) {
                throw fail(action, "extension " + name + " is at version " + installed.version() + " and this server has no " + version
                        + " (it has " + String.join(", ", available) + ")", "install that version's package on the server, or ask for one it has");
            }
            execute("ALTER EXTENSION " + Identifiers.quote(name) + " UPDATE TO " + StepSettings.literal(version));
            return List.of("ensureExtension " + name + ": updated from " + installed.version() + " to " + version);
        }
        return List.of("ensureExtension " + name + ": installed already, version " + installed.version());
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
        catalog.refresh();
    }

    private static StepFailedException fail(Action.Ensure action, String what, String hint) {
        return new StepFailedException(new StepFailure(action.word() + " " + action.name() + ": " + what, action.location(),
                null, null, null, null, hint, null));
    }

    /** {@code kb.status} as SQL text, each part quoted; an unqualified name is created where the session's search_path says. */
    private static String sqlName(String name) {
        QualifiedName q = QualifiedName.parse(name);
        return Identifiers.qualified(q.schema(), q.name());
    }

    private static String quoted(List<String> labels) {
        return "[" + String.join(", ", labels.stream().map(l -> "'" + l + "'").toList()) + "]";
    }
}
