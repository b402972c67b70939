package dev.mig.catalog;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers questions about what exists in the database, by reading the system catalogs on the
 * caller's connection (and so inside the caller's transaction, seeing its uncommitted work).
 * The catalog is read in snapshots, one query per object kind ({@link CatalogSnapshot}), kept
 * until {@link #refresh()}.
 *
 * <p>Absence is an answer: lookups return null, false or an empty list, never throw for a missing
 * object. A malformed name throws IllegalArgumentException (from {@link QualifiedName}); a failed
 * query throws MigException. Values are always bind parameters; the only SQL built from a name
 * is {@link #rowCount}, and it goes through {@link Identifiers}.
 *
 * <p>Unqualified names resolve to the earliest schema of the search path that holds them; types
 * and functions also fall back to {@code pg_catalog}, where the built-in ones live.
 */
public class Catalog {

    private final Connection conn;
    private final CatalogQueries queries;
    private final SchemaOrder order;
    private final RelationLookup relations;
    private final TypeLookup types;
    private CatalogSnapshot snapshot;
    private Integer serverVersion;

    public Catalog(Connection conn, List<String> searchPath) {
        this.conn = conn;
        this.queries = new CatalogQueries(conn);
        this.order = new SchemaOrder(searchPath == null || searchPath.isEmpty() ? List.of("public") : List.copyOf(searchPath),
                queries);
        this.relations = new RelationLookup(this::snapshot, order);
        this.types = new TypeLookup(this::snapshot, order, queries);
    }

    public Catalog(Connection conn) {
        this(conn, null);
    }

    /**
     * Reads a plan's {@code searchPath} setting ({@code 'kb, public'}) into schema names, folded and
     * unquoted like any other identifier.
     */
    public static List<String> parseSearchPath(String setting) {
        return SchemaOrder.parse(setting);
    }

    public List<String> searchPath() {
        return order.searchPath();
    }

    public Connection connection() {
        return conn;
    }

    // ---- snapshot --------------------------------------------------------------------------

    /**
     * Forgets everything read so far; the next question reads the catalog again. The runner calls
     * this after every action of a step that can change the schema (cleanup, SQL, Groovy code), so
     * a verify block sees what the step did while a guard and its verify share one reading.
     */
    public void refresh() {
        snapshot = null;
        types.refresh();
        order.refresh();
    }

    /** How many queries this catalog has sent, for tests and benchmarks that check the snapshot works. */
    public int queriesRun() {
        return queries.queriesRun();
    }

    private CatalogSnapshot snapshot() {
        if (snapshot == null) {
            snapshot = new CatalogSnapshot(this);
        }
        return snapshot;
    }

    // ---- relations -------------------------------------------------------------------------

    public TableInfo table(String name) {
        return table(QualifiedName.parse(name));
    }

    public TableInfo table(QualifiedName name) {
        return relations.table(name);
    }

    /** A column of a table, view, materialized view or foreign table; null when either is missing. */
    public ColumnInfo column(String table, String column) {
        return relations.column(table, column);
    }

    public IndexInfo index(String name) {
        return index(QualifiedName.parse(name));
    }

    public IndexInfo index(QualifiedName name) {
        return relations.index(name);
    }

    /** Any pg_class entry whose relkind is one of {@code relkinds} (all kinds when null or empty). */
    public RelationInfo relation(String name, Set<Character> relkinds) {
        return relation(QualifiedName.parse(name), relkinds);
    }

    public RelationInfo relation(QualifiedName name, Set<Character> relkinds) {
        return relations.relation(name, relkinds);
    }

    public RelationInfo relation(String name) {
        return relation(name, null);
    }

    public RelationInfo view(String name) {
        return relation(name, Set.of('v'));
    }

    public RelationInfo materializedView(String name) {
        return relation(name, Set.of('m'));
    }

    public RelationInfo sequence(String name) {
        return relation(name, Set.of('S'));
    }

    /** A table constraint of this name on whatever table holds it; the first table by name wins. */
    public ConstraintInfo constraint(String name) {
        return relations.constraint(name);
    }

    public ConstraintInfo constraint(String table, String name) {
        return relations.constraint(table, name);
    }

    /** {@code pg_get_constraintdef}, e.g. {@code UNIQUE (a, b)}: read on demand, as snapshots leave it out. */
    public String constraintDefinition(ConstraintInfo constraint) {
        return (String) value("SELECT pg_get_constraintdef(?::oid)", constraint.oid());
    }

    /** A user trigger of this name on the table (the internal ones behind foreign keys are not counted). */
    public boolean trigger(String table, String name) {
        return relations.trigger(table, name);
    }

    public boolean policy(String table, String name) {
        return relations.policy(table, name);
    }

    // ---- types, extensions, functions ------------------------------------------------------

    public TypeInfo type(String name) {
        return types.type(name);
    }

    /** The labels in their sort order, or null when there is no such type or it is not an enum. */
    public List<String> enumLabels(String name) {
        return types.enumLabels(name);
    }

    public ExtensionInfo extension(String name) {
        return snapshot().extension(QualifiedName.parseIdentifier(name));
    }

    /**
     * The versions of an extension the server could install ({@code pg_available_extension_versions}),
     * the default one first, then the rest in the server's order; empty when its files are not on
     * the server at all.
     */
    public List<String> availableVersions(String name) {
        List<String> versions = new java.util.ArrayList<>();
        for (Map<String, Object> row : query("""
                SELECT v.version FROM pg_available_extension_versions v
                  JOIN pg_available_extensions a ON a.name = v.name
                 WHERE v.name = ? ORDER BY v.version = a.default_version DESC""", QualifiedName.parseIdentifier(name))) {
            versions.add((String) row.get("version"));
        }
        return versions;
    }

    /**
     * {@code 'f'} finds any overload; {@code 'f(int, text)'} the one whose argument types are those,
     * each resolved by the server ({@code to_regtype}), so aliases and typmods don't matter. Argument
     * names and modes ({@code IN x int}) are not accepted, only types.
     */
    public FunctionInfo function(String nameOrSignature) {
        return types.function(nameOrSignature);
    }

    /** Every overload visible under this name (the argument list, if any, is ignored). */
    public List<FunctionInfo> functions(String name) {
        return types.functions(name);
    }

    // ---- schemas, roles --------------------------------------------------------------------

    public boolean schema(String name) {
        return snapshot().schema(QualifiedName.parseIdentifier(name));
    }

    /** Every object of a schema by kind ({@link SchemaContents}), one query; null when there is no such schema. */
    public SchemaContents schemaContents(String name) {
        return SchemaContents.read(this, name);
    }

    public boolean role(String name) {
        return snapshot().role(QualifiedName.parseIdentifier(name));
    }

    // ---- data and server -------------------------------------------------------------------

    /**
     * {@code count(*)} of a table (or view, materialized view, foreign table), or -1 when there is
     * no such relation: absence stays an answer, and the caller says what it means.
     */
    public long rowCount(String table) {
        CatalogSnapshot.Rel rel = relations.relationRow(QualifiedName.parse(table), RelationLookup.ROW_SOURCE_KINDS);
        if (rel == null) {
            return -1;
        }
        Object count = value("SELECT count(*) FROM " + Identifiers.qualified(rel.schema(), rel.name()));
        return ((Number) count).longValue();
    }

    /** {@code server_version_num}: 170002 for 17.2. */
    public int serverVersion() {
        if (serverVersion == null) {
            serverVersion = Integer.parseInt((String) value("SELECT current_setting('server_version_num')"));
        }
        return serverVersion;
    }

    /** Rows as column label to value, in select-list order. */
    public List<Map<String, Object>> query(String sql, Object... args) {
        return queries.query(sql, args);
    }

    /**
     * Runs a catalog query and hands each row to {@code reader} straight from the result set: the
     * snapshot reads thousands of rows, and a map per row would cost more than the query.
     */
    void scan(String sql, Object[] args, CatalogSnapshot.RowReader reader) {
        queries.scan(sql, args, reader);
    }

    /** The first column of the first row, or null when there are no rows. */
    public Object value(String sql, Object... args) {
        return queries.value(sql, args);
    }

    /**
     * Runs {@code work} so that if it fails, the caller's transaction is still usable: inside a
     * transaction a failed statement would otherwise abort it, and every later catalog question
     * (the rest of a verify block) would fail with "current transaction is aborted".
     */
    public <T> T attempt(Supplier<T> work) {
        return queries.attempt(work);
    }

    /**
     * Runs {@code work} on each item under one savepoint for all of them, not one each: a verify
     * block of a thousand tables would otherwise spend most of its time on savepoint round trips.
     * When an item fails, the transaction goes back to the savepoint (undoing nothing a read did),
     * a new one is set, {@code onFailure} is told, and the next item runs on a usable transaction.
     */
    public <T> void attemptEach(List<T> items, Consumer<T> work, BiConsumer<T, RuntimeException> onFailure) {
        queries.attemptEach(items, work, onFailure);
    }
}
