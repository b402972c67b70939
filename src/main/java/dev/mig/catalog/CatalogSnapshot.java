package dev.mig.catalog;

import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog read in sections, one query per object kind, each loaded the first time a question
 * needs it and then kept until {@link Catalog#refresh()}. A verify block of a thousand tables
 * therefore costs the same handful of queries as one of a single table (docs/DSL.md section 10,
 * "Catalog snapshots").
 *
 * <p>Sections cover every schema the session can see except TOAST schemas and other sessions'
 * temporary schemas. Functions of {@code pg_catalog} and {@code information_schema} (thousands of
 * built-ins) are a section of their own, read only when a lookup falls through to them.
 */
final class CatalogSnapshot {

    /** Schemas whose objects are not the user's: excluded from every section but the built-in functions. */
    private static final String VISIBLE =
            " n.nspname !~ '^pg_toast' AND (n.nspname !~ '^pg_temp_' OR n.oid = pg_my_temp_schema()) ";

    record Rel(long oid, String schema, String name, char kind, boolean rowSecurity, boolean forceRowSecurity,
               String comment) {
    }

    record Trig(String name, boolean internal) {
    }

    record Pol(String name, String command, boolean permissive) {
    }

    record Typ(long oid, TypeInfo info) {
    }

    record Fn(long oid, FunctionInfo info, List<Long> argTypes) {
    }

    private final Catalog catalog;

    private Map<String, List<Rel>> relationsByName;
    private Map<Long, Rel> relationsByOid;
    private Map<Long, List<ColumnInfo>> columns;
    private Map<Long, List<IndexInfo>> indexesByTable;
    private Map<Long, IndexInfo> indexesByOid;
    private Map<Long, List<ConstraintInfo>> constraintsByTable;
    private Map<String, List<ConstraintInfo>> constraintsByName;
    private Map<Long, List<Trig>> triggers;
    private Map<Long, List<Pol>> policies;
    private Map<String, List<Typ>> types;
    private Map<Long, List<String>> enumLabels;
    private Map<String, ExtensionInfo> extensions;
    private Map<String, List<Fn>> functions;
    private Map<String, List<Fn>> builtinFunctions;
    private Set<String> schemas;
    private Set<String> roles;

    CatalogSnapshot(Catalog catalog) {
        this.catalog = catalog;
    }

    // ---- relations -------------------------------------------------------------------------

    List<Rel> relations(String name) {
        if (relationsByName == null) {
            relationsByName = new HashMap<>();
            relationsByOid = new HashMap<>();
            for (Map<String, Object> row : catalog.query("""
                    SELECT c.oid, n.nspname, c.relname, c.relkind::text AS relkind, c.relrowsecurity,
                           c.relforcerowsecurity, d.description
                      FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                      LEFT JOIN pg_description d
                             ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
                     WHERE""" + VISIBLE)) {
                Rel rel = new Rel(oid(row.get("oid")), (String) row.get("nspname"), (String) row.get("relname"),
                        ((String) row.get("relkind")).charAt(0), (Boolean) row.get("relrowsecurity"),
                        (Boolean) row.get("relforcerowsecurity"), (String) row.get("description"));
                relationsByName.computeIfAbsent(rel.name(), k -> new ArrayList<>()).add(rel);
                relationsByOid.put(rel.oid(), rel);
            }
        }
        return relationsByName.getOrDefault(name, List.of());
    }

    Rel relation(long oid) {
        relations("");
        return relationsByOid.get(oid);
    }

    List<ColumnInfo> columns(long relationOid) {
        if (columns == null) {
            columns = new HashMap<>();
            for (Map<String, Object> row : catalog.query("""
                    SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
                           pg_get_expr(d.adbin, d.adrelid) AS default_expr
                      FROM pg_attribute a
                      JOIN pg_class c ON c.oid = a.attrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                     WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                       AND""" + VISIBLE + """
                     ORDER BY a.attrelid, a.attnum""")) {
                columns.computeIfAbsent(oid(row.get("attrelid")), k -> new ArrayList<>()).add(new ColumnInfo(
                        (String) row.get("attname"), (String) row.get("type"), (Boolean) row.get("attnotnull"),
                        (String) row.get("default_expr")));
            }
        }
        return columns.getOrDefault(relationOid, List.of());
    }

    // ---- indexes and constraints -----------------------------------------------------------

    private void loadIndexes() {
        if (indexesByOid != null) {
            return;
        }
        indexesByTable = new HashMap<>();
        indexesByOid = new HashMap<>();
        // indkey is 0 for an expression column: the join drops it, and indexprs says it was there
        for (Map<String, Object> row : catalog.query("""
                SELECT i.indexrelid, i.indrelid, n.nspname, ic.relname, tc.relname AS table_name, i.indisunique,
                       i.indisvalid, am.amname, i.indisprimary, i.indpred IS NOT NULL AS partial,
                       i.indexprs IS NOT NULL AS expressions,
                       ARRAY(SELECT a.attname::text
                               FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                              WHERE k.ord <= i.indnkeyatts
                              ORDER BY k.ord) AS columns
                  FROM pg_index i
                  JOIN pg_class ic ON ic.oid = i.indexrelid
                  JOIN pg_namespace n ON n.oid = ic.relnamespace
                  JOIN pg_class tc ON tc.oid = i.indrelid
                  JOIN pg_am am ON am.oid = ic.relam
                 WHERE""" + VISIBLE + """
                 ORDER BY i.indexrelid""")) {
            IndexInfo info = new IndexInfo((String) row.get("nspname"), (String) row.get("relname"),
                    (String) row.get("table_name"), (Boolean) row.get("indisunique"), (Boolean) row.get("indisvalid"),
                    (String) row.get("amname"), (Boolean) row.get("indisprimary"), strings(row.get("columns")),
                    (Boolean) row.get("partial"), (Boolean) row.get("expressions"));
            indexesByTable.computeIfAbsent(oid(row.get("indrelid")), k -> new ArrayList<>()).add(info);
            indexesByOid.put(oid(row.get("indexrelid")), info);
        }
    }

    List<IndexInfo> indexesOf(long tableOid) {
        loadIndexes();
        return indexesByTable.getOrDefault(tableOid, List.of());
    }

    IndexInfo index(long indexOid) {
        loadIndexes();
        return indexesByOid.get(indexOid);
    }

    private void loadConstraints() {
        if (constraintsByName != null) {
            return;
        }
        constraintsByTable = new HashMap<>();
        constraintsByName = new HashMap<>();
        for (Map<String, Object> row : catalog.query("""
                SELECT con.conrelid, n.nspname, con.conname, tc.relname, con.contype::text AS contype,
                       pg_get_constraintdef(con.oid) AS definition,
                       ARRAY(SELECT a.attname::text
                               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                              ORDER BY k.ord) AS columns,
                       rn.nspname AS ref_schema, rc.relname AS ref_table,
                       ARRAY(SELECT a.attname::text
                               FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                              ORDER BY k.ord) AS ref_columns,
                       nullif(con.confdeltype, ' ')::text AS on_delete
                  FROM pg_constraint con
                  JOIN pg_namespace n ON n.oid = con.connamespace
                  JOIN pg_class tc ON tc.oid = con.conrelid
                  LEFT JOIN pg_class rc ON rc.oid = con.confrelid
                  LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                 WHERE""" + VISIBLE + """
                 ORDER BY tc.relname, con.conname""")) {
            ConstraintInfo info = new ConstraintInfo((String) row.get("nspname"), (String) row.get("conname"),
                    (String) row.get("relname"), ((String) row.get("contype")).charAt(0), (String) row.get("definition"),
                    strings(row.get("columns")), (String) row.get("ref_schema"), (String) row.get("ref_table"),
                    strings(row.get("ref_columns")), ConstraintInfo.referentialAction((String) row.get("on_delete")));
            constraintsByTable.computeIfAbsent(oid(row.get("conrelid")), k -> new ArrayList<>()).add(info);
            constraintsByName.computeIfAbsent(info.name(), k -> new ArrayList<>()).add(info);
        }
    }

    List<ConstraintInfo> constraintsOf(long tableOid) {
        loadConstraints();
        return constraintsByTable.getOrDefault(tableOid, List.of());
    }

    /** Every table constraint of this name, ordered by table name. */
    List<ConstraintInfo> constraintsNamed(String name) {
        loadConstraints();
        return constraintsByName.getOrDefault(name, List.of());
    }

    List<Trig> triggersOf(long tableOid) {
        if (triggers == null) {
            triggers = new HashMap<>();
            for (Map<String, Object> row : catalog.query("""
                    SELECT t.tgrelid, t.tgname, t.tgisinternal
                      FROM pg_trigger t
                      JOIN pg_class c ON c.oid = t.tgrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE""" + VISIBLE + """
                     ORDER BY t.tgname""")) {
                triggers.computeIfAbsent(oid(row.get("tgrelid")), k -> new ArrayList<>())
                        .add(new Trig((String) row.get("tgname"), (Boolean) row.get("tgisinternal")));
            }
        }
        return triggers.getOrDefault(tableOid, List.of());
    }

    List<Pol> policiesOf(long tableOid) {
        if (policies == null) {
            policies = new HashMap<>();
            for (Map<String, Object> row : catalog.query("""
                    SELECT p.polrelid, p.polname, p.polcmd::text AS polcmd, p.polpermissive
                      FROM pg_policy p
                     ORDER BY p.polname""")) {
                policies.computeIfAbsent(oid(row.get("polrelid")), k -> new ArrayList<>()).add(new Pol(
                        (String) row.get("polname"), command((String) row.get("polcmd")), (Boolean) row.get("polpermissive")));
            }
        }
        return policies.getOrDefault(tableOid, List.of());
    }

    private static String command(String polcmd) {
        return switch (polcmd) {
            case "r" -> "SELECT";
            case "a" -> "INSERT";
            case "w" -> "UPDATE";
            case "d" -> "DELETE";
            default -> "ALL";
        };
    }

    // ---- types, extensions, functions ------------------------------------------------------

    List<Typ> types(String name) {
        if (types == null) {
            types = new HashMap<>();
            for (Map<String, Object> row : catalog.query("""
                    SELECT t.oid, n.nspname, t.typname, t.typtype::text AS typtype
                      FROM pg_type t
                      JOIN pg_namespace n ON n.oid = t.typnamespace
                     WHERE""" + VISIBLE)) {
                Typ typ = new Typ(oid(row.get("oid")), new TypeInfo((String) row.get("nspname"),
                        (String) row.get("typname"), ((String) row.get("typtype")).charAt(0)));
                types.computeIfAbsent(typ.info().name(), k -> new ArrayList<>()).add(typ);
            }
        }
        return types.getOrDefault(name, List.of());
    }

    List<String> enumLabels(long typeOid) {
        if (enumLabels == null) {
            enumLabels = new HashMap<>();
            for (Map<String, Object> row : catalog.query(
                    "SELECT enumtypid, enumlabel FROM pg_enum ORDER BY enumtypid, enumsortorder")) {
                enumLabels.computeIfAbsent(oid(row.get("enumtypid")), k -> new ArrayList<>())
                        .add((String) row.get("enumlabel"));
            }
        }
        return enumLabels.getOrDefault(typeOid, List.of());
    }

    ExtensionInfo extension(String name) {
        if (extensions == null) {
            extensions = new HashMap<>();
            for (Map<String, Object> row : catalog.query("""
                    SELECT e.extname, e.extversion, n.nspname
                      FROM pg_extension e
                      JOIN pg_namespace n ON n.oid = e.extnamespace""")) {
                extensions.put((String) row.get("extname"), new ExtensionInfo((String) row.get("extname"),
                        (String) row.get("extversion"), (String) row.get("nspname")));
            }
        }
        return extensions.get(name);
    }

    /** Functions and procedures outside {@code pg_catalog} and {@code information_schema}. */
    List<Fn> functions(String name) {
        if (functions == null) {
            functions = loadFunctions("n.nspname NOT IN ('pg_catalog', 'information_schema') AND" + VISIBLE);
        }
        return functions.getOrDefault(name, List.of());
    }

    /** The built-ins, read only when a lookup reaches {@code pg_catalog} or {@code information_schema}. */
    List<Fn> builtinFunctions(String name) {
        if (builtinFunctions == null) {
            builtinFunctions = loadFunctions("n.nspname IN ('pg_catalog', 'information_schema')");
        }
        return builtinFunctions.getOrDefault(name, List.of());
    }

    static boolean isBuiltinSchema(String schema) {
        return "pg_catalog".equals(schema) || "information_schema".equals(schema);
    }

    private Map<String, List<Fn>> loadFunctions(String where) {
        Map<String, List<Fn>> byName = new HashMap<>();
        for (Map<String, Object> row : catalog.query("""
                SELECT p.oid, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args,
                       pg_get_function_result(p.oid) AS result, p.proargtypes::oid[] AS argtypes
                  FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace""" + " WHERE " + where + " ORDER BY p.oid")) {
            List<Long> argTypes = new ArrayList<>();
            for (Object t : array(row.get("argtypes"))) {
                argTypes.add(oid(t));
            }
            Fn fn = new Fn(oid(row.get("oid")), new FunctionInfo((String) row.get("nspname"), (String) row.get("proname"),
                    (String) row.get("args"), (String) row.get("result")), argTypes);
            byName.computeIfAbsent(fn.info().name(), k -> new ArrayList<>()).add(fn);
        }
        return byName;
    }

    // ---- schemas, roles --------------------------------------------------------------------

    boolean schema(String name) {
        if (schemas == null) {
            schemas = names("SELECT nspname AS name FROM pg_namespace");
        }
        return schemas.contains(name);
    }

    boolean role(String name) {
        if (roles == null) {
            roles = names("SELECT rolname AS name FROM pg_roles");
        }
        return roles.contains(name);
    }

    private Set<String> names(String sql) {
        Set<String> out = new HashSet<>();
        for (Map<String, Object> row : catalog.query(sql)) {
            out.add((String) row.get("name"));
        }
        return out;
    }

    // ---- conversions -----------------------------------------------------------------------

    private static long oid(Object value) {
        return ((Number) value).longValue();
    }

    private static Object[] array(Object value) {
        if (value == null) {
            return new Object[0];
        }
        try {
            return (Object[]) ((Array) value).getArray();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read a catalog array: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object o : array(value)) {
            out.add((String) o);
        }
        return out;
    }
}
