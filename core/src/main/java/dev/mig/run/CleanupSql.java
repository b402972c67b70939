package dev.mig.run;

import dev.mig.catalog.QualifiedName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cleanup actions share: catalog queries with bind parameters, DROP statements whose
 * failure keeps the statement for the report, and the schemas an unqualified name resolves in.
 */
final class CleanupSql {

    /** A cleanup statement the server refused; the step fails with the server's error and this statement. */
    static final class StatementFailed extends SQLException {
        private final String statement;

        StatementFailed(String statement, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.statement = statement;
        }

        String statement() {
            return statement;
        }
    }

    private final Connection connection;
    private final List<String> searchPath;
    private List<String> resolvedSearchPath;

    CleanupSql(Connection connection, List<String> searchPath) {
        this.connection = connection;
        this.searchPath = searchPath;
    }

    /** The named schema, else the plan's searchPath with {@code $user} read as the current user. */
    List<String> schemas(QualifiedName name) throws SQLException {
        return name.schema() != null ? List.of(name.schema()) : searchPath();
    }

    List<String> searchPath() throws SQLException {
        if (resolvedSearchPath == null) {
            List<String> schemas = new ArrayList<>();
            for (String s : searchPath) {
                schemas.add("$user".equals(s) ? rows("SELECT current_user::text").get(0)[0] : s);
            }
            resolvedSearchPath = schemas;
        }
        return resolvedSearchPath;
    }

    int serverMajorVersion() throws SQLException {
        return connection.getMetaData().getDatabaseMajorVersion();
    }

    /**
     * Runs one DDL statement built from names that went through {@code Identifiers}. Escape
     * processing is off, so a brace or question mark inside a quoted name stays what it is.
     */
    void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
        } catch (SQLException e) {
            throw new StatementFailed(sql, e);
        }
    }

    /** Rows as strings; a {@code List} argument is bound as {@code text[]}. */
    List<String[]> rows(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof List<?> list) {
                    ps.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int c = 0; c < n; c++) {
                        row[c] = rs.getString(c + 1);
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    /** {@code schema.name} as a plan author writes it back, for report lines. */
    static String display(String schema, String name) {
        return schema + "." + name;
    }
}
