package dev.mig.catalog;

import dev.mig.model.ObjectKind;
import groovy.sql.GroovyRowResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog as plan authors see it inside {@code guard { }} and {@code expect { }}: it is the
 * closure delegate, so {@code table('t').exists()} and {@code serverVersion} resolve here. Every
 * method answers with a {@link CatalogObject}, never null, never an exception for absence (see
 * docs/DSL.md section 4). A malformed name still throws IllegalArgumentException: that is a
 * mistake in the plan, not an answer.
 */
public class CatalogView {

    private final Catalog catalog;
    private List<String> readings;

    public CatalogView(Catalog catalog) {
        this.catalog = catalog;
    }

    /** From now on, every answer is also written down as a line of evidence (see {@link #stopRecording()}). */
    public void startRecording() {
        readings = new ArrayList<>();
    }

    /** What was read since {@link #startRecording()}, one line per answer, in order; recording stops. */
    public List<String> stopRecording() {
        List<String> out = readings == null ? List.of() : List.copyOf(readings);
        readings = null;
        return out;
    }

    private CatalogObject noted(CatalogObject answer) {
        if (readings != null) {
            readings.add(answer.evidence());
        }
        return answer;
    }

    private <T> T noted(String question, T answer) {
        if (readings != null) {
            String text = String.valueOf(answer);
            readings.add(question + " = " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        }
        return answer;
    }

    private CatalogObject found(ObjectKind kind, String name, Map<String, Object> properties) {
        return noted(CatalogObject.found(kind, name, properties));
    }

    private CatalogObject missing(ObjectKind kind, String name) {
        return noted(CatalogObject.missing(kind, name));
    }

    private static String shortSql(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
    }

    public Catalog getCatalog() {
        return catalog;
    }

    /**
     * A table; {@code exists()} costs one catalog section, and its other properties (columns,
     * indexes, primaryKey, constraints, triggers, policies, rowLevelSecurity, comment) are read
     * when first asked for.
     */
    public CatalogObject table(String name) {
        RelationInfo r = catalog.relation(name, RelationLookup.TABLE_KINDS);
        if (r == null) {
            return missing(ObjectKind.TABLE, name);
        }
        java.util.function.Supplier<TableInfo> info = memo(() -> catalog.table(Identifiers.qualified(r.schema(), r.name())));
        Map<String, Object> p = props("schema", r.schema(), "name", r.name());
        p.put("columns", lazy(() -> info.get().columnNames()));
        p.put("indexes", lazy(() -> info.get().indexes().stream().map(IndexInfo::name).toList()));
        p.put("primaryKey", lazy(() -> info.get().primaryKey()));
        p.put("constraints", lazy(() -> info.get().constraints().stream().map(ConstraintInfo::name).toList()));
        p.put("foreignKeys", lazy(() -> info.get().constraints('f').stream().map(ConstraintInfo::name).toList()));
        p.put("triggers", lazy(() -> info.get().triggers()));
        p.put("policies", lazy(() -> info.get().policies()));
        p.put("rowLevelSecurity", lazy(() -> info.get().rowLevelSecurity()));
        p.put("comment", lazy(() -> info.get().comment()));
        return found(ObjectKind.TABLE, r.name(), p);
    }

    private static java.util.function.Supplier<Object> lazy(java.util.function.Supplier<Object> value) {
        return memo(value);
    }

    private static <T> java.util.function.Supplier<T> memo(java.util.function.Supplier<T> value) {
        return new java.util.function.Supplier<>() {
            private T result;
            private boolean done;

            @Override
            public T get() {
                if (!done) {
                    result = value.get();
                    done = true;
                }
                return result;
            }
        };
    }

    public CatalogObject view(String name) {
        return relationObject(ObjectKind.VIEW, name, catalog.view(name));
    }

    public CatalogObject materializedView(String name) {
        return relationObject(ObjectKind.MATERIALIZED_VIEW, name, catalog.materializedView(name));
    }

    public CatalogObject sequence(String name) {
        return relationObject(ObjectKind.SEQUENCE, name, catalog.sequence(name));
    }

    /** Any pg_class entry; {@code relkind} says which kind it is. */
    public CatalogObject relation(String name) {
        return relationObject(ObjectKind.RELATION, name, catalog.relation(name));
    }

    private CatalogObject relationObject(ObjectKind kind, String requested, RelationInfo r) {
        if (r == null) {
            return missing(kind, requested);
        }
        return found(kind, r.name(), props("schema", r.schema(), "name", r.name(), "relkind", String.valueOf(r.kind())));
    }

    public CatalogObject index(String name) {
        IndexInfo i = catalog.index(name);
        if (i == null) {
            return missing(ObjectKind.INDEX, name);
        }
        return found(ObjectKind.INDEX, i.name(), props("schema", i.schema(), "name", i.name(),
                "table", i.table(), "unique", i.unique(), "valid", i.valid(), "method", i.method(), "primary", i.primary()));
    }

    public CatalogObject column(String table, String column) {
        ColumnInfo c = catalog.column(table, column);
        if (c == null) {
            return missing(ObjectKind.COLUMN, table + "." + column);
        }
        return found(ObjectKind.COLUMN, c.name(), props("name", c.name(), "table", table, "type", c.type(),
                "notNull", c.notNull(), "defaultValue", c.defaultExpr()));
    }

    public CatalogObject constraint(String name) {
        return constraintObject(name, catalog.constraint(name));
    }

    public CatalogObject constraint(String table, String name) {
        return constraintObject(name, catalog.constraint(table, name));
    }

    private CatalogObject constraintObject(String requested, ConstraintInfo c) {
        if (c == null) {
            return missing(ObjectKind.CONSTRAINT, requested);
        }
        return found(ObjectKind.CONSTRAINT, c.name(), props("schema", c.schema(), "name", c.name(),
                "table", c.table(), "type", String.valueOf(c.type()), "columns", c.columns(),
                "definition", lazy(() -> catalog.constraintDefinition(c))));
    }

    /** Any type; {@code typtype} is its kind letter (e enum, d domain, c composite, ...). */
    public CatalogObject type(String name) {
        TypeInfo t = catalog.type(name);
        if (t == null) {
            return missing(ObjectKind.TYPE, name);
        }
        return found(ObjectKind.TYPE, t.name(), props("schema", t.schema(), "name", t.name(),
                "typtype", String.valueOf(t.kind())));
    }

    /** Exists only when the type is there and is an enum; {@code labels} in sort order. */
    public CatalogObject enumType(String name) {
        TypeInfo t = catalog.type(name);
        List<String> labels = catalog.enumLabels(name);
        if (t == null || labels == null) {
            return missing(ObjectKind.ENUM_TYPE, name);
        }
        return found(ObjectKind.ENUM_TYPE, t.name(), props("schema", t.schema(), "name", t.name(),
                "labels", labels));
    }

    /**
     * {@code available} says whether the server has the extension's files (so {@code CREATE
     * EXTENSION} would work), {@code defaultVersion} the version it would install and
     * {@code availableVersions} all it could; an installed one also has its {@code version} and
     * {@code schema}.
     */
    public CatalogObject extension(String name) {
        ExtensionInfo e = catalog.extension(name);
        if (e == null) {
            List<String> versions = catalog.availableVersions(name);
            return noted(CatalogObject.missing(ObjectKind.EXTENSION, name, props("available", !versions.isEmpty(),
                    "defaultVersion", versions.isEmpty() ? null : versions.get(0), "availableVersions", versions)));
        }
        java.util.function.Supplier<List<String>> versions = memo(() -> catalog.availableVersions(name));
        return found(ObjectKind.EXTENSION, e.name(), props("name", e.name(), "version", e.version(),
                "schema", e.schema(), "available", true,
                "defaultVersion", lazy(() -> versions.get().isEmpty() ? null : versions.get().get(0)),
                "availableVersions", lazy(versions::get)));
    }

    /** {@code function('f')} any overload, {@code function('f(int, text)')} exactly that one. */
    public CatalogObject function(String nameOrSignature) {
        FunctionInfo f = catalog.function(nameOrSignature);
        if (f == null) {
            return missing(ObjectKind.FUNCTION, nameOrSignature);
        }
        return found(ObjectKind.FUNCTION, f.name(), props("schema", f.schema(), "name", f.name(),
                "identityArguments", f.identityArguments(), "returnType", f.returnType(), "signature", f.signature()));
    }

    public CatalogObject trigger(String table, String name) {
        return catalog.trigger(table, name)
                ? found(ObjectKind.TRIGGER, QualifiedName.parseIdentifier(name), props("table", table))
                : missing(ObjectKind.TRIGGER, name);
    }

    public CatalogObject policy(String table, String name) {
        return catalog.policy(table, name)
                ? found(ObjectKind.POLICY, QualifiedName.parseIdentifier(name), props("table", table))
                : missing(ObjectKind.POLICY, name);
    }

    /**
     * A schema; its properties {@code tables}, {@code views}, {@code enums}, {@code functions},
     * {@code triggers}, ... ({@link SchemaContents#KINDS}) are the names of what it holds, read in
     * one query when first asked for, so {@code schema('kb').tables.size() == 35} works in a guard.
     */
    public CatalogObject schema(String name) {
        if (!catalog.schema(name)) {
            return missing(ObjectKind.SCHEMA, name);
        }
        java.util.function.Supplier<SchemaContents> contents = memo(() -> catalog.schemaContents(name));
        Map<String, Object> p = props();
        for (String kind : SchemaContents.KINDS) {
            p.put(kind, lazy(() -> contents.get().names(kind)));
        }
        return found(ObjectKind.SCHEMA, QualifiedName.parseIdentifier(name), p);
    }

    public CatalogObject role(String name) {
        return catalog.role(name)
                ? found(ObjectKind.ROLE, QualifiedName.parseIdentifier(name), props())
                : missing(ObjectKind.ROLE, name);
    }

    /**
     * The object of a kind by one name, as verify's {@code Exists} and {@code absent} name them.
     * Kinds that live on a table (column, trigger, policy) take {@code table.name} or
     * {@code schema.table.name}: the last dotted part is the object, the rest the table.
     * A constraint's name is looked up on any table.
     */
    public CatalogObject object(ObjectKind kind, String name) {
        return switch (kind) {
            case TABLE -> table(name);
            case VIEW -> view(name);
            case MATERIALIZED_VIEW -> materializedView(name);
            case SEQUENCE -> sequence(name);
            case INDEX -> index(name);
            case RELATION -> relation(name);
            case EXTENSION -> extension(name);
            case FUNCTION -> function(name);
            case TYPE -> type(name);
            case ENUM_TYPE -> enumType(name);
            case SCHEMA -> schema(name);
            case ROLE -> role(name);
            case CONSTRAINT -> constraint(name);
            case COLUMN, TRIGGER, POLICY -> {
                String[] split = splitOwner(name);
                yield switch (kind) {
                    case COLUMN -> column(split[0], split[1]);
                    case TRIGGER -> trigger(split[0], split[1]);
                    default -> policy(split[0], split[1]);
                };
            }
        };
    }

    /** {@code kb.chunks.body} into the table text {@code "kb"."chunks"} and the name {@code "body"}. */
    private static String[] splitOwner(String name) {
        List<String> parts = QualifiedName.parts(name);
        if (parts.size() < 2 || parts.size() > 3) {
            throw new IllegalArgumentException("invalid name '" + name + "': expected table.name or schema.table.name");
        }
        List<String> quoted = new ArrayList<>();
        for (String part : parts) {
            quoted.add(Identifiers.quote(part));
        }
        String table = String.join(".", quoted.subList(0, quoted.size() - 1));
        return new String[]{table, quoted.get(quoted.size() - 1)};
    }

    /** Rows of a read-only question, with bind parameters. */
    public List<GroovyRowResult> query(String sql, Object... args) {
        String question = "query('" + shortSql(sql) + "')";
        List<GroovyRowResult> rows = new ArrayList<>();
        for (Map<String, Object> row : asked(question, () -> catalog.query(sql, args))) {
            rows.add(new GroovyRowResult(row));
        }
        noted(question, rows.size() + " row" + (rows.size() == 1 ? "" : "s"));
        return rows;
    }

    /** The first column of the first row, or null. */
    public Object value(String sql, Object... args) {
        String question = "value('" + shortSql(sql) + "')";
        return noted(question, asked(question, () -> catalog.value(sql, args)));
    }

    /** A question that failed is evidence too: the guard read it and got an error. */
    private <T> T asked(String question, java.util.function.Supplier<T> answer) {
        try {
            return answer.get();
        } catch (RuntimeException e) {
            if (readings != null) {
                String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                        .replaceFirst("^catalog query failed: (ERROR: )?", "");
                readings.add(question + " failed: " + why);
            }
            throw e;
        }
    }

    /** {@code server_version_num}, so Groovy can say {@code serverVersion >= 160000}. */
    public int getServerVersion() {
        return noted("serverVersion", catalog.serverVersion());
    }

    private static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
