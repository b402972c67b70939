package dev.mig.testing

import groovy.sql.Sql

/** What any change to a database would show: its catalog, and every row of the journal. */
final class Fingerprint {

    private Fingerprint() {
    }

    static Map of(Sql s, String journal = 'mig') {
        def catalog = s.firstRow('''
            SELECT md5(coalesce((SELECT string_agg(format('%s.%s %s %s', n.nspname, c.relname, c.relkind, c.relfilenode), ',' ORDER BY 1)
                                   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace), '')) AS relations,
                   md5(coalesce((SELECT string_agg(format('%s.%s %s %s', attrelid, attname, atttypid, attnotnull), ',' ORDER BY 1)
                                   FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped), '')) AS columns,
                   md5(coalesce((SELECT string_agg(format('%s %s %s', conrelid, conname, convalidated), ',' ORDER BY 1)
                                   FROM pg_constraint), '')) AS constraints,
                   (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace) AS schemas,
                   (SELECT count(*) FROM pg_proc) AS functions,
                   (SELECT count(*) FROM pg_type) AS types''') as Map
        boolean hasJournal = s.firstRow('SELECT to_regclass(?) IS NOT NULL AS j', ["${journal}.steps".toString()]).j
        new LinkedHashMap(catalog) + [journal: hasJournal ? [
                steps  : s.rows("SELECT to_jsonb(t)::text AS r FROM ${journal}.steps t ORDER BY plan, step".toString())*.r,
                history: s.rows("SELECT to_jsonb(t)::text AS r FROM ${journal}.history t ORDER BY id".toString())*.r,
                meta   : s.rows("SELECT to_jsonb(t)::text AS r FROM ${journal}.journal_meta t".toString())*.r] : null]
    }
}
