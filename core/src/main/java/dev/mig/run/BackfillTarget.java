package dev.mig.run;

import dev.mig.catalog.Identifiers;
import dev.mig.catalog.QualifiedName;
import dev.mig.model.Action;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table a backfill changes and the key its batches follow, read from the catalog when the
 * step runs: the primary key (one column or several), or the backfill's {@code key} columns,
 * which must be those of a unique index and NOT NULL. A table with neither fails the step.
 *
 * @param relation  the table's name as SQL
 * @param keys      the key's columns, quoted, in the order the batches follow
 * @param types     each key column's type ({@code format_type}), to cast the stored keys back
 * @param reltuples the table's estimated rows ({@code pg_class.reltuples}), 0 when unknown
 */
record BackfillTarget(String relation, List<String> keys, List<String> types, double reltuples) {

    /** Reads the table and its key; fails the step for a table missing, without a primary key, or a {@code key} that is no unique key. */
    static BackfillTarget of(Connection connection, Action.Backfill b) throws StepFailedException, SQLException {
        String relation;
        double reltuples;
        List<String> names;
        List<String> types;
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.oid::regclass::text, c.reltuples,"
                + " array_agg(a.attname::text ORDER BY k.n), array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY k.n)"
                + " FROM pg_class c LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"
                + " LEFT JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, n) ON true"
                + " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                + " WHERE c.oid = to_regclass(?) GROUP BY c.oid, c.reltuples")) {
            ps.setString(1, b.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw BackfillExecutor.fail(b, "backfill: table " + b.table() + " does not exist", null);
                }
                relation = rs.getString(1);
                reltuples = Math.max(0, rs.getDouble(2));
                names = strings(rs.getArray(3));
                types = strings(rs.getArray(4));
            }
        }
        if (b.key() != null) {
            Map<String, String> chosen = chosen(connection, b, relation);
            names = new ArrayList<>(chosen.keySet());
            types = new ArrayList<>(chosen.values());
        } else if (names.isEmpty()) {
            throw BackfillExecutor.fail(b, "backfill: table " + relation + " has no primary key, and a backfill batches along one;"
                    + " give the table a primary key (ALTER TABLE " + relation + " ADD PRIMARY KEY (...)), or name the columns"
                    + " of a unique index, each NOT NULL, in the backfill block: key 'code'", null);
        }
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add(Identifiers.quote(n)));
        return new BackfillTarget(relation, List.copyOf(quoted), List.copyOf(types), reltuples);
    }

    /** The {@code key} columns and their types, in the plan's order, after checking they make a unique not-null key. */
    private static Map<String, String> chosen(Connection connection, Action.Backfill b, String relation)
            throws SQLException, StepFailedException {
        List<String> wanted = new ArrayList<>();
        b.key().forEach(k -> wanted.add(QualifiedName.parseIdentifier(k)));
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Integer> numbers = new LinkedHashMap<>();
        List<String> nullable = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT attname::text, format_type(atttypid, atttypmod), attnotnull, attnum"
                + " FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped AND attname::text = ANY (?)")) {
            ps.setString(1, relation);
            ps.setArray(2, connection.createArrayOf("text", wanted.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                    numbers.put(rs.getString(1), rs.getInt(4));
                    if (!rs.getBoolean(3)) {
                        nullable.add(rs.getString(1));
                    }
                }
            }
        }
        String written = "key " + String.join(", ", b.key());
        List<String> missing = wanted.stream().filter(w -> !types.containsKey(w)).toList();
        if (!missing.isEmpty()) {
            throw BackfillExecutor.fail(b, "backfill: " + written + ": table " + relation + " has no column " + String.join(", ", missing)
                    + "; name columns of the table", null);
        }
        if (!nullable.isEmpty()) {
            throw BackfillExecutor.fail(b, "backfill: " + written + ": column " + String.join(", ", nullable) + " of " + relation
                    + " may be NULL, and a batch never reaches a NULL key; make it NOT NULL, or name other columns", null);
        }
        Set<Integer> attnums = new HashSet<>(numbers.values());
        if (!uniqueIndexOn(connection, relation, attnums)) {
            throw BackfillExecutor.fail(b, "backfill: " + written + ": table " + relation + " has no unique index on exactly these"
                    + " columns, so a key could stand for several rows; create one (CREATE UNIQUE INDEX CONCURRENTLY ... ON "
                    + relation + " (" + String.join(", ", b.key()) + ")), or name the columns of one", null);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        wanted.forEach(w -> ordered.put(w, types.get(w)));
        return ordered;
    }

    /** Whether a valid unique index without a predicate or expressions has exactly these key columns. */
    private static boolean uniqueIndexOn(Connection connection, String relation, Set<Integer> attnums) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT indkey::text, indnkeyatts FROM pg_index WHERE indrelid = to_regclass(?)"
                + " AND indisunique AND indisvalid AND indpred IS NULL AND indexprs IS NULL")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> all = Arrays.asList(rs.getString(1).trim().split("\\s+"));
                    Set<Integer> columns = new HashSet<>();
                    all.subList(0, Math.min(all.size(), rs.getInt(2))).forEach(n -> columns.add(Integer.parseInt(n)));
                    if (columns.equals(attnums)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> strings(Array array) throws SQLException {
        List<String> out = new ArrayList<>();
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                if (o != null) {
                    out.add((String) o);
                }
            }
        }
        return out;
    }
}
