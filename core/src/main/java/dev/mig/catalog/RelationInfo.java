package dev.mig.catalog;

/** @param kind {@code pg_class.relkind}: r, p, v, m, S, i, I, f, c, t */
public record RelationInfo(String schema, String name, char kind) {
}
