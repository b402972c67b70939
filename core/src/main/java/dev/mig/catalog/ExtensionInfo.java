package dev.mig.catalog;

/** @param schema the schema the extension's objects were installed into */
public record ExtensionInfo(String name, String version, String schema) {
}
