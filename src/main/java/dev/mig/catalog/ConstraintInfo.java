package dev.mig.catalog;

/**
 * @param type       {@code pg_constraint.contype}: p, f, u, c, x, t, n
 * @param definition {@code pg_get_constraintdef}, e.g. {@code UNIQUE (a, b)}
 */
public record ConstraintInfo(String schema, String name, String table, char type, String definition) {
}
