package dev.mig.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;

/**
 * What one schema holds, by kind, each kind's names sorted: what {@code schema('kb') { tables 35 }}
 * counts and a guard's {@code schema('kb').tables} lists (docs/DSL.md section 6, "Schema
 * contents"). Objects that belong to an extension (pgvector's functions, say) are left out: a
 * plan counts what it created, not what {@code CREATE EXTENSION} brought.
 *
 * <p>Tables are ordinary and partitioned tables, partitions included (as {@code \dt} lists them);
 * sequences include those behind serial and identity columns; indexes include those behind
 * primary keys and unique constraints. Functions are named with their argument types
 * ({@code touch()}, {@code f(integer, text)}), triggers and policies with their table ({@code docs.docs_touch}).
 */
public record SchemaContents(String schema, Map<String, List<String>> byKind) {

    /** The kinds, as the DSL words and guard properties name them. */
    public static final List<String> KINDS = List.of("tables", "views", "materializedViews", "foreignTables",
            "sequences", "indexes", "enums", "domains", "compositeTypes", "rangeTypes", "functions", "procedures",
            "aggregates", "triggers", "policies");

    private static final String QUERY = """
            WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = ?),
            ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
            SELECT kind, name FROM (
                SELECT CASE c.relkind WHEN 'v' THEN 'views' WHEN 'm' THEN 'materializedViews'
                            WHEN 'f' THEN 'foreignTables' WHEN 'S' THEN 'sequences'
                            WHEN 'i' THEN 'indexes' WHEN 'I' THEN 'indexes' ELSE 'tables' END AS kind,
                       c.relname::text AS name
                  FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'i', 'I')
                   AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
                UNION ALL
                SELECT CASE t.typtype WHEN 'e' THEN 'enums' WHEN 'd' THEN 'domains' WHEN 'r' THEN 'rangeTypes'
                            ELSE 'compositeTypes' END,
                       t.typname::text
                  FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
                 WHERE (t.typtype IN ('e', 'd', 'r')
                        OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c')))
                   AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
                UNION ALL
                SELECT CASE p.prokind WHEN 'p' THEN 'procedures' WHEN 'a' THEN 'aggregates' ELSE 'functions' END,
                       p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
                  FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
                 WHERE NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
                UNION ALL
                SELECT 'triggers', c.relname || '.' || t.tgname
                  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN ns ON ns.oid = c.relnamespace
                 WHERE NOT t.tgisinternal
                UNION ALL
                SELECT 'policies', c.relname || '.' || p.polname
                  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN ns ON ns.oid = c.relnamespace
            ) contents
            ORDER BY kind, name COLLATE "C"
            """;

    public SchemaContents {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (String kind : KINDS) {
            copy.put(kind, List.copyOf(byKind.getOrDefault(kind, List.of())));
        }
        byKind = java.util.Collections.unmodifiableMap(copy);
    }

    /** The names of one kind ({@code tables}, {@code enums}, ...); an unknown kind is an error. */
    public List<String> names(String kind) {
        List<String> names = byKind.get(kind);
        if (names == null) {
            throw new IllegalArgumentException("unknown kind '" + kind + "' of schema contents; one of " + String.join(", ", KINDS));
        }
        return names;
    }

    /** One query for the whole schema; null when there is no such schema. */
    static SchemaContents read(Catalog catalog, String schema) {
        if (!catalog.schema(schema)) {
            return null;
        }
        String name = QualifiedName.parseIdentifier(schema);
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (Map<String, Object> row : catalog.query(QUERY, name)) {
            byKind.computeIfAbsent((String) row.get("kind"), k -> new ArrayList<>()).add((String) row.get("name"));
        }
        return new SchemaContents(name, byKind);
    }
}
