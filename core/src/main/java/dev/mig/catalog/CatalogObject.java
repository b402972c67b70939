package dev.mig.catalog;

import dev.mig.model.ObjectKind;
import groovy.lang.MissingPropertyException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    /** An object that does not exist but has facts of its own: an extension the server could install. */
    static CatalogObject missing(ObjectKind kind, String name, Map<String, Object> properties) {
        return new CatalogObject(kind, name, false, properties);
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

    /**
     * One line of guard evidence: {@code column projects.tenant_id: exists (bigint, NOT NULL)} or
     * {@code extension vector: does not exist}. Only facts already read are shown, so writing the
     * evidence never reads more of the catalog.
     */
    public String evidence() {
        if (!exists) {
            String availability = !properties.containsKey("available") ? ""
                    : Boolean.TRUE.equals(properties.get("available")) ? " (available, version " + properties.get("defaultVersion") + ")"
                    : " (not available on this server)";
            return kind.label() + " " + name + ": does not exist" + availability;
        }
        List<String> facts = new ArrayList<>();
        for (String key : List.of("version", "type", "signature", "labels", "valid", "relkind")) {
            Object value = properties.get(key);
            if (value != null && !(value instanceof Supplier<?>)) {
                facts.add(key.equals("type") || key.equals("signature") ? String.valueOf(value) : key + " " + value);
            }
        }
        if (Boolean.TRUE.equals(properties.get("notNull"))) {
            facts.add("NOT NULL");
        }
        String where = properties.get("schema") instanceof String schema
                && (kind == ObjectKind.INDEX || !properties.containsKey("table")) ? schema + "." : "";
        String owner = properties.get("table") instanceof String table && kind != ObjectKind.INDEX ? table + "." : "";
        return kind.label() + " " + where + owner + name + ": exists" + (facts.isEmpty() ? "" : " (" + String.join(", ", facts) + ")");
    }

    @Override
    public String toString() {
        return kind.label() + " " + name + (exists ? "" : " (does not exist)");
    }
}
