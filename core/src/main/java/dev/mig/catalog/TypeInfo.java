package dev.mig.catalog;

/** @param kind {@code pg_type.typtype}: b base, c composite, d domain, e enum, m multirange, p pseudo, r range */
public record TypeInfo(String schema, String name, char kind) {
}
