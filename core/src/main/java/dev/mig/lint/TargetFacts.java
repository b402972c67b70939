package dev.mig.lint;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.Identifiers;
import dev.mig.catalog.QualifiedName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What lint asks of the target's catalog: whether a table exists and its size, a column's type,
 * the table's check constraints, a function's volatility, a cast. Without a target every answer is
 * "unknown" ({@link #none()}), and lint works from the plan alone.
 *
 * <p>Sizes are the planner's estimates ({@code reltuples}, {@code relpages} of the table, its
 * TOAST table and, for a partitioned or inherited table, every table below it), as fresh as the
 * last VACUUM, ANALYZE or CREATE INDEX. They are read from {@code pg_class} alone, which takes no
 * lock on the table: {@code pg_relation_size} would wait behind a migration holding ACCESS
 * EXCLUSIVE, which is when someone runs lint. Names go in as bind parameters through
 * {@code to_regclass}, quoted by {@link Identifiers}.
 */
public final class TargetFacts {

    /** The estimated size of a table; {@code rows} null when it was never analyzed. */
    public record TableSize(char kind, Double rows, long bytes, String pretty) {

        boolean partitioned() {
            return kind == 'p';
        }

        /** {@code ~2.1M rows, 180 MB}, or {@code 0 bytes, never analyzed} when there is no row estimate yet. */
        String describe() {
            return rows == null ? pretty + ", never analyzed" : "~" + approximate(rows) + " rows, " + pretty;
        }
    }

    /** A column's type on the target: {@code format_type} text, type oid and name, and {@code atttypmod}. */
    record ColumnType(String shown, long oid, String typname, int typmod) {
    }

    /** A type the target knows by that name: its oid, {@code typname} and {@code format_type} text. */
    record TypeName(long oid, String typname, String shown) {
    }

    /** A CHECK constraint: its name, {@code pg_get_constraintdef} text and whether it is validated. */
    record Check(String name, String definition, boolean validated) {
    }

    private final Catalog catalog;
    private final Map<QualifiedName, Optional<TableSize>> sizes = new HashMap<>();
    private final Map<String, Optional<String>> schemas = new HashMap<>();
    private String currentSchema;

    private TargetFacts(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Facts read on this catalog's connection, in the caller's (read-only) transaction. */
    public static TargetFacts of(Catalog catalog) {
        return new TargetFacts(catalog);
    }

    /** No target: every question is unknown. */
    public static TargetFacts none() {
        return new TargetFacts(null);
    }

    public boolean connected() {
        return catalog != null;
    }

    /**
     * The schema an unqualified relation name means: where the target's search path finds it, else
     * where a CREATE would put it ({@code current_schema()}); {@code public}, PostgreSQL's default,
     * without a target.
     */
    String schemaFor(String name) {
        if (catalog == null) {
            return "public";
        }
        Optional<String> found = schemas.computeIfAbsent(name, n -> Optional.ofNullable((String) catalog.value("""
                SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.oid = to_regclass(?)""", Identifiers.quote(n))));
        return found.orElseGet(this::currentSchema);
    }

    String currentSchema() {
        if (currentSchema == null) {
            Object schema = catalog == null ? null : catalog.value("SELECT current_schema()::text");
            currentSchema = schema == null ? "public" : (String) schema;
        }
        return currentSchema;
    }

    /** The table (ordinary, partitioned or materialized view) of that name on the target, with its size. */
    Optional<TableSize> table(QualifiedName name) {
        if (catalog == null) {
            return Optional.empty();
        }
        return sizes.computeIfAbsent(name, n -> {
            List<Map<String, Object>> rows = catalog.query("""
                    WITH RECURSIVE tree(oid) AS (
                        SELECT to_regclass(?)::oid
                        UNION ALL
                        SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid
                    ), totals AS (
                        SELECT sum(greatest(c.reltuples, 0))::float8 AS tuples,
                               coalesce(bool_or(c.reltuples < 0 AND c.relkind IN ('r', 'm')), false) AS unanalyzed,
                               sum(c.relpages::int8 + coalesce(t.relpages, 0)) * current_setting('block_size')::int8 AS bytes
                          FROM tree JOIN pg_class c ON c.oid = tree.oid
                          LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
                    )
                    SELECT c.relkind::text AS kind, totals.tuples, totals.unanalyzed, coalesce(totals.bytes, 0) AS bytes,
                           pg_size_pretty(coalesce(totals.bytes, 0)) AS pretty
                      FROM pg_class c, totals
                     WHERE c.oid = to_regclass(?) AND c.relkind IN ('r', 'p', 'm')""", n.quoted(), n.quoted());
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Object> r = rows.get(0);
            Double tuples = Boolean.TRUE.equals(r.get("unanalyzed")) || r.get("tuples") == null ? null
                    : ((Number) r.get("tuples")).doubleValue();
            return Optional.of(new TableSize(((String) r.get("kind")).charAt(0), tuples, ((Number) r.get("bytes")).longValue(),
                    (String) r.get("pretty")));
        });
    }

    /** The table an index of that name belongs to, or null. */
    QualifiedName tableOfIndex(QualifiedName index) {
        if (catalog == null) {
            return null;
        }
        Map<String, Object> row = first("""
                SELECT n.nspname::text AS schema, c.relname::text AS name
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE i.indexrelid = to_regclass(?)""", index.quoted());
        return row == null ? null : new QualifiedName((String) row.get("schema"), (String) row.get("name"));
    }

    /**
     * The table's valid single-column unique keys without a predicate or expression (its primary
     * key first), and whether its primary key is one column; null when unknown (no target).
     */
    Keys keys(QualifiedName table) {
        if (catalog == null) {
            return null;
        }
        String primary = null;
        boolean hasPrimary = false;
        List<String> unique = new ArrayList<>();
        for (Map<String, Object> r : catalog.query("""
                SELECT i.indisprimary AS "primary", i.indnkeyatts AS n, a.attname::text AS col
                  FROM pg_index i LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                 WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
                 ORDER BY i.indisprimary DESC""", table.quoted())) {
            boolean single = ((Number) r.get("n")).intValue() == 1 && r.get("col") != null;
            if (Boolean.TRUE.equals(r.get("primary"))) {
                hasPrimary = true;
                primary = single ? (String) r.get("col") : null;
            }
            if (single) {
                unique.add((String) r.get("col"));
            }
        }
        return new Keys(hasPrimary, primary, unique);
    }

    /** What {@link #keys} found: {@code primaryKey} null when there is none or it has several columns. */
    record Keys(boolean hasPrimaryKey, String primaryKey, List<String> unique) {
    }

    /** The live columns of a table on the target, in order; empty when unknown. */
    List<String> columns(QualifiedName table) {
        List<String> out = new ArrayList<>();
        if (catalog == null) {
            return out;
        }
        for (Map<String, Object> r : catalog.query("""
                SELECT attname::text AS name FROM pg_attribute
                 WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum""", table.quoted())) {
            out.add((String) r.get("name"));
        }
        return out;
    }

    ColumnType columnType(QualifiedName table, String column) {
        if (catalog == null) {
            return null;
        }
        Map<String, Object> row = first("""
                SELECT format_type(a.atttypid, a.atttypmod) AS shown, a.atttypid::int8 AS oid, t.typname::text AS typname,
                       a.atttypmod AS typmod
                  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                 WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped""",
                table.quoted(), column);
        return row == null ? null : new ColumnType((String) row.get("shown"), ((Number) row.get("oid")).longValue(),
                (String) row.get("typname"), ((Number) row.get("typmod")).intValue());
    }

    /** The type a type name written in SQL means on the target ({@code to_regtype}, modifiers ignored), or null. */
    TypeName type(String written) {
        if (catalog == null) {
            return null;
        }
        Map<String, Object> row;
        try {
            // before PostgreSQL 16, to_regtype raises an error for text that is not a type name at all
            row = catalog.attempt(() -> first("""
                    SELECT t.oid::int8 AS oid, t.typname::text AS typname, format_type(t.oid, NULL) AS shown
                      FROM pg_type t WHERE t.oid = to_regtype(?)""", written));
        } catch (dev.mig.api.MigException e) {
            return null;
        }
        return row == null ? null : new TypeName(((Number) row.get("oid")).longValue(), (String) row.get("typname"),
                (String) row.get("shown"));
    }

    /** Whether {@code from} converts to {@code to} without a function (a binary-coercible cast). */
    boolean binaryCoercible(long from, long to) {
        return catalog != null && first("""
                SELECT 1 FROM pg_cast WHERE castsource = ?::oid AND casttarget = ?::oid AND castmethod = 'b'""", from, to) != null;
    }

    /** The CHECK constraints of a table on the target. */
    List<Check> checks(QualifiedName table) {
        List<Check> out = new ArrayList<>();
        if (catalog == null) {
            return out;
        }
        for (Map<String, Object> r : catalog.query("""
                SELECT conname::text AS name, pg_get_constraintdef(oid) AS def, convalidated AS validated
                  FROM pg_constraint WHERE conrelid = to_regclass(?) AND contype = 'c' ORDER BY conname""", table.quoted())) {
            out.add(new Check((String) r.get("name"), (String) r.get("def"), Boolean.TRUE.equals(r.get("validated"))));
        }
        return out;
    }

    /**
     * Whether a function of that name is volatile on the target (any visible overload, or any in the
     * schema given); null when the target has none of that name, or there is no target.
     */
    Boolean volatileFunction(String schema, String name) {
        if (catalog == null) {
            return null;
        }
        Object answer = schema == null
                ? catalog.value("SELECT bool_or(provolatile = 'v') FROM pg_proc WHERE proname = ? AND pg_function_is_visible(oid)", name)
                : catalog.value("""
                        SELECT bool_or(p.provolatile = 'v') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE p.proname = ? AND n.nspname = ?""", name, schema);
        return (Boolean) answer;
    }

    private Map<String, Object> first(String sql, Object... args) {
        List<Map<String, Object>> rows = catalog.query(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** {@code 950}, {@code 12k}, {@code 2.1M}, {@code 3.4G}: as a person reads an estimate. */
    static String approximate(double n) {
        if (n < 1000) {
            return String.valueOf(Math.round(n));
        }
        String[] units = {"k", "M", "G", "T"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        String number = v < 10 ? String.format(java.util.Locale.ROOT, "%.1f", v) : String.valueOf(Math.round(v));
        return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + units[u];
    }
}
