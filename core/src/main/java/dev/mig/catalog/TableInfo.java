package dev.mig.catalog;

import java.util.List;

/**
 * An ordinary or partitioned table: its live columns in attnum order, its indexes in creation
 * (oid) order, its constraints by name, its user triggers (internal ones, such as those behind
 * foreign keys, are left out) and row-level security policies by name, and its comment.
 */
public record TableInfo(String schema, String name, List<ColumnInfo> columns, List<IndexInfo> indexes,
                        List<ConstraintInfo> constraints, List<String> triggers, List<String> policies,
                        boolean rowLevelSecurity, boolean forceRowLevelSecurity, String comment) {

    public TableInfo {
        columns = List.copyOf(columns);
        indexes = List.copyOf(indexes);
        constraints = List.copyOf(constraints);
        triggers = List.copyOf(triggers);
        policies = List.copyOf(policies);
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    /** Null when the table has no such column. */
    public ColumnInfo column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst().orElse(null);
    }

    /** The constraints of one kind ({@code p}, {@code f}, {@code u}, {@code c}, {@code x}). */
    public List<ConstraintInfo> constraints(char type) {
        return constraints.stream().filter(c -> c.type() == type).toList();
    }

    /** The primary key's columns in key order, or an empty list when there is none. */
    public List<String> primaryKey() {
        return constraints('p').stream().findFirst().map(ConstraintInfo::columns).orElse(List.of());
    }
}
