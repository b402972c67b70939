package dev.mig.testing

import groovy.sql.Sql

/** What any change to a database would show: its catalog, and every row of the journal. */
final class Fingerprint {

    private Fingerprint() {
    }

    static Map of(Sql s, String journal = 'mig') {
        new LinkedHashMap(schema(s, '')) + [journal: journalRows(s, journal)]
    }

    /**
     * The catalog alone, leaving out the objects of schema {@code except} (the journal's, say) and
     * of pg_toast, where the journal's tables would have theirs.
     */
    static Map schema(Sql s, String except) {
        s.firstRow('''
            WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname <> ? AND nspname <> 'pg_toast')
            SELECT md5(coalesce((SELECT string_agg(format('%s.%s %s %s', n.nspname, c.relname, c.relkind, c.relfilenode), ',' ORDER BY 1)
                                   FROM pg_class c JOIN ns n ON n.oid = c.relnamespace), '')) AS relations,
                   md5(coalesce((SELECT string_agg(format('%s.%s %s %s', attrelid, attname, atttypid, attnotnull), ',' ORDER BY 1)
                                   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
                                  WHERE attnum > 0 AND NOT attisdropped), '')) AS columns,
                   md5(coalesce((SELECT string_agg(format('%s %s %s', conrelid, conname, convalidated), ',' ORDER BY 1)
                                   FROM pg_constraint JOIN ns ON ns.oid = connamespace), '')) AS constraints,
                   (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM ns) AS schemas,
                   (SELECT count(*) FROM pg_proc) AS functions,
                   (SELECT count(*) FROM pg_type JOIN ns ON ns.oid = typnamespace) AS types''', [except]) as Map
    }

    private static Map journalRows(Sql s, String journal) {
        boolean hasJournal = s.firstRow('SELECT to_regclass(?) IS NOT NULL AS j', ["${journal}.steps".toString()]).j
        hasJournal ? [
                steps  : s.rows("SELECT to_jsonb(t)::text AS r FROM ${journal}.steps t ORDER BY plan, step".toString())*.r,
                history: s.rows("SELECT to_jsonb(t)::text AS r FROM ${journal}.history t ORDER BY id".toString())*.r,
                meta   : s.rows("SELECT to_jsonb(t)::text AS r FROM ${journal}.journal_meta t".toString())*.r] : null
    }
}
