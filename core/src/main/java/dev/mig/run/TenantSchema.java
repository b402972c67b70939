package dev.mig.run;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.Identifiers;
import dev.mig.model.Plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A run for one tenant of a schema-per-tenant fleet works in the tenant's schema: the schema
 * comes first on the plan's {@code searchPath} (guards, cleanup and verify look there first) and
 * on the session's {@code search_path} (unqualified SQL creates there), and is created when the
 * tenant has none yet, as a new tenant of a registry has not.
 */
public final class TenantSchema {

    private TenantSchema() {
    }

    /** The plan with the tenant's schema before the schemas of its own {@code searchPath}; a null schema leaves it as it is. */
    public static Plan onPath(Plan plan, String schema) {
        return schema == null ? plan : plan.withSearchPath(String.join(", ", quoted(path(plan, schema))));
    }

    /** Sets the session's search_path to the plan's (already {@link #onPath}), for commands that read or undo. */
    public static void setPath(Connection connection, Plan plan) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            ps.setString(1, String.join(", ", quoted(Catalog.parseSearchPath(plan.settings().searchPath()))));
            ps.executeQuery().close();
        }
    }

    /**
     * Sets the session's search_path to the plan's (already {@link #onPath}), creates the schema if
     * it is missing, and commits; true when it was created.
     */
    static boolean enter(Connection connection, Plan plan, String schema) throws SQLException {
        String path = String.join(", ", quoted(Catalog.parseSearchPath(plan.settings().searchPath())));
        boolean exists;
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT set_config('search_path', ?, false), to_regnamespace(?) IS NOT NULL")) {
            ps.setString(1, path);
            ps.setString(2, Identifiers.quote(schema));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                exists = rs.getBoolean(2);
            }
        }
        if (!exists) {
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return !exists;
    }

    private static List<String> path(Plan plan, String schema) {
        List<String> path = new ArrayList<>();
        path.add(schema);
        for (String s : Catalog.parseSearchPath(plan.settings().searchPath())) {
            if (!path.contains(s)) {
                path.add(s);
            }
        }
        return path;
    }

    private static List<String> quoted(List<String> schemas) {
        return schemas.stream().map(Identifiers::quote).collect(Collectors.toList());
    }
}
