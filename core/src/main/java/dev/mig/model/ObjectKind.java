package dev.mig.model;

/** Kinds of catalog object that verify blocks and guards can name. */
public enum ObjectKind {
    TABLE("table"),
    VIEW("view"),
    MATERIALIZED_VIEW("materialized view"),
    SEQUENCE("sequence"),
    INDEX("index"),
    RELATION("relation"),
    EXTENSION("extension"),
    FUNCTION("function"),
    TYPE("type"),
    ENUM_TYPE("enum type"),
    SCHEMA("schema"),
    ROLE("role"),
    CONSTRAINT("constraint"),
    COLUMN("column"),
    TRIGGER("trigger"),
    POLICY("policy");

    private final String label;

    ObjectKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
