package dev.mig.dsl

import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/**
 * The SQL of {@code changeColumnType} (docs/DSL.md, "Safe schema changes on busy tables"): the
 * check of what depends on the column, the copy of its indexes, and the swap. Names come in as
 * SQL literals ({@link #lit}) or as SQL names as written; the checks run inside the phase's own
 * transaction, so nothing is changed when they refuse.
 */
@CompileStatic
@PackageScope
final class ColumnTypeSql {

    /** The dollar quote of the DO blocks and the trigger function; a using: expression may not hold it. */
    static final String TAG = '$mig_ctype$'

    private ColumnTypeSql() {
    }

    static String lit(String text) { "'" + text.replace("'", "''") + "'" }

    /**
     * The plain indexes on the column that the copy phase builds again on the new column, for
     * relation {@code ?1} and column number {@code ?2}: an index that backs no constraint, with the
     * column among its key or INCLUDE columns, and neither an expression nor a WHERE that reads it
     * (those are refused). {@code ?3} is the new column's name. Columns: the index's oid and name, its
     * schema, and the CREATE statement without the index's name ({@code head}, {@code tail}).
     */
    static final String INDEXES = '''SELECT i.indexrelid::bigint AS oid, c.relname::text AS name, n.nspname::text AS schema,
 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX CONCURRENTLY' AS head,
 ' ON ' || i.indrelid::regclass::text || ' USING ' || am.amname || ' (' ||
 (SELECT string_agg(CASE WHEN k.a = ?2 THEN quote_ident(?3) ELSE pg_get_indexdef(i.indexrelid, k.n::int, true) END
   || CASE WHEN i.indoption[k.n - 1] & 1 = 1 THEN ' DESC' || CASE WHEN i.indoption[k.n - 1] & 2 = 0 THEN ' NULLS LAST' ELSE '' END
           WHEN i.indoption[k.n - 1] & 2 = 2 THEN ' NULLS FIRST' ELSE '' END, ', ' ORDER BY k.n)
  FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(a, n) WHERE k.n <= i.indnkeyatts) || ')' ||
 coalesce((SELECT ' INCLUDE (' || string_agg(CASE WHEN k.a = ?2 THEN quote_ident(?3) ELSE pg_get_indexdef(i.indexrelid, k.n::int, true) END,
   ', ' ORDER BY k.n) || ')' FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(a, n) WHERE k.n > i.indnkeyatts), '') ||
 coalesce(' WITH (' || array_to_string(c.reloptions, ', ') || ')', '') ||
 coalesce(' WHERE ' || pg_get_expr(i.indpred, i.indrelid, true), '') AS tail
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
WHERE i.indrelid = ?1 AND ?2 = ANY (i.indkey::int2[]) AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY c.relname'''

    /** {@link #INDEXES} as a JDBC question: relation by name, column by name. */
    static String indexes(String relation, String column, String newColumn) {
        INDEXES.replace('?1', "to_regclass(${lit(relation)})")
                .replace('?2', "(SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass(${lit(relation)}) AND attname = ${lit(column)}"
                        + ' AND NOT attisdropped)')
                .replace('?3', lit(newColumn))
    }

    /**
     * Why the column cannot be changed this way, one line each, none when it can: read from
     * {@code pg_depend} and the catalog, for relation {@code rel} and column number {@code att}
     * (plpgsql variables of the DO block).
     */
    private static final String PROBLEMS = '''
SELECT string_agg(DISTINCT what, '; ' ORDER BY what) INTO problems FROM (
 SELECT CASE
  WHEN d.classid = 'pg_constraint'::regclass THEN (SELECT CASE k.contype WHEN 'p' THEN 'it is in primary key '
      WHEN 'u' THEN 'it is in unique constraint ' WHEN 'f' THEN 'it is in foreign key ' WHEN 'x' THEN 'it is in exclusion constraint '
      WHEN 'c' THEN 'check constraint ' WHEN 'n' THEN NULL ELSE 'constraint ' END || quote_ident(k.conname)
      || CASE WHEN k.conrelid <> rel THEN ' of table ' || k.conrelid::regclass::text ELSE '' END || CASE WHEN k.contype = 'c' THEN ' reads it' ELSE '' END
      FROM pg_constraint k WHERE k.oid = d.objid)
  WHEN d.classid = 'pg_rewrite'::regclass THEN (SELECT CASE WHEN r.rulename = '_RETURN' THEN 'view ' || r.ev_class::regclass::text
      || ' reads it' ELSE 'rule ' || quote_ident(r.rulename) || ' on ' || r.ev_class::regclass::text || ' reads it' END
      FROM pg_rewrite r WHERE r.oid = d.objid)
  WHEN d.classid = 'pg_attrdef'::regclass THEN (SELECT 'generated column ' || quote_ident(a.attname) || ' reads it'
      FROM pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum WHERE ad.oid = d.objid AND ad.adnum <> att)
  WHEN d.classid = 'pg_class'::regclass AND d.objid = rel THEN 'it is in the partition key'
  WHEN d.classid = 'pg_class'::regclass AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'S'
      THEN 'sequence ' || d.objid::regclass::text || ' belongs to it (serial or identity)'
  WHEN d.classid = 'pg_class'::regclass AND (SELECT relkind FROM pg_class WHERE oid = d.objid) IN ('i', 'I') THEN (SELECT CASE
      WHEN EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid) THEN NULL
      WHEN coalesce(i.indexprs::text, '') || coalesce(i.indpred::text, '') ~ (':varattno ' || att || ' ')
          THEN 'index ' || d.objid::regclass::text || ' reads it in an expression or WHERE'
      WHEN EXISTS (SELECT FROM unnest(i.indclass::oid[]) o JOIN pg_opclass oc ON oc.oid = o WHERE NOT oc.opcdefault)
          OR pg_get_indexdef(i.indexrelid) ~ ' COLLATE '
          THEN 'index ' || d.objid::regclass::text || ' has an operator class or collation of its own'
      END FROM pg_index i WHERE i.indexrelid = d.objid)
  WHEN d.classid = 'pg_trigger'::regclass THEN (SELECT 'trigger ' || quote_ident(t.tgname) || ' reads it (UPDATE OF or WHEN)'
      FROM pg_trigger t WHERE t.oid = d.objid)
  ELSE pg_describe_object(d.classid, d.objid, d.objsubid) || ' depends on it'
 END AS what
 FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = rel AND d.refobjsubid = att
 UNION ALL SELECT 'the table is partitioned' FROM pg_class WHERE oid = rel AND relkind = 'p'
 UNION ALL SELECT 'the table is a partition' FROM pg_class WHERE oid = rel AND relispartition
 UNION ALL SELECT 'the table has inheritance children or parents' WHERE EXISTS (SELECT FROM pg_inherits WHERE inhrelid = rel OR inhparent = rel)
 UNION ALL SELECT 'it is ' || CASE WHEN attidentity <> '' THEN 'an identity' ELSE 'a generated' END || ' column'
     FROM pg_attribute WHERE attrelid = rel AND attnum = att AND (attidentity <> '' OR attgenerated <> '')
 UNION ALL SELECT 'it has column privileges (GRANT ... (column))' FROM pg_attribute WHERE attrelid = rel AND attnum = att AND attacl IS NOT NULL
 UNION ALL SELECT 'the table has no primary key, which the batched copy needs'
     WHERE NOT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = rel AND i.indisprimary)
) p WHERE what IS NOT NULL'''

    /**
     * A DO block that fails, naming every dependency that the swap would break, when the column
     * cannot be changed this way; {@code word} is the plan's line for the message.
     */
    static String refuse(String table, String column, String word) {
        """DO ${TAG}
DECLARE
    rel regclass := to_regclass(${lit(table)});
    att int2;
    problems text;
BEGIN
    IF rel IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = ${lit("changeColumnType: table ${table} does not exist".toString())};
    END IF;
    SELECT attnum INTO att FROM pg_attribute WHERE attrelid = rel AND attname = ${lit(column)} AND attnum > 0 AND NOT attisdropped;
    IF att IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = ${lit("changeColumnType: table ${table} has no column ${column}".toString())};
    END IF;
    ${PROBLEMS.trim().replace('\n', '\n    ')};
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '55000',
            MESSAGE = format('%s cannot swap in a new column for %s.%s: %s', ${lit(word)}, rel, ${lit(column)}, problems),
            HINT = 'drop what depends on the column (and create it again afterwards), or change the type with ALTER TABLE'
                || ' ... ALTER COLUMN ... TYPE in a step of its own, which rewrites the table under an ACCESS EXCLUSIVE lock';
    END IF;
END
${TAG}""".toString()
    }

    /**
     * The swap, one transaction: the trigger and its function dropped, the columns renamed, the
     * old one's default and comment moved to the new one, the old indexes dropped and their
     * copies given their names. Fails when an index on the column has no valid copy.
     */
    static String swap(String table, String column, String newColumn, String oldColumn, String trigger, String function) {
        String t = table
        String c = SafeWords.name(column)
        String n = SafeWords.name(newColumn)
        String o = SafeWords.name(oldColumn)
        """DO ${TAG}
DECLARE
    rel regclass := to_regclass(${lit(table)});
    att int2 := (SELECT attnum FROM pg_attribute WHERE attrelid = rel AND attname = ${lit(column)} AND NOT attisdropped);
    def text := (SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = rel AND adnum = att);
    note text := col_description(rel, att);
    olds text[] := '{}';
    copies text[] := '{}';
    names text[] := '{}';
    r record;
BEGIN
    FOR r IN ${indexes(table, column, newColumn).replace('\n', '\n        ')} LOOP
        IF NOT EXISTS (SELECT FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = rel AND i.indisvalid
                AND c.relname = 'mig_ctype_' || r.oid) THEN
            RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = format('index %I.%I on %s.%s has no copy on the new column', r.schema, r.name, rel, ${lit(column)}),
                HINT = 'it was made after the indexes were copied: drop it, run the plan again, and create it again afterwards';
        END IF;
        olds := olds || format('%I.%I', r.schema, r.name);
        copies := copies || format('%I.%I', r.schema, 'mig_ctype_' || r.oid);
        names := names || r.name::text;
    END LOOP;
    DROP TRIGGER ${trigger} ON ${t};
    DROP FUNCTION ${function}();
    ALTER TABLE ${t} RENAME COLUMN ${c} TO ${o};
    ALTER TABLE ${t} ALTER COLUMN ${o} DROP NOT NULL;
    ALTER TABLE ${t} ALTER COLUMN ${o} DROP DEFAULT;
    ALTER TABLE ${t} RENAME COLUMN ${n} TO ${c};
    IF def IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', rel, ${lit(column)}, def);
    END IF;
    IF note IS NOT NULL THEN
        EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', rel, ${lit(column)}, note);
    END IF;
    FOR i IN 1 .. coalesce(array_length(olds, 1), 0) LOOP
        EXECUTE 'DROP INDEX ' || olds[i];
        EXECUTE format('ALTER INDEX %s RENAME TO %I', copies[i], names[i]);
    END LOOP;
END
${TAG}""".toString()
    }
}
