package dev.mig.catalog;

import java.util.List;

/** An ordinary or partitioned table, its live columns in attnum order and its indexes in creation (oid) order. */
public record TableInfo(String schema, String name, List<ColumnInfo> columns, List<IndexInfo> indexes) {

    public TableInfo {
        columns = List.copyOf(columns);
        indexes = List.copyOf(indexes);
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    /** Null when the table has no such column. */
    public ColumnInfo column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst().orElse(null);
    }
}
