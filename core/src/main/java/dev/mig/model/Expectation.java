package dev.mig.model;

import dev.mig.api.SourceLocation;
import groovy.lang.Closure;

import java.util.List;
import java.util.Map;

/** One expectation of a verify block. Every one is checked; each failure says expected and found. */
public sealed interface Expectation {

    SourceLocation location();

    /**
     * {@code table('t') { columns 3; column('c') { type 'text' }; indexes 2; primaryKey 'id'; ... }}.
     * Null (or empty) parts are not checked.
     *
     * @param uniques each a set of columns that a UNIQUE constraint or a unique index must cover exactly
     * @param checks  names of CHECK constraints the table must have
     */
    record Table(String name,
                 Count columns,
                 Map<String, ColumnSpec> columnSpecs,
                 Count indexes,
                 List<String> primaryKey,
                 List<ForeignKeySpec> foreignKeys,
                 List<List<String>> uniques,
                 List<String> checks,
                 Boolean rowLevelSecurity,
                 Boolean forceRowLevelSecurity,
                 Count policies,
                 Count triggers,
                 String comment,
                 List<NameSet> nameSets,
                 List<String> noForeignKeys,
                 SourceLocation location) implements Expectation {
        public Table {
            // keeps the plan's order for anyone reading the model (the verifier sorts by name)
            columnSpecs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columnSpecs));
            primaryKey = primaryKey == null ? null : List.copyOf(primaryKey);
            foreignKeys = List.copyOf(foreignKeys);
            uniques = uniques.stream().map(List::copyOf).toList();
            checks = List.copyOf(checks);
            nameSets = nameSets == null ? List.of() : List.copyOf(nameSets);
            noForeignKeys = noForeignKeys == null ? List.of() : List.copyOf(noForeignKeys);
        }

        /** Only existence and column shape: what older callers and tests build. */
        public Table(String name, Count columns, Map<String, ColumnSpec> columnSpecs, Count indexes, SourceLocation location) {
            this(name, columns, columnSpecs, indexes, null, List.of(), List.of(), List.of(), null, null, null, null, null,
                    List.of(), List.of(), location);
        }
    }

    /**
     * How many objects of a kind a table or schema has ({@code foreignKeys 1}, {@code tables 35}),
     * or exactly which ({@code policies 'owner', 'admin'}): one of {@code count} and {@code names}
     * is set.
     *
     * @param kind      the DSL word: {@code columns}, {@code indexes}, {@code foreignKeys}, {@code tables}, ...
     * @param excluding for {@code indexes} only: {@code primaryKey} or {@code constraints} (the
     *                  indexes behind primary key, unique and exclusion constraints) are not counted
     */
    record NameSet(String kind, Count count, List<String> names, String excluding) {
        public NameSet {
            names = names == null ? null : List.copyOf(names);
        }

        /** {@code 3 foreign keys}, {@code indexes (a, b)} or {@code 1 index (not counting constraints)}, as messages say it. */
        public String describe() {
            String what = excluding == null ? kind : kind + " (not counting " + excluding + ")";
            return count != null ? count + " " + what : what + " " + String.join(", ", names);
        }
    }

    /** {@code schema('kb') { tables 35; enums 6 }}: what the schema holds, by kind (catalog.SchemaContents). */
    record Schema(String name, List<NameSet> nameSets, SourceLocation location) implements Expectation {
        public Schema {
            nameSets = List.copyOf(nameSets);
        }
    }

    /**
     * {@code foreignKey(column: 'user_id', references: 'users(id)', onDelete: 'cascade')}.
     *
     * @param refTable   the referenced table as written ({@code users}, {@code kb.users}), resolved through the search path
     * @param refColumns the referenced columns, or null to accept any
     * @param onDelete   the ON DELETE action ({@code cascade}, {@code set null}, ...), or null to accept any
     */
    record ForeignKeySpec(List<String> columns, String refTable, List<String> refColumns, String onDelete) {
        public ForeignKeySpec {
            columns = List.copyOf(columns);
            refColumns = refColumns == null ? null : List.copyOf(refColumns);
        }

        @Override
        public String toString() {
            return "(" + String.join(", ", columns) + ") references " + refTable
                    + (refColumns == null ? "" : "(" + String.join(", ", refColumns) + ")")
                    + (onDelete == null ? "" : " on delete " + onDelete);
        }
    }

    /** Null fields are not checked. */
    record ColumnSpec(String name, String type, Boolean notNull, String defaultValue, SourceLocation location) {
    }

    /** {@code index('i') { unique true; valid true; method 'btree'; on 't'; columns 'a', 'b'; partial false }}. */
    record Index(String name, Boolean unique, Boolean valid, String method, String table, List<String> columns,
                 Boolean partial, SourceLocation location) implements Expectation {

        public Index {
            columns = columns == null ? null : List.copyOf(columns);
        }

        public Index(String name, Boolean unique, Boolean valid, String method, String table, SourceLocation location) {
            this(name, unique, valid, method, table, null, null, location);
        }
    }

    /** Existence of a named object of a kind: extension, function, type, schema, role, view, sequence, ... */
    record Exists(ObjectKind kind, String name, SourceLocation location) implements Expectation {
    }

    /** An object that belongs to a table: a column, trigger, policy or constraint of that table. */
    record Member(ObjectKind kind, String table, String name, SourceLocation location) implements Expectation {
    }

    /** {@code absent { table 'old' }}: every listed object must not exist. */
    record Absent(List<Expectation> objects, SourceLocation location) implements Expectation {
        public Absent {
            objects = List.copyOf(objects);
        }
    }

    /** {@code rowCount 't', 2} or {@code rowCount 't', atLeast(2)}. */
    record RowCount(String table, Count count, SourceLocation location) implements Expectation {
    }

    /** {@code enumType('e') { labels 'a', 'b' }}: the labels in order. */
    record EnumLabels(String name, List<String> labels, SourceLocation location) implements Expectation {
        public EnumLabels {
            labels = labels == null ? null : List.copyOf(labels);
        }
    }

    /** {@code expect('message') { bool }}. */
    record Condition(String message, Closure<?> condition, SourceLocation location) implements Expectation {
    }
}
