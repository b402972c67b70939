package dev.mig.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a database holds, as sorted lines read from pg_catalog alone (no pg_dump): columns with types, defaults and
 * NOT NULL; constraints; indexes and their validity; functions, triggers and views as the server prints them;
 * extensions, enums, sequences, comments, and the row count of every table. The system schemas and mig's journal
 * schema are left out. {@code mig import --check} compares two of them; the import tests keep an independent copy
 * of these queries (src/test/.../imports/CatalogFingerprint.groovy) as their reference.
 *
 * @param lines every line, sorted; a row count is a line {@code rows <table> <n>}
 */
public record SchemaFingerprint(List<String> lines) {

    /** Schemas never compared: the system's and the journal's ({@code %2$s}); {@code %1$s} is the query's schema column. */
    private static final String OUTSIDE = "%1$s NOT IN ('pg_catalog', 'information_schema', 'pg_toast', %2$s) AND %1$s NOT LIKE 'pg\\_temp%%'"
            + " AND %1$s NOT LIKE 'pg\\_toast\\_temp%%'";

    private static final String[][] SECTIONS = {
        {"column", """
            SELECT n.nspname || '.' || c.relname || ' (' || c.relkind::text || ') ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                   || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND {n.nspname}"""},
        {"constraint", """
            SELECT n.nspname || '.' || coalesce(c.relname, '-') || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace LEFT JOIN pg_class c ON c.oid = k.conrelid
            WHERE {n.nspname}"""},
        {"index", """
            SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {n.nspname}"""},
        {"function", """
            SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p') AND {n.nspname}"""},
        {"trigger", """
            SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND {n.nspname}"""},
        {"view", """
            SELECT n.nspname || '.' || c.relname || ' AS ' || pg_get_viewdef(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND {n.nspname}"""},
        {"extension", """
            SELECT e.extname || ' ' || e.extversion || ' in ' || n.nspname
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"""},
        {"enum", """
            SELECT n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE {n.nspname} GROUP BY n.nspname, t.typname"""},
        {"sequence", """
            SELECT schemaname || '.' || sequencename || ' ' || data_type || ' start ' || start_value || ' by ' || increment_by
                   || ' last ' || coalesce(last_value::text, '-')
            FROM pg_sequences WHERE {schemaname}"""},
        {"comment", """
            SELECT o.type || ' ' || o.identity || ' IS ' || d.description
            FROM pg_description d, LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
            WHERE d.objoid >= 16384 AND {coalesce(o.schema, '')}"""},
    };

    private static final String TABLES = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND {n.nspname} ORDER BY 1""";

    public SchemaFingerprint {
        List<String> sorted = new ArrayList<>(lines);
        Collections.sort(sorted);
        lines = List.copyOf(sorted);
    }

    /** Reads the fingerprint of the database {@code c} is connected to, leaving out {@code journalSchema}. */
    public static SchemaFingerprint of(Connection c, String journalSchema) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (String[] section : SECTIONS) {
            for (String line : strings(c, section[1], journalSchema)) {
                lines.add(section[0] + " " + line);
            }
        }
        for (String table : strings(c, TABLES, journalSchema)) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                lines.add("rows " + table + " " + rs.getLong(1));
            }
        }
        return new SchemaFingerprint(lines);
    }

    /** The lines that are not row counts: one per object (a column, an index, a comment...). */
    public int objects() {
        return (int) lines.stream().filter(l -> !l.startsWith("rows ")).count();
    }

    /** The tables whose rows were counted. */
    public int tables() {
        return lines.size() - objects();
    }

    /** A line of one side only; {@code mine} says it is in this fingerprint and not in the other. */
    public record Difference(boolean mine, String line) {
    }

    /**
     * The lines of this fingerprint not in {@code other} ({@code mine} true) and of {@code other} not in this one, in
     * sorted order; a line twice on one side and once on the other is one difference.
     */
    public List<Difference> diff(SchemaFingerprint other) {
        Map<String, Integer> theirs = new HashMap<>();
        other.lines.forEach(l -> theirs.merge(l, 1, Integer::sum));
        Map<String, Integer> ours = new HashMap<>();
        lines.forEach(l -> ours.merge(l, 1, Integer::sum));
        List<Difference> out = new ArrayList<>();
        for (String l : lines) {
            if (theirs.merge(l, -1, Integer::sum) < 0) {
                out.add(new Difference(true, l));
            }
        }
        for (String l : other.lines) {
            if (ours.merge(l, -1, Integer::sum) < 0) {
                out.add(new Difference(false, l));
            }
        }
        out.sort((a, b) -> a.line().equals(b.line()) ? Boolean.compare(b.mine(), a.mine()) : a.line().compareTo(b.line()));
        return out;
    }

    private static List<String> strings(Connection c, String query, String journalSchema) throws SQLException {
        // "{expr}" is the query's schema column: it becomes the test that leaves out the system and journal schemas
        int open = query.indexOf('{');
        String sql = query;
        if (open >= 0) {
            int close = query.indexOf('}', open);
            String literal = "'" + journalSchema.replace("'", "''") + "'";
            sql = query.substring(0, open) + String.format(OUTSIDE, query.substring(open + 1, close), literal) + query.substring(close + 1);
        }
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
