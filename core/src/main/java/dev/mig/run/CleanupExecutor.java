package dev.mig.run;

import dev.mig.catalog.Identifiers;
import dev.mig.catalog.QualifiedName;
import dev.mig.model.Action;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static dev.mig.run.CleanupSql.display;

/**
 * Runs catalog-cleanup actions in the step's transaction. Each looks in the catalog first and
 * drops only what is there, saying what it dropped or that there was nothing to drop. Names go
 * into SQL only through {@link Identifiers}; nothing is dropped with CASCADE, so a dependent
 * object makes the DROP fail with the server's error instead of vanishing with it.
 */
final class CleanupExecutor {

    private static final Map<String, String> RELKINDS = Map.of(
            "index", "iI", "sequence", "S", "table", "rp", "view", "v", "materialized view", "m");

    /** The first relation of a name in search-path order, like the server resolves a table name. */
    private static final String RELATION = "SELECT c.oid, n.nspname, c.relname FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relname = ? AND n.nspname = ANY (?) ORDER BY array_position(?, n.nspname::text) LIMIT 1";

    private final CleanupSql sql;
    private final UnusedObjects unused;

    CleanupExecutor(Connection connection, List<String> searchPath) {
        this.sql = new CleanupSql(connection, searchPath);
        this.unused = new UnusedObjects(sql);
    }

    List<String> run(Action.Cleanup action) throws SQLException {
        return switch (action.kind()) {
            case "dropConstraintNamed" -> dropConstraintNamed(action.name());
            case "dropRelationNamed" -> dropRelationNamed(action.name(), kinds(action.options().get("kinds")));
            case "dropIndexIfInvalid" -> dropIndexIfInvalid(action.name());
            case "dropFunctionOverloads" -> dropFunctionOverloads(action.name());
            case "dropPoliciesOn" -> dropPoliciesOn(action.name());
            case "dropTriggersOn" -> dropTriggersOn(action.name());
            case "dropTypeIfUnused" -> unused.dropTypeIfUnused(action.name());
            case "dropOrphanedSequences" -> unused.dropOrphanedSequences((String) action.options().get("schema"));
            default -> throw new IllegalStateException("unknown cleanup action " + action.kind());
        };
    }

    /**
     * Drops the constraints of this name in the first schema that has one (the named schema, or
     * the search path in order), on whichever tables hold them.
     */
    private List<String> dropConstraintNamed(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String> schemas = sql.schemas(name);
        List<String[]> found = firstSchemaOnly(sql.rows("SELECT n.nspname, c.relname, con.conname FROM pg_constraint con"
                + " JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE con.conname = ? AND n.nspname = ANY (?) ORDER BY array_position(?, n.nspname::text), 2",
                name.name(), schemas, schemas));
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            sql.execute("ALTER TABLE " + Identifiers.qualified(row[0], row[1]) + " DROP CONSTRAINT " + Identifiers.quote(row[2]));
            report.add("dropped constraint " + row[2] + " on " + display(row[0], row[1]));
        }
        return report.isEmpty() ? List.of("dropConstraintNamed " + text + ": nothing to drop") : report;
    }

    /** The rows of the first schema (column 0) only: rows come ordered by search-path position. */
    private static List<String[]> firstSchemaOnly(List<String[]> rows) {
        return rows.isEmpty() ? rows : rows.stream().filter(r -> r[0].equals(rows.get(0)[0])).toList();
    }

    private List<String> dropRelationNamed(String text, String relkinds) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String> schemas = sql.schemas(name);
        List<String[]> found = sql.rows("SELECT n.nspname, c.relname, c.relkind::text,"
                + " (SELECT con.conname FROM pg_constraint con WHERE con.conindid = c.oid AND con.contype IN ('p', 'u', 'x')),"
                + " (SELECT t.relname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = c.oid)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relname = ? AND n.nspname = ANY (?) ORDER BY array_position(?, n.nspname::text)",
                name.name(), schemas, schemas);
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            char kind = row[2].charAt(0);
            if (relkinds.indexOf(kind) < 0) {
                report.add("dropRelationNamed " + text + ": " + display(row[0], row[1]) + " is a " + kindWord(kind)
                        + ", not one of the kinds asked for; left alone");
                continue;
            }
            if (row[3] != null) {
                sql.execute("ALTER TABLE " + Identifiers.qualified(row[0], row[4]) + " DROP CONSTRAINT " + Identifiers.quote(row[3]));
                report.add("dropped constraint " + row[3] + " on " + display(row[0], row[4]) + " (which owned index " + row[1] + ")");
            } else {
                sql.execute("DROP " + kindWord(kind).toUpperCase() + " " + Identifiers.qualified(row[0], row[1]));
                report.add("dropped " + kindWord(kind) + " " + display(row[0], row[1]));
            }
            break;
        }
        return report.isEmpty() ? List.of("dropRelationNamed " + text + ": nothing to drop") : report;
    }

    /** The index this name resolves to (first schema that has one), dropped only if it is INVALID. */
    private List<String> dropIndexIfInvalid(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String> schemas = sql.schemas(name);
        List<String[]> found = sql.rows("SELECT n.nspname, c.relname, i.indisvalid::text FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_index i ON i.indexrelid = c.oid"
                + " WHERE c.relname = ? AND n.nspname = ANY (?) ORDER BY array_position(?, n.nspname::text) LIMIT 1",
                name.name(), schemas, schemas);
        if (found.isEmpty()) {
            return List.of("dropIndexIfInvalid " + text + ": no index of that name");
        }
        String[] row = found.get(0);
        if ("true".equals(row[2])) {
            return List.of("dropIndexIfInvalid " + text + ": " + display(row[0], row[1]) + " is valid; left alone");
        }
        sql.execute("DROP INDEX " + Identifiers.qualified(row[0], row[1]));
        return List.of("dropped invalid index " + display(row[0], row[1]));
    }

    /**
     * Every overload in one schema: the named one, or the first of the search path that has a
     * routine of that name (the others keep theirs). The argument list comes from
     * {@code pg_get_function_identity_arguments}: the server writes it from type names it quotes
     * itself, so it is spliced as it comes; only the schema and routine names are ours to quote.
     */
    private List<String> dropFunctionOverloads(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String> schemas = sql.schemas(name);
        List<String[]> found = sql.rows("WITH home AS (SELECT n.oid, n.nspname FROM pg_proc p"
                + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = ? AND n.nspname = ANY (?)"
                + " ORDER BY array_position(?, n.nspname::text) LIMIT 1)"
                + " SELECT home.nspname, p.proname, p.prokind::text, pg_get_function_identity_arguments(p.oid)"
                + " FROM home JOIN pg_proc p ON p.pronamespace = home.oid AND p.proname = ? ORDER BY 4",
                name.name(), schemas, schemas, name.name());
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            String word = switch (row[2]) {
                case "p" -> "procedure";
                case "a" -> "aggregate";
                default -> "function";
            };
            // an aggregate without arguments is written name(*): DROP AGGREGATE does not accept name()
            String args = "a".equals(row[2]) && row[3].isEmpty() ? "*" : row[3];
            sql.execute("DROP " + word.toUpperCase() + " " + Identifiers.qualified(row[0], row[1]) + "(" + args + ")");
            report.add("dropped " + word + " " + display(row[0], row[1]) + "(" + args + ")");
        }
        return report.isEmpty()
                ? List.of("dropFunctionOverloads " + text + ": nothing to drop (no function, procedure or aggregate of that name in "
                        + String.join(", ", schemas) + ")")
                : report;
    }

    private List<String> dropPoliciesOn(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String> schemas = sql.schemas(name);
        List<String[]> found = sql.rows("WITH target AS (" + RELATION + ")"
                + " SELECT target.nspname, target.relname, pol.polname FROM target"
                + " LEFT JOIN pg_policy pol ON pol.polrelid = target.oid ORDER BY 3",
                name.name(), schemas, schemas);
        if (found.isEmpty()) {
            return List.of("dropPoliciesOn " + text + ": nothing to drop (no table " + name.name() + " in " + String.join(", ", schemas) + ")");
        }
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            if (row[2] != null) {
                sql.execute("DROP POLICY " + Identifiers.quote(row[2]) + " ON " + Identifiers.qualified(row[0], row[1]));
                report.add("dropped policy " + row[2] + " on " + display(row[0], row[1]));
            }
        }
        return report.isEmpty()
                ? List.of("dropPoliciesOn " + text + ": nothing to drop (" + display(found.get(0)[0], found.get(0)[1]) + " has no policies)")
                : report;
    }

    /**
     * User triggers only: internal ones (those of foreign keys) belong to their constraint and
     * are not touched. A partition's copy of a partitioned table's trigger cannot be dropped on
     * its own; it is left alone and reported.
     */
    private List<String> dropTriggersOn(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String> schemas = sql.schemas(name);
        String parent = sql.serverMajorVersion() >= 13
                ? "(SELECT pn.nspname || '.' || pc.relname FROM pg_trigger pt JOIN pg_class pc ON pc.oid = pt.tgrelid"
                        + " JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE pt.oid = t.tgparentid)"
                : "NULL::text";   // before 13, a partition's cloned trigger is internal
        List<String[]> found = sql.rows("WITH target AS (" + RELATION + ")"
                + " SELECT target.nspname, target.relname, t.tgname, " + parent + " FROM target"
                + " LEFT JOIN pg_trigger t ON t.tgrelid = target.oid AND NOT t.tgisinternal ORDER BY 3",
                name.name(), schemas, schemas);
        if (found.isEmpty()) {
            return List.of("dropTriggersOn " + text + ": nothing to drop (no table " + name.name() + " in " + String.join(", ", schemas) + ")");
        }
        List<String> report = new ArrayList<>();
        for (String[] row : found) {
            if (row[2] == null) {
                continue;
            }
            if (row[3] != null) {
                report.add("dropTriggersOn " + text + ": trigger " + row[2] + " on " + display(row[0], row[1])
                        + " is a partition's copy of a trigger on " + row[3] + "; left alone");
                continue;
            }
            sql.execute("DROP TRIGGER " + Identifiers.quote(row[2]) + " ON " + Identifiers.qualified(row[0], row[1]));
            report.add("dropped trigger " + row[2] + " on " + display(row[0], row[1]));
        }
        return report.isEmpty()
                ? List.of("dropTriggersOn " + text + ": nothing to drop (" + display(found.get(0)[0], found.get(0)[1]) + " has no user triggers)")
                : report;
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
}
