package dev.mig.catalog;

/**
 * @param table  the indexed table's name (always in the index's schema)
 * @param valid  false for an index left INVALID by a failed concurrent build
 * @param method the access method, {@code pg_am.amname}: btree, gin, hnsw, ...
 */
public record IndexInfo(String schema, String name, String table, boolean unique, boolean valid, String method,
                        boolean primary) {
}
