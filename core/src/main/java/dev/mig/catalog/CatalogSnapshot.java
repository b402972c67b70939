package dev.mig.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog read in sections, one query per object kind, each loaded the first time a question
 * needs it and kept until {@link Catalog#refresh()}. A verify block of a thousand tables therefore
 * costs the same handful of queries as one of a single table (docs/DSL.md section 4, "Catalog
 * snapshots").
 *
 * <p>Sections are read per schema: the schemas a question can reach (the named one, or the search
 * path) are loaded together, and a later question about another schema loads just that one. So
 * the thousands of built-in functions of {@code pg_catalog} are read only when a lookup falls
 * through to them, and a database's other schemas cost nothing.
 *
 * <p>Rows are read straight from the result set, and per-row server functions are kept to what
 * cannot be done here ({@code format_type}, {@code pg_get_expr}): key columns come back as
 * attribute numbers and are named from the columns section.
 */
final class CatalogSnapshot {

    record Rel(long oid, String schema, String name, char kind, boolean rowSecurity, boolean forceRowSecurity,
               String comment) {
    }

    record Pol(String name, String command, boolean permissive) {
    }

    record Typ(long oid, TypeInfo info) {
    }

    record Fn(long oid, FunctionInfo info, List<Long> argTypes) {
    }

    /** What one kind of object has been read for: the schemas covered, and the rows by a key. */
    private static final class Section<K, V> {
        final Set<String> schemas = new HashSet<>();
        final Map<K, List<V>> rows = new HashMap<>();

        /** The schemas of {@code wanted} not read yet; the caller reads them and they count as read. */
        String[] missing(String[] wanted) {
            String[] out = Arrays.stream(wanted).filter(s -> !schemas.contains(s)).distinct().toArray(String[]::new);
            schemas.addAll(Arrays.asList(out));
            return out;
        }

        void add(K key, V value) {
            rows.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }

        List<V> get(K key) {
            return rows.getOrDefault(key, List.of());
        }
    }

    private record Attr(int attnum, ColumnInfo info) {
    }

    private final Catalog catalog;

    private final Section<String, Rel> relations = new Section<>();
    private final Map<Long, Rel> relationsByOid = new HashMap<>();
    private final Section<Long, Attr> columns = new Section<>();
    private final Section<Long, IndexInfo> indexesByTable = new Section<>();
    private final Map<Long, IndexInfo> indexesByOid = new HashMap<>();
    private final Section<Long, ConstraintInfo> constraintsByTable = new Section<>();
    private final Map<String, List<ConstraintInfo>> constraintsByName = new HashMap<>();
    private final Section<Long, String> triggers = new Section<>();
    private final Section<Long, Pol> policies = new Section<>();
    private final Section<String, Typ> types = new Section<>();
    private final Section<String, Fn> functions = new Section<>();
    private Map<Long, List<String>> enumLabels;
    private Map<String, ExtensionInfo> extensions;
    private Set<String> schemaNames;
    private Set<String> roles;

    CatalogSnapshot(Catalog catalog) {
        this.catalog = catalog;
    }

    // ---- relations and columns -------------------------------------------------------------

    /** Every relation of this name in these schemas, any kind. */
    List<Rel> relations(String name, String[] schemas) {
        String[] missing = relations.missing(schemas);
        if (missing.length > 0) {
            catalog.scan("""
                    SELECT c.oid, n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, d.description
                      FROM pg_class c
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                      LEFT JOIN pg_description d
                             ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
                     WHERE n.nspname = ANY (?)""", new Object[]{missing}, rs -> {
                Rel rel = new Rel(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4).charAt(0),
                        rs.getBoolean(5), rs.getBoolean(6), rs.getString(7));
                relations.add(rel.name(), rel);
                relationsByOid.put(rel.oid(), rel);
            });
        }
        return relations.get(name);
    }

    /** The live columns of a table, view, materialized view or foreign table, in attnum order. */
    List<ColumnInfo> columns(Rel rel) {
        return attributes(rel).stream().map(Attr::info).toList();
    }

    private List<Attr> attributes(Rel rel) {
        loadColumns(new String[]{rel.schema()});
        return columns.get(rel.oid());
    }

    private void loadColumns(String[] schemas) {
        String[] missing = columns.missing(schemas);
        if (missing.length == 0) {
            return;
        }
        // sorting here is cheaper than ORDER BY on the server, which turns the plan into a sort of every row;
        // a default cannot name a column, so it is deparsed without its table (given a table, the
        // server opens each one to name its columns); only a generated column's expression needs it
        Set<Long> touched = new HashSet<>();
        catalog.scan("""
                SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END)
                  FROM pg_attribute a
                  JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                   AND n.nspname = ANY (?)""", new Object[]{missing}, rs -> {
            long rel = rs.getLong(1);
            touched.add(rel);
            columns.add(rel, new Attr(rs.getInt(2),
                    new ColumnInfo(rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6))));
        });
        for (Long rel : touched) {
            columns.rows.get(rel).sort(Comparator.comparingInt(Attr::attnum));
        }
    }

    /** Attribute numbers, space-separated, to column names; 0 (an expression's place) is left out. */
    private List<String> columnNames(long relOid, String attnums) {
        if (attnums == null) {
            return List.of();
        }
        List<Attr> attrs = columns.get(relOid);
        List<String> names = new ArrayList<>();
        for (String part : attnums.split(" ")) {
            if (part.isEmpty()) {
                continue;
            }
            int attnum = Integer.parseInt(part);
            for (Attr a : attrs) {
                if (a.attnum() == attnum) {
                    names.add(a.info().name());
                    break;
                }
            }
        }
        return names;
    }

    // ---- indexes and constraints -----------------------------------------------------------

    List<IndexInfo> indexesOf(Rel table) {
        loadIndexes(new String[]{table.schema()});
        return indexesByTable.get(table.oid());
    }

    IndexInfo index(Rel index) {
        loadIndexes(new String[]{index.schema()});
        return indexesByOid.get(index.oid());
    }

    private void loadIndexes(String[] schemas) {
        String[] missing = indexesByTable.missing(schemas);
        if (missing.length == 0) {
            return;
        }
        loadColumns(missing);
        List<IndexInfo> loaded = new ArrayList<>();
        Map<IndexInfo, long[]> oids = new HashMap<>();
        catalog.scan("""
                SELECT i.indexrelid, i.indrelid, n.nspname, ic.relname, tc.relname, i.indisunique, i.indisvalid,
                       am.amname, i.indisprimary, i.indpred IS NOT NULL, i.indexprs IS NOT NULL,
                       array_to_string((i.indkey::int2[])[0:i.indnkeyatts - 1], ' ')
                  FROM pg_index i
                  JOIN pg_class ic ON ic.oid = i.indexrelid
                  JOIN pg_namespace n ON n.oid = ic.relnamespace
                  JOIN pg_class tc ON tc.oid = i.indrelid
                  JOIN pg_am am ON am.oid = ic.relam
                 WHERE n.nspname = ANY (?)""", new Object[]{missing}, rs -> {
            long table = rs.getLong(2);
            IndexInfo info = new IndexInfo(rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6),
                    rs.getBoolean(7), rs.getString(8), rs.getBoolean(9), columnNames(table, rs.getString(12)),
                    rs.getBoolean(10), rs.getBoolean(11));
            loaded.add(info);
            oids.put(info, new long[]{rs.getLong(1), table});
        });
        // creation (oid) order, as \d lists them
        loaded.sort(Comparator.comparingLong(i -> oids.get(i)[0]));
        for (IndexInfo info : loaded) {
            long[] o = oids.get(info);
            indexesByTable.add(o[1], info);
            indexesByOid.put(o[0], info);
        }
    }

    List<ConstraintInfo> constraintsOf(Rel table) {
        loadConstraints(new String[]{table.schema()});
        return constraintsByTable.get(table.oid());
    }

    /** Every table constraint of this name in these schemas, ordered by table name. */
    List<ConstraintInfo> constraintsNamed(String name, String[] schemas) {
        loadConstraints(schemas);
        return constraintsByName.getOrDefault(name, List.of());
    }

    private void loadConstraints(String[] schemas) {
        String[] missing = constraintsByTable.missing(schemas);
        if (missing.length == 0) {
            return;
        }
        loadColumns(missing);
        record Row(long table, String schema, String name, String tableName, char type, String keys,
                   long refTable, String refSchema, String refName, String refKeys, String onDelete, long oid) {
        }
        List<Row> rows = new ArrayList<>();
        // keys come back as attribute numbers and are named from the columns section; a foreign
        // key's target may live in a schema not read yet, which is then read too
        catalog.scan("""
                SELECT con.conrelid, n.nspname, con.conname, tc.relname, con.contype, array_to_string(con.conkey, ' '),
                       con.confrelid, rn.nspname, rc.relname, array_to_string(con.confkey, ' '),
                       nullif(con.confdeltype, ' '), con.oid
                  FROM pg_constraint con
                  JOIN pg_namespace n ON n.oid = con.connamespace
                  JOIN pg_class tc ON tc.oid = con.conrelid
                  LEFT JOIN pg_class rc ON rc.oid = con.confrelid
                  LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                 WHERE n.nspname = ANY (?)""", new Object[]{missing}, rs -> rows.add(new Row(rs.getLong(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5).charAt(0), rs.getString(6),
                rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getLong(12))));
        loadColumns(rows.stream().map(Row::refSchema).filter(java.util.Objects::nonNull).distinct().toArray(String[]::new));
        rows.sort(Comparator.comparing(Row::tableName).thenComparing(Row::name));
        for (Row r : rows) {
            ConstraintInfo info = new ConstraintInfo(r.oid(), r.schema(), r.name(), r.tableName(), r.type(),
                    columnNames(r.table(), r.keys()), r.refSchema(), r.refName(), columnNames(r.refTable(), r.refKeys()),
                    ConstraintInfo.referentialAction(r.onDelete()));
            constraintsByTable.add(r.table(), info);
            constraintsByName.computeIfAbsent(info.name(), k -> new ArrayList<>()).add(info);
        }
    }

    /** User triggers by name; the internal ones behind foreign keys are not read. */
    List<String> triggersOf(Rel table) {
        String[] missing = triggers.missing(new String[]{table.schema()});
        if (missing.length > 0) {
            catalog.scan("""
                    SELECT t.tgrelid, t.tgname
                      FROM pg_trigger t
                      JOIN pg_class c ON c.oid = t.tgrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE NOT t.tgisinternal AND n.nspname = ANY (?)
                     ORDER BY t.tgname""", new Object[]{missing}, rs -> triggers.add(rs.getLong(1), rs.getString(2)));
        }
        return triggers.get(table.oid());
    }

    List<Pol> policiesOf(Rel table) {
        String[] missing = policies.missing(new String[]{table.schema()});
        if (missing.length > 0) {
            catalog.scan("""
                    SELECT p.polrelid, p.polname, p.polcmd, p.polpermissive
                      FROM pg_policy p
                      JOIN pg_class c ON c.oid = p.polrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = ANY (?)
                     ORDER BY p.polname""", new Object[]{missing},
                    rs -> policies.add(rs.getLong(1), new Pol(rs.getString(2), command(rs.getString(3)), rs.getBoolean(4))));
        }
        return policies.get(table.oid());
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

    List<Typ> types(String name, String[] schemas) {
        String[] missing = types.missing(schemas);
        if (missing.length > 0) {
            catalog.scan("""
                    SELECT t.oid, n.nspname, t.typname, t.typtype
                      FROM pg_type t
                      JOIN pg_namespace n ON n.oid = t.typnamespace
                     WHERE n.nspname = ANY (?)""", new Object[]{missing}, rs -> {
                Typ typ = new Typ(rs.getLong(1), new TypeInfo(rs.getString(2), rs.getString(3), rs.getString(4).charAt(0)));
                types.add(typ.info().name(), typ);
            });
        }
        return types.get(name);
    }

    List<String> enumLabels(long typeOid) {
        if (enumLabels == null) {
            enumLabels = new HashMap<>();
            catalog.scan("SELECT enumtypid, enumlabel FROM pg_enum ORDER BY enumtypid, enumsortorder", new Object[0],
                    rs -> enumLabels.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)));
        }
        return enumLabels.getOrDefault(typeOid, List.of());
    }

    ExtensionInfo extension(String name) {
        if (extensions == null) {
            extensions = new HashMap<>();
            catalog.scan("""
                    SELECT e.extname, e.extversion, n.nspname
                      FROM pg_extension e
                      JOIN pg_namespace n ON n.oid = e.extnamespace""", new Object[0],
                    rs -> extensions.put(rs.getString(1), new ExtensionInfo(rs.getString(1), rs.getString(2), rs.getString(3))));
        }
        return extensions.get(name);
    }

    /** Functions and procedures of this name in these schemas, in oid order. */
    List<Fn> functions(String name, String[] schemas) {
        String[] missing = functions.missing(schemas);
        if (missing.length > 0) {
            catalog.scan("""
                    SELECT p.oid, n.nspname, p.proname, pg_get_function_identity_arguments(p.oid),
                           pg_get_function_result(p.oid), array_to_string(p.proargtypes::oid[], ' ')
                      FROM pg_proc p
                      JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = ANY (?)
                     ORDER BY p.oid""", new Object[]{missing}, rs -> {
                List<Long> argTypes = new ArrayList<>();
                for (String t : rs.getString(6).split(" ")) {
                    if (!t.isEmpty()) {
                        argTypes.add(Long.parseLong(t));
                    }
                }
                Fn fn = new Fn(rs.getLong(1), new FunctionInfo(rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)), argTypes);
                functions.add(fn.info().name(), fn);
            });
        }
        return functions.get(name);
    }

    static boolean isBuiltinSchema(String schema) {
        return "pg_catalog".equals(schema) || "information_schema".equals(schema);
    }

    // ---- schemas, roles --------------------------------------------------------------------

    boolean schema(String name) {
        if (schemaNames == null) {
            schemaNames = names("SELECT nspname FROM pg_namespace");
        }
        return schemaNames.contains(name);
    }

    boolean role(String name) {
        if (roles == null) {
            roles = names("SELECT rolname FROM pg_roles");
        }
        return roles.contains(name);
    }

    private Set<String> names(String sql) {
        Set<String> out = new HashSet<>();
        catalog.scan(sql, new Object[0], rs -> out.add(rs.getString(1)));
        return out;
    }

    /** Reads one row of a scan. */
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }
}
