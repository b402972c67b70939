package dev.mig.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 42P07 and 42710, "already exists": which object holds the name, where, and the cleanup word
 * that frees it. Index names share one namespace with tables, views and sequences, so the holder
 * of a relation name is often a constraint's index on another table.
 */
final class NameClash {

    private static final Pattern RELATION = Pattern.compile("relation \"(.+)\" already exists");
    private static final Pattern TYPE = Pattern.compile("type \"(.+)\" already exists");
    private static final Pattern CONSTRAINT = Pattern.compile("constraint \"(.+)\" for relation \"(.+)\" already exists");
    private static final Pattern SCHEMA = Pattern.compile("schema \"(.+)\" already exists");

    private static final String RELATIONS = """
            SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
                   it.relname AS index_table,
                   con.conname AS con_name, con.contype::text AS con_type, ct.relname AS con_table,
                   ot.relname AS owner_table, oa.attname AS owner_column,
                   ext.extname AS extension
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_index i ON i.indexrelid = c.oid
              LEFT JOIN pg_class it ON it.oid = i.indrelid
              LEFT JOIN pg_constraint con ON con.conindid = c.oid AND con.conrelid = i.indrelid
                                         AND con.contype IN ('p', 'u', 'x')
              LEFT JOIN pg_class ct ON ct.oid = con.conrelid
              LEFT JOIN pg_depend od ON c.relkind = 'S' AND od.classid = 'pg_class'::regclass AND od.objid = c.oid
                                    AND od.refclassid = 'pg_class'::regclass AND od.deptype IN ('a', 'i')
              LEFT JOIN pg_class ot ON ot.oid = od.refobjid
              LEFT JOIN pg_attribute oa ON oa.attrelid = od.refobjid AND oa.attnum = od.refobjsubid
              LEFT JOIN pg_depend ed ON ed.classid = 'pg_class'::regclass AND ed.objid = c.oid AND ed.deptype = 'e'
              LEFT JOIN pg_extension ext ON ext.oid = ed.refobjid
             WHERE c.relname = ?
             ORDER BY n.nspname <> ?, n.nspname""";

    private static final String TYPES = """
            SELECT n.nspname AS schema, t.typname AS name, t.typtype::text AS kind, c.relkind::text AS relkind,
                   ext.extname AS extension,
                   (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                      FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels
              FROM pg_type t
              JOIN pg_namespace n ON n.oid = t.typnamespace
              LEFT JOIN pg_class c ON c.oid = t.typrelid
              LEFT JOIN pg_depend ed ON ed.classid = 'pg_type'::regclass AND ed.objid = t.oid AND ed.deptype = 'e'
              LEFT JOIN pg_extension ext ON ext.oid = ed.refobjid
             WHERE t.typname = ?
             ORDER BY n.nspname <> ?, n.nspname""";

    private NameClash() {
    }

    static List<String> diagnose(Context ctx) {
        Matcher m;
        if ((m = ctx.match(RELATION)) != null) {
            return relation(ctx, m.group(1));
        }
        if ((m = ctx.match(TYPE)) != null) {
            return type(ctx, m.group(1));
        }
        if ((m = ctx.match(CONSTRAINT)) != null) {
            return constraint(ctx, m.group(1), m.group(2));
        }
        if ((m = ctx.match(SCHEMA)) != null) {
            return schema(ctx, m.group(1));
        }
        return List.of();
    }

    private static List<String> relation(Context ctx, String name) {
        String schema = ctx.schemaOf(name);
        List<Map<String, Object>> rows = ctx.query(RELATIONS, name, schema);
        if (rows.isEmpty()) {
            return nothingHolds(ctx, Creations.Kind.RELATION, schema, name);
        }
        // the holder is in the schema the statement creates in; when mig read that schema wrong
        // (a statement shape it does not know), every holder of the name is shown instead
        List<Map<String, Object>> inSchema = rows.stream().filter(r -> schema.equals(r.get("schema"))).toList();
        List<Map<String, Object>> here = inSchema.isEmpty() ? rows : inSchema;
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> r : here.subList(0, Math.min(3, here.size()))) {
            describeRelation(ctx, r, lines);
        }
        if (here.stream().allMatch(r -> r.get("extension") == null)) {
            lines.addAll(OwnedSchemas.reset(ctx, (String) here.get(0).get("schema")));
        }
        return lines;
    }

    private static void describeRelation(Context ctx, Map<String, Object> r, List<String> lines) {
        String schema = (String) r.get("schema");
        String name = (String) r.get("name");
        String qualified = Names.display(schema, name);
        String dslName = Names.dsl(schema, name, ctx.searchPath());
        char kind = ((String) r.get("kind")).charAt(0);
        if (r.get("extension") != null) {
            lines.add(qualified + " is a " + kindWord(kind) + " of extension " + r.get("extension")
                    + "; leave it to the extension and choose another name");
            return;
        }
        switch (kind) {
            case 'i', 'I' -> {
                if (r.get("con_name") != null) {
                    String conSchemaName = Names.dsl(schema, (String) r.get("con_name"), ctx.searchPath());
                    lines.add("the name belongs to the " + constraintWord((String) r.get("con_type")) + " "
                            + r.get("con_name") + " on table " + Names.display(schema, (String) r.get("con_table"))
                            + ": " + qualified + " is that constraint's index, and index names share one namespace"
                            + " with tables");
                    lines.add("to free it: cleanup { dropConstraintNamed " + conSchemaName + " }");
                } else {
                    lines.add(qualified + " is an index on table " + Names.display(schema, (String) r.get("index_table"))
                            + " (not a constraint's); index names share one namespace with tables");
                    lines.add("to free it: cleanup { dropRelationNamed " + dslName + ", kinds: ['index'] }");
                }
            }
            case 'S' -> {
                if (r.get("owner_table") != null) {
                    lines.add(qualified + " is a sequence owned by column "
                            + Names.display(schema, (String) r.get("owner_table")) + "." + r.get("owner_column")
                            + " (serial or identity): it goes with that column; choose another name");
                } else {
                    lines.add(qualified + " is a sequence that no column owns");
                    lines.add("to free it: cleanup { dropRelationNamed " + dslName + ", kinds: ['sequence'] }"
                            + " (or dropOrphanedSequences())");
                }
            }
            case 'r', 'p', 'f', 'v', 'm' -> {
                String word = kindWord(kind);
                String guardWord = kind == 'v' ? "view" : kind == 'm' ? "materializedView" : "table";
                lines.add(qualified + " is a " + word + " that exists already");
                lines.add("if it is this step's own " + word + " (an earlier attempt, or made by hand): guard { !"
                        + guardWord + "(" + dslName + ").exists() }, or CREATE ... IF NOT EXISTS");
                if (kind != 'f') {
                    lines.add("if it is a leftover: cleanup { dropRelationNamed " + dslName + ", kinds: ['"
                            + (kind == 'p' ? "table" : word) + "'] }" + (kind == 'r' || kind == 'p' ? " (drops its rows)" : ""));
                }
            }
            case 'c' -> {
                lines.add(qualified + " is a composite type (CREATE TYPE ... AS (...))");
                lines.add("to free it: cleanup { dropTypeIfUnused " + dslName + " }");
            }
            default -> lines.add(qualified + " is a " + kindWord(kind));
        }
    }

    private static List<String> type(Context ctx, String name) {
        String[] parts = Context.splitQualified(name);
        String schema = parts[0] != null ? parts[0] : ctx.schemaOf(parts[1]);
        List<Map<String, Object>> rows = ctx.query(TYPES, parts[1], schema).stream()
                .filter(r -> schema.equals(r.get("schema"))).toList();
        if (rows.isEmpty()) {
            return nothingHolds(ctx, Creations.Kind.TYPE, schema, parts[1]);
        }
        Map<String, Object> r = rows.get(0);
        String qualified = Names.display(schema, parts[1]);
        String dslName = Names.dsl(schema, parts[1], ctx.searchPath());
        List<String> lines = new ArrayList<>();
        char kind = ((String) r.get("kind")).charAt(0);
        if (r.get("relkind") != null && !"c".equals(r.get("relkind"))) {
            lines.add(qualified + " is the row type of " + kindWord(((String) r.get("relkind")).charAt(0)) + " " + qualified
                    + ": every table, view and sequence has a type of its own name, so no other type can take it;"
                    + " choose another name");
        } else if (r.get("extension") != null) {
            lines.add(qualified + " is a type of extension " + r.get("extension") + "; choose another name");
        } else {
            lines.add(qualified + " is " + typeWord(kind) + (r.get("labels") != null ? " (" + r.get("labels") + ")" : "")
                    + " that exists already");
            lines.add("if it is this step's own type (an earlier attempt, or made by hand): guard { !type(" + dslName
                    + ").exists() }");
            lines.add("if it is a leftover: cleanup { dropTypeIfUnused " + dslName
                    + " } (left alone, and said so, while a column or function uses it)");
        }
        if (r.get("extension") == null) {
            lines.addAll(OwnedSchemas.reset(ctx, schema));
        }
        return lines;
    }

    private static List<String> constraint(Context ctx, String name, String table) {
        String schema = ctx.schemaOf(table);
        List<Map<String, Object>> rows = ctx.query("""
                SELECT pg_get_constraintdef(con.oid) AS def
                  FROM pg_constraint con
                  JOIN pg_class c ON c.oid = con.conrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE con.conname = ? AND c.relname = ? AND n.nspname = ?""", name, table, schema);
        if (rows.isEmpty()) {
            return nothingHolds(ctx, Creations.Kind.CONSTRAINT, schema, name);
        }
        String dslTable = Names.dsl(schema, table, ctx.searchPath());
        List<String> lines = new ArrayList<>(List.of(
                "table " + Names.display(schema, table) + " already has constraint " + name + ": " + rows.get(0).get("def"),
                "if it is this step's own constraint: guard { !constraint(" + dslTable + ", "
                        + Names.dsl(null, name, List.of()) + ").exists() }",
                "if it is a leftover: cleanup { dropConstraintNamed " + Names.dsl(schema, name, ctx.searchPath()) + " }"));
        lines.addAll(OwnedSchemas.reset(ctx, schema));
        return lines;
    }

    /** 42P06: CREATE SCHEMA of a schema that exists. */
    private static List<String> schema(Context ctx, String name) {
        List<String> lines = new ArrayList<>();
        lines.add("schema " + name + " exists already: write CREATE SCHEMA IF NOT EXISTS " + Names.sqlIdent(name)
                + ", or guard { !schema(" + Names.literal(Names.sqlIdent(name)) + ").exists() }");
        lines.addAll(OwnedSchemas.reset(ctx, name));
        return lines;
    }

    /** After the rollback nothing holds the name: the step made it itself, or someone else dropped it since. */
    private static List<String> nothingHolds(Context ctx, Creations.Kind kind, String schema, String name) {
        return Creations.inStepBefore(ctx.step(), ctx.error().statement(), ctx.failedAt(), kind, schema, name)
                .map(c -> List.of("nothing else holds " + Names.display(schema, name) + ": this step creates it twice,"
                        + " first at " + c.at() + " (rolled back with the step)"))
                .orElse(List.of("nothing holds " + Names.display(schema, name) + " now that the step is rolled back:"
                        + " an earlier statement of this step made it, or another session has dropped it since"));
    }

    static String kindWord(char relkind) {
        return switch (relkind) {
            case 'r' -> "table";
            case 'p' -> "partitioned table";
            case 'i' -> "index";
            case 'I' -> "partitioned index";
            case 'S' -> "sequence";
            case 'v' -> "view";
            case 'm' -> "materialized view";
            case 'f' -> "foreign table";
            case 'c' -> "composite type";
            case 't' -> "TOAST table";
            default -> "relation";
        };
    }

    private static String constraintWord(String contype) {
        return switch (contype) {
            case "p" -> "primary key";
            case "u" -> "unique constraint";
            case "x" -> "exclusion constraint";
            default -> "constraint";
        };
    }

    private static String typeWord(char typtype) {
        return switch (typtype) {
            case 'e' -> "an enum type";
            case 'd' -> "a domain";
            case 'c' -> "a composite type";
            case 'r' -> "a range type";
            case 'm' -> "a multirange type";
            default -> "a type";
        };
    }
}
