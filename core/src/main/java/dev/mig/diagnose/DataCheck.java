package dev.mig.diagnose;

import dev.mig.api.MigException;
import dev.mig.catalog.Identifiers;
import dev.mig.diagnose.StatementShapes.ForeignKey;
import dev.mig.sql.SqlTokens;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 23503, 23505 and 23502 raised while a constraint is added to rows that break it: how many rows,
 * and a few of them. Only the constraint-adding statements are diagnosed (ADD FOREIGN KEY,
 * VALIDATE CONSTRAINT, a unique index or constraint, SET NOT NULL, ADD COLUMN ... NOT NULL);
 * for an INSERT or UPDATE the server's detail already names the row.
 *
 * <p>Every name in these queries comes from the catalog or the server's error fields, is checked
 * against the table's columns, and goes into SQL through {@link Identifiers}; the counts run under
 * the diagnosis' statement timeout.
 */
final class DataCheck {

    private static final Pattern FK_DETAIL = Pattern.compile("Key \\((.+)\\)=\\((.*)\\) is not present in table \"(.+)\"\\.",
            Pattern.DOTALL);
    private static final Pattern UNIQUE_INDEX = Pattern.compile("could not create unique index \"(.+)\"");
    private static final Pattern DUPLICATE_DETAIL = Pattern.compile("Key \\((.+)\\)=\\((.*)\\) is duplicated\\.", Pattern.DOTALL);
    private static final Pattern NULLS = Pattern.compile("column \"(.+)\" of relation \"(.+)\" contains null values");
    private static final int SAMPLE = 5;

    private DataCheck() {
    }

    // ---- 23503 -------------------------------------------------------------------------------

    static List<String> foreignKey(Context ctx) {
        ServerError e = ctx.error();
        List<SqlTokens.Token> t = ctx.tokens();
        if (t.isEmpty() || !t.get(0).is("ALTER") || e.table() == null || e.schema() == null) {
            return List.of();
        }
        ForeignKey inCatalog = fromCatalog(ctx);
        ForeignKey fk = inCatalog != null ? inCatalog : fromStatement(ctx, t);
        if (fk == null) {
            return List.of();
        }
        Map<String, Object> ref = first(ctx.query("""
                SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.oid = to_regclass(?)""", Identifiers.qualified(fk.refSchema(), fk.refTable())));
        if (ref == null) {
            return List.of();
        }
        String refSchema = (String) ref.get("schema");
        String refTable = (String) ref.get("name");
        List<String> refColumns = fk.refColumns().isEmpty() ? primaryKey(ctx, refSchema, refTable) : fk.refColumns();
        List<String> columns = columns(ctx, e.schema(), e.table());
        if (refColumns.size() != fk.columns().size() || !columns.containsAll(fk.columns())
                || !columns(ctx, refSchema, refTable).containsAll(refColumns)) {
            return List.of();
        }

        String child = Identifiers.qualified(e.schema(), e.table());
        List<String> notNull = new ArrayList<>();
        List<String> match = new ArrayList<>();
        for (int i = 0; i < fk.columns().size(); i++) {
            notNull.add("c." + Identifiers.quote(fk.columns().get(i)) + " IS NOT NULL");
            match.add("p." + Identifiers.quote(refColumns.get(i)) + " = c." + Identifiers.quote(fk.columns().get(i)));
        }
        String from = " FROM " + child + " AS c WHERE " + String.join(" AND ", notNull)
                + " AND NOT EXISTS (SELECT 1 FROM " + Identifiers.qualified(refSchema, refTable) + " AS p WHERE "
                + String.join(" AND ", match) + ")";
        String target = Names.display(refSchema, refTable) + "(" + String.join(", ", refColumns) + ")";
        String table = Names.display(e.schema(), e.table());
        String keys = fk.columns().size() == 1 ? fk.columns().get(0) : "(" + String.join(", ", fk.columns()) + ")";

        List<String> lines = new ArrayList<>();
        String counted = counted(ctx, () -> {
            Map<String, Object> totals = first(ctx.query("SELECT count(*) AS keys, coalesce(sum(n), 0) AS rows FROM (SELECT "
                    + selectText(fk.columns()) + ", count(*) AS n" + from + " GROUP BY " + groupBy(fk.columns().size()) + ") d"));
            long rows = ((Number) totals.get("rows")).longValue();
            if (rows == 0) {
                lines.add("no committed row of " + table + " breaks the key: the rows that do come from this step's own"
                        + " earlier statements (rolled back with it)");
                return null;
            }
            lines.add(Names.count(rows, "row", "rows") + " of " + table + " have a " + keys + " that " + target
                    + " does not have (" + Names.count(((Number) totals.get("keys")).longValue(), "value", "values")
                    + "), most frequent first:");
            lines.add("  " + sample(ctx, "SELECT " + selectText(fk.columns()) + ", count(*) AS n" + from + " GROUP BY "
                    + groupBy(fk.columns().size()) + " ORDER BY n DESC, 1 LIMIT " + SAMPLE, fk.columns()));
            lines.add("fix or delete those rows first; or add the key NOT VALID (only new rows are checked) and"
                    + " VALIDATE CONSTRAINT once they are clean");
            return null;
        });
        if (counted != null) {
            lines.add(counted);
        }
        polymorphic(ctx, fk.columns(), columns, from, lines);
        return lines;
    }

    /** A key column {@code x_id} beside a column {@code x_type} is one column pointing at several tables. */
    private static void polymorphic(Context ctx, List<String> keyColumns, List<String> columns, String from, List<String> lines) {
        for (String column : keyColumns) {
            if (!column.endsWith("_id")) {
                continue;
            }
            String sibling = column.substring(0, column.length() - 3) + "_type";
            if (!columns.contains(sibling)) {
                continue;
            }
            lines.add(column + " has a sibling column " + sibling + ": the key looks polymorphic (one column pointing at"
                    + " several tables, chosen by " + sibling + "), which a plain foreign key cannot express; use one key"
                    + " column per target table, or no foreign key");
            String counted = counted(ctx, () -> {
                List<String> byType = new ArrayList<>();
                for (Map<String, Object> r : ctx.query("SELECT c." + Identifiers.quote(sibling) + "::text AS t, count(*) AS n"
                        + from + " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT " + SAMPLE)) {
                    byType.add(shorten(r.get("t")) + " " + r.get("n"));
                }
                if (!byType.isEmpty()) {
                    lines.add("  the rows without a match, by " + sibling + ": " + String.join(", ", byType));
                }
                return null;
            });
            if (counted != null) {
                lines.add(counted);
            }
        }
    }

    /** A foreign key already in the catalog (VALIDATE CONSTRAINT of a NOT VALID one). */
    private static ForeignKey fromCatalog(Context ctx) {
        ServerError e = ctx.error();
        if (e.constraint() == null) {
            return null;
        }
        Map<String, Object> row = first(ctx.query("""
                SELECT array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols,
                       rn.nspname AS ref_schema, rc.relname AS ref_table,
                       array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_cols
                  FROM pg_constraint con
                  JOIN pg_class c ON c.oid = con.conrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_class rc ON rc.oid = con.confrelid
                  JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                 WHERE con.contype = 'f' AND con.conname = ? AND c.relname = ? AND n.nspname = ?""",
                e.constraint(), e.table(), e.schema()));
        if (row == null) {
            return null;
        }
        return new ForeignKey(e.constraint(), strings(row.get("cols")), (String) row.get("ref_schema"),
                (String) row.get("ref_table"), strings(row.get("ref_cols")));
    }

    /**
     * The foreign key the failed ALTER TABLE adds: the clause named like the server's constraint, or
     * whose columns are the detail's key, or the only one.
     */
    private static ForeignKey fromStatement(Context ctx, List<SqlTokens.Token> t) {
        List<ForeignKey> clauses = StatementShapes.foreignKeys(t);
        if (clauses.isEmpty()) {
            return null;
        }
        for (ForeignKey fk : clauses) {
            if (fk.name() != null && fk.name().equals(ctx.error().constraint())) {
                return fk;
            }
        }
        Matcher detail = ctx.error().detail() == null ? null : FK_DETAIL.matcher(ctx.error().detail());
        if (detail != null && detail.matches()) {
            List<String> keys = List.of(detail.group(1).split(", "));
            for (ForeignKey fk : clauses) {
                if (fk.columns().equals(keys)) {
                    return fk;
                }
            }
        }
        return clauses.size() == 1 ? clauses.get(0) : null;
    }

    // ---- 23505 -------------------------------------------------------------------------------

    static List<String> unique(Context ctx) {
        ServerError e = ctx.error();
        if (ctx.match(UNIQUE_INDEX) == null || e.table() == null || e.schema() == null || e.detail() == null) {
            return List.of();
        }
        Matcher detail = DUPLICATE_DETAIL.matcher(e.detail());
        if (!detail.matches()) {
            return List.of();
        }
        String table = Names.display(e.schema(), e.table());
        List<String> keys = StatementShapes.columnList(detail.group(1));
        if (keys == null || !columns(ctx, e.schema(), e.table()).containsAll(keys)) {
            return List.of("the key (" + detail.group(1) + ") is an expression, which mig does not count: SELECT "
                    + detail.group(1) + ", count(*) FROM " + table + " GROUP BY 1 HAVING count(*) > 1 lists the duplicates");
        }
        List<SqlTokens.Token> t = ctx.tokens();
        boolean nullsNotDistinct = StatementShapes.hasWords(t, "NULLS", "NOT", "DISTINCT");
        List<String> notNull = keys.stream().map(k -> "c." + Identifiers.quote(k) + " IS NOT NULL").toList();
        String from = " FROM " + Identifiers.qualified(e.schema(), e.table()) + " AS c"
                + (nullsNotDistinct ? "" : " WHERE " + String.join(" AND ", notNull))
                + " GROUP BY " + groupBy(keys.size()) + " HAVING count(*) > 1";
        String keyText = "(" + String.join(", ", keys) + ")";
        List<String> lines = new ArrayList<>();
        String counted = counted(ctx, () -> {
            Map<String, Object> totals = first(ctx.query("SELECT count(*) AS keys, coalesce(sum(n), 0) AS rows FROM (SELECT "
                    + selectText(keys) + ", count(*) AS n" + from + ") d"));
            long values = ((Number) totals.get("keys")).longValue();
            if (values == 0) {
                lines.add("the committed rows of " + table + " hold no duplicate " + keyText + ": the duplicates come"
                        + " from this step's own earlier statements (rolled back with it)");
                return null;
            }
            lines.add(Names.count(values, "value", "values") + " of " + keyText + " in " + table + " are held by more than"
                    + " one row (" + Names.count(((Number) totals.get("rows")).longValue(), "row", "rows")
                    + " in all), most repeated first:");
            lines.add("  " + sample(ctx, "SELECT " + selectText(keys) + ", count(*) AS n" + from + " ORDER BY n DESC, 1 LIMIT "
                    + SAMPLE, keys));
            lines.add("keep one row per value (delete or merge the others) before the unique index is built");
            return null;
        });
        if (counted != null) {
            lines.add(counted);
        }
        if (t.size() > 1 && t.get(0).is("CREATE") && StatementShapes.hasWordAtDepthZero(t, "WHERE")) {
            lines.add("(the index is partial: these counts cover every row, not only those its WHERE clause selects)");
        }
        return lines;
    }

    // ---- 23502 -------------------------------------------------------------------------------

    static List<String> notNull(Context ctx) {
        ServerError e = ctx.error();
        if (ctx.match(NULLS) == null || e.schema() == null || e.table() == null || e.column() == null) {
            return List.of();
        }
        String table = Names.display(e.schema(), e.table());
        String qualified = Identifiers.qualified(e.schema(), e.table());
        List<String> lines = new ArrayList<>();
        String counted;
        if (!columns(ctx, e.schema(), e.table()).contains(e.column())) {
            // ADD COLUMN ... NOT NULL without a default: the column is gone with the rollback
            counted = counted(ctx, () -> {
                long rows = ((Number) ctx.value("SELECT count(*) FROM " + qualified)).longValue();
                lines.add(rows == 0
                        ? "no committed row of " + table + " exists: the rows come from this step's own earlier statements"
                        : table + " has " + Names.count(rows, "row", "rows") + ", and the new column " + e.column()
                        + ", NOT NULL without a DEFAULT, would be null in each: give it a DEFAULT, or add it nullable,"
                        + " fill it, then SET NOT NULL");
                return null;
            });
        } else {
            String column = Identifiers.quote(e.column());
            counted = counted(ctx, () -> {
                long nulls = ((Number) ctx.value("SELECT count(*) FROM " + qualified + " WHERE " + column + " IS NULL")).longValue();
                if (nulls == 0) {
                    lines.add("no committed row of " + table + " has " + e.column() + " null: the nulls come from this"
                            + " step's own earlier statements (rolled back with it)");
                    return null;
                }
                List<String> pk = primaryKey(ctx, e.schema(), e.table());
                String example = pk.isEmpty() ? "" : ", e.g. " + sample(ctx, "SELECT " + selectText(pk) + ", 1 AS n FROM "
                        + qualified + " AS c WHERE c." + column + " IS NULL ORDER BY " + groupBy(pk.size()) + " LIMIT " + SAMPLE, pk)
                        .replace(" (1 row)", "");
                lines.add(Names.count(nulls, "row", "rows") + " of " + table + " have " + e.column() + " null" + example);
                lines.add("fill them first (UPDATE " + Names.sqlIdent(e.table()) + " SET " + Names.sqlIdent(e.column())
                        + " = ... WHERE " + Names.sqlIdent(e.column()) + " IS NULL), in this step before SET NOT NULL or in"
                        + " an earlier one");
                return null;
            });
        }
        if (counted != null) {
            lines.add(counted);
        }
        return lines;
    }

    // ---- shared ------------------------------------------------------------------------------

    /**
     * Runs a counting query under a savepoint, so that a timeout leaves the diagnosis usable;
     * returns null when it ran, or the line that says why it did not.
     */
    static String counted(Context ctx, Supplier<Void> work) {
        try {
            ctx.catalog().attempt(work);
            return null;
        } catch (MigException ex) {
            if (ex.getCause() instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return "(counting the rows took longer than " + Diagnostician.QUERY_TIMEOUT + "; not counted)";
            }
            throw ex;
        }
    }

    /** {@code c."a"::text AS k1, c."b"::text AS k2}. */
    private static String selectText(List<String> columns) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            parts.add("c." + Identifiers.quote(columns.get(i)) + "::text AS k" + (i + 1));
        }
        return String.join(", ", parts);
    }

    private static String groupBy(int n) {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            parts.add(String.valueOf(i));
        }
        return String.join(", ", parts);
    }

    /** {@code user_id=42 (2 rows), user_id=43 (1 row)}; {@code (a, b)=(1, x)} for a composite key. */
    private static String sample(Context ctx, String sql, List<String> columns) {
        List<String> items = new ArrayList<>();
        for (Map<String, Object> r : ctx.query(sql)) {
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
                values.add(shorten(r.get("k" + i)));
            }
            String key = columns.size() == 1
                    ? columns.get(0) + "=" + values.get(0)
                    : "(" + String.join(", ", columns) + ")=(" + String.join(", ", values) + ")";
            items.add(key + " (" + Names.count(((Number) r.get("n")).longValue(), "row", "rows") + ")");
        }
        return String.join(", ", items);
    }

    private static String shorten(Object value) {
        String s = String.valueOf(value).replaceAll("\\s+", " ");
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    static List<String> columns(Context ctx, String schema, String table) {
        return ctx.query("""
                SELECT a.attname AS name FROM pg_attribute a
                 WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
                Identifiers.qualified(schema, table)).stream().map(r -> (String) r.get("name")).toList();
    }

    private static List<String> primaryKey(Context ctx, String schema, String table) {
        return ctx.query("""
                SELECT a.attname AS name
                  FROM pg_index i
                  JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) ON true
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n
                 WHERE i.indrelid = to_regclass(?) AND i.indisprimary ORDER BY k.o""",
                Identifiers.qualified(schema, table)).stream().map(r -> (String) r.get("name")).toList();
    }

    private static Map<String, Object> first(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<String> strings(Object array) {
        try {
            if (array instanceof java.sql.Array a) {
                return List.of((String[]) a.getArray());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return List.of();
    }
}
