package dev.mig.fleet;

import dev.mig.target.Target;

/**
 * One tenant of a fleet: its id, where it is, and its wave label (null when it has none). A
 * database-per-tenant fleet's tenant is a database (its id by default the database name of its
 * URL, {@code schema} null); a schema-per-tenant fleet's is a schema of {@code target} (its id by
 * default the schema). {@link Target#display()} never shows a password.
 */
public record Tenant(String id, Target target, String wave, String schema) {

    /** A database tenant. */
    public Tenant(String id, Target target, String wave) {
        this(id, target, wave, null);
    }

    /** The values of its placeholders: {@code ${tenant}}, its id, and for a schema tenant {@code ${tenant.schema}}. */
    public java.util.Map<String, String> placeholders() {
        return dev.mig.MigRunner.tenantPlaceholders(id, schema);
    }

    /** The id, the database (and schema) and the wave, as messages show a tenant. */
    public String display() {
        return id + " (" + (schema == null ? "" : "schema " + schema + " of ") + target.display()
                + (wave == null ? "" : ", wave " + wave) + ")";
    }
}
