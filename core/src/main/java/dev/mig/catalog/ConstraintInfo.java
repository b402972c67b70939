package dev.mig.catalog;

import java.util.List;

/**
 * @param oid        {@code pg_constraint.oid}; {@link Catalog#constraintDefinition} reads its definition
 * @param type       {@code pg_constraint.contype}: p, f, u, c, x, t, n
 * @param columns    the constrained columns in key order (empty for a table-wide CHECK)
 * @param refSchema  for a foreign key, the referenced table's schema; otherwise null
 * @param refTable   for a foreign key, the referenced table; otherwise null
 * @param refColumns for a foreign key, the referenced columns in key order; otherwise empty
 * @param onDelete   for a foreign key, its ON DELETE action ({@code no action}, {@code cascade}, ...)
 */
public record ConstraintInfo(long oid, String schema, String name, String table, char type,
                             List<String> columns, String refSchema, String refTable, List<String> refColumns,
                             String onDelete) {

    public ConstraintInfo {
        columns = List.copyOf(columns);
        refColumns = List.copyOf(refColumns);
    }

    /** {@code pg_constraint.confdeltype} as SQL says it. */
    static String referentialAction(String code) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "a" -> "no action";
            case "r" -> "restrict";
            case "c" -> "cascade";
            case "n" -> "set null";
            case "d" -> "set default";
            default -> code;
        };
    }

    /** {@code (user_id) references public.users(id)}, the way messages show a foreign key. */
    public String describeForeignKey() {
        return "(" + String.join(", ", columns) + ") references " + refSchema + "." + refTable
                + "(" + String.join(", ", refColumns) + ")";
    }
}
