package dev.mig.catalog;

import dev.mig.model.ObjectKind;
import groovy.lang.MissingPropertyException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a guard or expect closure gets back for {@code table('t')}, {@code extension('e')}, ...:
 * always an object, so {@code extension('x').exists()} and {@code extension('x').version} both work
 * whether or not the thing is there.
 *
 * <p>The properties of the catalog answer ({@code version}, {@code labels}, {@code valid}, ...) are
 * reached through {@link #get(String)}, which Groovy uses for any property without a getter. On a
 * missing object every such property is null; on an existing one an unknown property is an error,
 * because it is a typo in the plan, not a fact about the database.
 *
 * <p>Groovy truth is existence, so {@code guard { !table('old') }} reads as it should.
 */
public final class CatalogObject {

    private final ObjectKind kind;
    private final String name;
    private final boolean exists;
    private final Map<String, Object> properties;

    private CatalogObject(ObjectKind kind, String name, boolean exists, Map<String, Object> properties) {
        this.kind = kind;
        this.name = name;
        this.exists = exists;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** An object that exists; {@code name} is the name the catalog stores. */
    static CatalogObject found(ObjectKind kind, String name, Map<String, Object> properties) {
        return new CatalogObject(kind, name, true, properties);
    }

    /** An object that does not exist; {@code name} is the name the plan asked for. */
    static CatalogObject missing(ObjectKind kind, String name) {
        return new CatalogObject(kind, name, false, Map.of());
    }

    public boolean exists() {
        return exists;
    }

    public boolean asBoolean() {
        return exists;
    }

    public String getName() {
        return name;
    }

    public ObjectKind getKind() {
        return kind;
    }

    /** The schema the object lives in; null for schema-less objects and for missing ones. */
    public String getSchema() {
        return (String) properties.get("schema");
    }

    /** Every property of the catalog answer, by name; empty when the object is missing. */
    public Map<String, Object> getProperties() {
        Map<String, Object> resolved = new LinkedHashMap<>();
        properties.forEach((key, value) -> resolved.put(key, resolve(value)));
        return Collections.unmodifiableMap(resolved);
    }

    public Object get(String property) {
        if (properties.containsKey(property) || !exists) {
            return resolve(properties.get(property));
        }
        throw new MissingPropertyException("no property '" + property + "' on " + this
                + "; it has " + properties.keySet(), property, CatalogObject.class);
    }

    /** Properties that cost more catalog sections (a table's columns, say) are read only when asked for. */
    private static Object resolve(Object value) {
        return value instanceof Supplier<?> supplier ? supplier.get() : value;
    }

    @Override
    public String toString() {
        return kind.label() + " " + name + (exists ? "" : " (does not exist)");
    }
}
