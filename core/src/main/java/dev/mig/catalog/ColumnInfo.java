package dev.mig.catalog;

/**
 * @param type        {@code format_type(atttypid, atttypmod)}: {@code character varying(20)}, {@code integer[]}
 * @param defaultExpr {@code pg_get_expr} of the default, null when there is none
 */
public record ColumnInfo(String name, String type, boolean notNull, String defaultExpr) {
}
