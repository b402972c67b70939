package dev.mig.catalog;

import java.util.List;

/**
 * @param table       the indexed table's name (always in the index's schema)
 * @param valid       false for an index left INVALID by a failed concurrent build
 * @param method      the access method, {@code pg_am.amname}: btree, gin, hnsw, ...
 * @param columns     the key columns that are plain columns, in index order (expressions left out)
 * @param partial     the index has a WHERE clause
 * @param expressions some key is an expression, not a column
 */
public record IndexInfo(String schema, String name, String table, boolean unique, boolean valid, String method,
                        boolean primary, List<String> columns, boolean partial, boolean expressions) {

    public IndexInfo {
        columns = List.copyOf(columns);
    }

    /** An index that makes exactly these columns unique, the way a UNIQUE constraint would. */
    public boolean enforcesUniqueOn(java.util.Set<String> columnSet) {
        return unique && valid && !partial && !expressions && columns.size() == columnSet.size()
                && columnSet.containsAll(columns);
    }
}
