package dev.mig.imports

import groovy.sql.Sql

/**
 * A deterministic text dump of what a database holds, read from pg_catalog alone (no pg_dump):
 * columns with types, defaults and NOT NULL; constraints; indexes and their validity; functions,
 * triggers and views as the server prints them; extensions, enums, sequences, comments, and
 * the row count of every table. mig's own schema is left out.
 */
final class CatalogFingerprint {

    static final String SCHEMAS = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'mig') AND %s NOT LIKE 'pg_temp%%' AND %s NOT LIKE 'pg_toast_temp%%'"

    private static String outside(String column) { column + ' ' + String.format(SCHEMAS, column, column) }

    static List<String> of(Sql sql) {
        List<String> lines = []
        section(lines, sql, 'column', """
            SELECT n.nspname || '.' || c.relname || ' (' || c.relkind::text || ') ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                   || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND ${outside('n.nspname')}
            ORDER BY n.nspname, c.relname, a.attnum""")
        section(lines, sql, 'constraint', """
            SELECT n.nspname || '.' || coalesce(c.relname, '-') || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
            FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace LEFT JOIN pg_class c ON c.oid = k.conrelid
            WHERE ${outside('n.nspname')} ORDER BY 1""")
        section(lines, sql, 'index', """
            SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END AS line
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE ${outside('n.nspname')} ORDER BY 1""")
        section(lines, sql, 'function', """
            SELECT pg_get_functiondef(p.oid) AS line
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p') AND ${outside('n.nspname')} ORDER BY 1""")
        section(lines, sql, 'trigger', """
            SELECT pg_get_triggerdef(t.oid) AS line FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND ${outside('n.nspname')} ORDER BY 1""")
        section(lines, sql, 'view', """
            SELECT n.nspname || '.' || c.relname || ' AS ' || pg_get_viewdef(c.oid) AS line
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm') AND ${outside('n.nspname')} ORDER BY 1""")
        section(lines, sql, 'extension', """
            SELECT e.extname || ' ' || e.extversion || ' in ' || n.nspname AS line
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1""")
        section(lines, sql, 'enum', """
            SELECT n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE ${outside('n.nspname')} GROUP BY n.nspname, t.typname ORDER BY 1""")
        section(lines, sql, 'sequence', """
            SELECT schemaname || '.' || sequencename || ' ' || data_type || ' start ' || start_value || ' by ' || increment_by
                   || ' last ' || coalesce(last_value::text, '-') AS line
            FROM pg_sequences WHERE ${outside('schemaname')} ORDER BY 1""")
        section(lines, sql, 'comment', """
            SELECT o.type || ' ' || o.identity || ' IS ' || d.description AS line
            FROM pg_description d, LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
            WHERE d.objoid >= 16384 AND coalesce(o.schema, '') ${String.format(SCHEMAS, "coalesce(o.schema, '')", "coalesce(o.schema, '')")}
            ORDER BY 1""")
        List<String> tables = sql.rows("""
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND ${outside('n.nspname')} ORDER BY 1""".toString())*.t
        tables.each { t -> lines << "rows ${t} ${sql.firstRow('SELECT count(*) AS n FROM ' + t).n}".toString() }
        lines
    }

    private static void section(List<String> lines, Sql sql, String kind, String query) {
        sql.rows(query.toString()).each { lines << "${kind} ${it.line}".toString() }
    }
}
