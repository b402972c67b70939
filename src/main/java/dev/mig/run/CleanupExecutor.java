package dev.mig.run;

import dev.mig.catalog.Identifiers;
import dev.mig.catalog.QualifiedName;
import dev.mig.model.Action;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs catalog-cleanup actions in the step's transaction. Each looks in the catalog first and
 * drops only what is there, saying what it dropped or that there was nothing to drop. Names go
 * into SQL only through {@link Identifiers#quote}.
 */
final class CleanupExecutor {

    private static final Map<String, String> RELKINDS = Map.of(
            "index", "iI", "sequence", "S", "table", "rp", "view", "v", "materialized view", "m");

    private final Connection connection;
    private final List<String> searchPath;

    CleanupExecutor(Connection connection, List<String> searchPath) {
        this.connection = connection;
        this.searchPath = searchPath;
    }

    List<String> run(Action.Cleanup action) throws SQLException {
        return switch (action.kind()) {
            case "dropConstraintNamed" -> dropConstraintNamed(action.name());
            case "dropRelationNamed" -> dropRelationNamed(action.name(), kinds(action.options().get("kinds")));
            case "dropIndexIfInvalid" -> dropIndexIfInvalid(action.name());
            default -> throw new IllegalStateException("unknown cleanup action " + action.kind());
        };
    }

    private List<String> schemas(QualifiedName name) {
        return name.schema() != null ? List.of(name.schema()) : searchPath;
    }

    private List<String> dropConstraintNamed(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String[]> found = rows("SELECT n.nspname, c.relname, con.conname FROM pg_constraint con"
                + " JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE con.conname = ? AND n.nspname = ANY (?) ORDER BY 1, 2", name.name(), schemas(name));
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            execute("ALTER TABLE " + Identifiers.qualified(row[0], row[1]) + " DROP CONSTRAINT " + Identifiers.quote(row[2]));
            report.add("dropped constraint " + row[2] + " on " + row[0] + "." + row[1]);
        }
        return report.isEmpty() ? List.of("dropConstraintNamed " + text + ": nothing to drop") : report;
    }

    private List<String> dropRelationNamed(String text, String relkinds) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String[]> found = rows("SELECT n.nspname, c.relname, c.relkind::text,"
                + " (SELECT con.conname FROM pg_constraint con WHERE con.conindid = c.oid AND con.contype IN ('p', 'u', 'x')),"
                + " (SELECT t.relname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = c.oid)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relname = ? AND n.nspname = ANY (?) ORDER BY array_position(?, n.nspname::text)",
                name.name(), schemas(name), schemas(name));
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            char kind = row[2].charAt(0);
            if (relkinds.indexOf(kind) < 0) {
                report.add("dropRelationNamed " + text + ": " + row[0] + "." + row[1] + " is a " + kindWord(kind)
                        + ", not one of the kinds asked for; left alone");
                continue;
            }
            if (row[3] != null) {
                execute("ALTER TABLE " + Identifiers.qualified(row[0], row[4]) + " DROP CONSTRAINT " + Identifiers.quote(row[3]));
                report.add("dropped constraint " + row[3] + " on " + row[0] + "." + row[4] + " (which owned index " + row[1] + ")");
            } else {
                execute("DROP " + kindWord(kind).toUpperCase() + " " + Identifiers.qualified(row[0], row[1]));
                report.add("dropped " + kindWord(kind) + " " + row[0] + "." + row[1]);
            }
            break;
        }
        return report.isEmpty() ? List.of("dropRelationNamed " + text + ": nothing to drop") : report;
    }

    private List<String> dropIndexIfInvalid(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String[]> found = rows("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = ? AND n.nspname = ANY (?) AND NOT i.indisvalid",
                name.name(), schemas(name));
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            execute("DROP INDEX " + Identifiers.qualified(row[0], row[1]));
            report.add("dropped invalid index " + row[0] + "." + row[1]);
        }
        return report.isEmpty() ? List.of("dropIndexIfInvalid " + text + ": no invalid index of that name") : report;
    }

    private static String kindWord(char relkind) {
        return switch (relkind) {
            case 'i', 'I' -> "index";
            case 'S' -> "sequence";
            case 'r', 'p' -> "table";
            case 'v' -> "view";
            case 'm' -> "materialized view";
            default -> "relation";
        };
    }

    private static String kinds(Object option) {
        if (!(option instanceof Collection<?> list) || list.isEmpty()) {
            return "iISrpvm";
        }
        StringBuilder out = new StringBuilder();
        for (Object kind : list) {
            String k = RELKINDS.get(String.valueOf(kind));
            if (k == null) {
                throw new IllegalArgumentException("unknown relation kind '" + kind + "' (use " + RELKINDS.keySet() + ")");
            }
            out.append(k);
        }
        return out.toString();
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    private List<String[]> rows(String sql, Object... args) throws SQLException {
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
}
