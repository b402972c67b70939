package dev.mig.catalog;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    static final Set<Character> TABLE_KINDS = Set.of('r', 'p');
    static final Set<Character> INDEX_KINDS = Set.of('i', 'I');
    /** What rowCount, triggers and policies can hang on. */
    private static final Set<Character> ROW_SOURCE_KINDS = Set.of('r', 'p', 'v', 'm', 'f');

    private final Connection conn;
    private final List<String> searchPath;
    private final Map<String, Long> regtypes = new java.util.HashMap<>();
    private CatalogSnapshot snapshot;
    private int queriesRun;
    private String currentUser;
    private Integer serverVersion;

    public Catalog(Connection conn, List<String> searchPath) {
        this.conn = conn;
        this.searchPath = searchPath == null || searchPath.isEmpty() ? List.of("public") : List.copyOf(searchPath);
    }

    public Catalog(Connection conn) {
        this(conn, null);
    }

    /**
     * Reads a plan's {@code searchPath} setting ({@code 'kb, public'}) into schema names, folded and
     * unquoted like any other identifier.
     */
    public static List<String> parseSearchPath(String setting) {
        if (setting == null || setting.isBlank()) {
            return List.of("public");
        }
        List<String> schemas = new ArrayList<>();
        // a comma inside a quoted name ('"a,b", public') is part of the name
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= setting.length(); i++) {
            if (i == setting.length() || (setting.charAt(i) == ',' && !quoted)) {
                schemas.add(QualifiedName.parseIdentifier(setting.substring(start, i)));
                start = i + 1;
            } else if (setting.charAt(i) == '"') {
                quoted = !quoted;
            }
        }
        return schemas;
    }

    public List<String> searchPath() {
        return searchPath;
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
        regtypes.clear();
        currentUser = null;
    }

    /** How many queries this catalog has sent, for tests and benchmarks that check the snapshot works. */
    public int queriesRun() {
        return queriesRun;
    }

    private CatalogSnapshot snapshot() {
        if (snapshot == null) {
            snapshot = new CatalogSnapshot(this);
        }
        return snapshot;
    }

    /**
     * The candidate in the earliest schema of {@code schemas} that holds one, or null. Candidates
     * come in load order, so ties within a schema go to the first loaded (oid order).
     */
    private static <T> T earliest(List<T> candidates, String[] schemas, java.util.function.Function<T, String> schemaOf) {
        T best = null;
        int bestRank = Integer.MAX_VALUE;
        for (T candidate : candidates) {
            int rank = rank(schemas, schemaOf.apply(candidate));
            if (rank < bestRank) {
                best = candidate;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int rank(String[] schemas, String schema) {
        for (int i = 0; i < schemas.length; i++) {
            if (schemas[i].equals(schema)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    // ---- relations -------------------------------------------------------------------------

    public TableInfo table(String name) {
        return table(QualifiedName.parse(name));
    }

    public TableInfo table(QualifiedName name) {
        CatalogSnapshot.Rel rel = relationRow(name, TABLE_KINDS);
        if (rel == null) {
            return null;
        }
        CatalogSnapshot s = snapshot();
        List<String> policies = s.policiesOf(rel).stream().map(CatalogSnapshot.Pol::name).toList();
        return new TableInfo(rel.schema(), rel.name(), s.columns(rel), s.indexesOf(rel), s.constraintsOf(rel),
                s.triggersOf(rel), policies, rel.rowSecurity(), rel.forceRowSecurity(), rel.comment());
    }

    /** A column of a table, view, materialized view or foreign table; null when either is missing. */
    public ColumnInfo column(String table, String column) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        if (rel == null) {
            return null;
        }
        String wanted = QualifiedName.parseIdentifier(column);
        return snapshot().columns(rel).stream().filter(c -> c.name().equals(wanted)).findFirst().orElse(null);
    }

    public IndexInfo index(String name) {
        return index(QualifiedName.parse(name));
    }

    public IndexInfo index(QualifiedName name) {
        CatalogSnapshot.Rel rel = relationRow(name, INDEX_KINDS);
        return rel == null ? null : snapshot().index(rel);
    }

    /** Any pg_class entry whose relkind is one of {@code relkinds} (all kinds when null or empty). */
    public RelationInfo relation(String name, Set<Character> relkinds) {
        return relation(QualifiedName.parse(name), relkinds);
    }

    public RelationInfo relation(QualifiedName name, Set<Character> relkinds) {
        CatalogSnapshot.Rel rel = relationRow(name, relkinds);
        return rel == null ? null : new RelationInfo(rel.schema(), rel.name(), rel.kind());
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

    private CatalogSnapshot.Rel relationRow(QualifiedName name, Set<Character> relkinds) {
        String[] schemas = schemasFor(name, false);
        List<CatalogSnapshot.Rel> candidates = snapshot().relations(name.name(), schemas).stream()
                .filter(r -> relkinds == null || relkinds.isEmpty() || relkinds.contains(r.kind()))
                .toList();
        return earliest(candidates, schemas, CatalogSnapshot.Rel::schema);
    }

    // ---- constraints, triggers, policies ---------------------------------------------------

    /** A table constraint of this name on whatever table holds it; the first table by name wins. */
    public ConstraintInfo constraint(String name) {
        QualifiedName qn = QualifiedName.parse(name);
        String[] schemas = schemasFor(qn, false);
        return earliest(snapshot().constraintsNamed(qn.name(), schemas), schemas, ConstraintInfo::schema);
    }

    public ConstraintInfo constraint(String table, String name) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        if (rel == null) {
            return null;
        }
        String wanted = QualifiedName.parseIdentifier(name);
        return snapshot().constraintsOf(rel).stream().filter(c -> c.name().equals(wanted)).findFirst().orElse(null);
    }

    /** {@code pg_get_constraintdef}, e.g. {@code UNIQUE (a, b)}: read on demand, as snapshots leave it out. */
    public String constraintDefinition(ConstraintInfo constraint) {
        return (String) value("SELECT pg_get_constraintdef(?::oid)", constraint.oid());
    }

    /** A user trigger of this name on the table (the internal ones behind foreign keys are not counted). */
    public boolean trigger(String table, String name) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        String wanted = QualifiedName.parseIdentifier(name);
        return rel != null && snapshot().triggersOf(rel).contains(wanted);
    }

    public boolean policy(String table, String name) {
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        String wanted = QualifiedName.parseIdentifier(name);
        return rel != null && snapshot().policiesOf(rel).stream().anyMatch(p -> p.name().equals(wanted));
    }

    // ---- types, extensions, functions ------------------------------------------------------

    public TypeInfo type(String name) {
        CatalogSnapshot.Typ typ = typeRow(name);
        return typ == null ? null : typ.info();
    }

    /** The labels in their sort order, or null when there is no such type or it is not an enum. */
    public List<String> enumLabels(String name) {
        CatalogSnapshot.Typ typ = typeRow(name);
        if (typ == null || typ.info().kind() != 'e') {
            return null;
        }
        return snapshot().enumLabels(typ.oid());
    }

    private CatalogSnapshot.Typ typeRow(String name) {
        QualifiedName qn = QualifiedName.parse(name);
        String[] schemas = schemasFor(qn, true);
        return earliest(snapshot().types(qn.name(), schemas), schemas, t -> t.info().schema());
    }

    public ExtensionInfo extension(String name) {
        return snapshot().extension(QualifiedName.parseIdentifier(name));
    }

    /**
     * {@code 'f'} finds any overload; {@code 'f(int, text)'} the one whose argument types are those,
     * each resolved by the server ({@code to_regtype}), so aliases and typmods don't matter. Argument
     * names and modes ({@code IN x int}) are not accepted, only types.
     */
    public FunctionInfo function(String nameOrSignature) {
        FunctionSignature sig = FunctionSignature.parse(nameOrSignature);
        List<CatalogSnapshot.Fn> candidates = functionCandidates(sig.name());
        if (sig.argumentTypes() != null) {
            List<Long> wanted = regtypes(sig.argumentTypes());
            candidates = candidates.stream().filter(f -> f.argTypes().equals(wanted)).toList();
        }
        CatalogSnapshot.Fn fn = earliest(candidates, schemasFor(sig.name(), true), f -> f.info().schema());
        return fn == null ? null : fn.info();
    }

    /** Every overload visible under this name (the argument list, if any, is ignored). */
    public List<FunctionInfo> functions(String name) {
        FunctionSignature sig = FunctionSignature.parse(name);
        String[] schemas = schemasFor(sig.name(), true);
        return functionCandidates(sig.name()).stream()
                .filter(f -> rank(schemas, f.info().schema()) < Integer.MAX_VALUE)
                .sorted(java.util.Comparator.<CatalogSnapshot.Fn>comparingInt(f -> rank(schemas, f.info().schema()))
                        .thenComparing(f -> f.info().identityArguments()))
                .map(CatalogSnapshot.Fn::info)
                .toList();
    }

    /**
     * The functions of this name the lookup can reach. The built-in schemas ({@code pg_catalog},
     * {@code information_schema}) are read only when no schema before them in the lookup's order
     * holds one: there are thousands of built-ins, and most lookups are for the user's own.
     */
    private List<CatalogSnapshot.Fn> functionCandidates(QualifiedName name) {
        String[] schemas = schemasFor(name, true);
        CatalogSnapshot s = snapshot();
        int firstBuiltin = schemas.length;
        for (int i = 0; i < schemas.length; i++) {
            if (CatalogSnapshot.isBuiltinSchema(schemas[i])) {
                firstBuiltin = i;
                break;
            }
        }
        List<CatalogSnapshot.Fn> before = s.functions(name.name(), java.util.Arrays.copyOf(schemas, firstBuiltin));
        if (!before.isEmpty() || firstBuiltin == schemas.length) {
            return before;
        }
        return s.functions(name.name(), schemas);
    }

    /**
     * The server's type oids for these type names ({@code int}, {@code varchar(20)}, ...), in one
     * query per distinct list, remembered until {@link #refresh()}; an unknown name gives -1.
     */
    private List<Long> regtypes(List<String> typeNames) {
        List<Long> out = new ArrayList<>();
        List<String> unknown = typeNames.stream().filter(t -> !regtypes.containsKey(t)).distinct().toList();
        if (!unknown.isEmpty()) {
            for (Map<String, Object> row : query("""
                    SELECT t.a, coalesce(to_regtype(t.a)::oid, 0) AS oid
                      FROM unnest(?::text[]) AS t(a)""", (Object) unknown.toArray(String[]::new))) {
                long oid = ((Number) row.get("oid")).longValue();
                regtypes.put((String) row.get("a"), oid == 0 ? -1L : oid);
            }
        }
        for (String t : typeNames) {
            out.add(regtypes.get(t));
        }
        return out;
    }

    // ---- schemas, roles --------------------------------------------------------------------

    public boolean schema(String name) {
        return snapshot().schema(QualifiedName.parseIdentifier(name));
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
        CatalogSnapshot.Rel rel = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
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
        queriesRun++;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) {
                        row.put(md.getColumnLabel(c), rs.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "catalog query failed: " + e.getMessage(), null,
                    "the query was: " + sql, e);
        }
    }

    /**
     * Runs a catalog query and hands each row to {@code reader} straight from the result set: the
     * snapshot reads thousands of rows, and a map per row would cost more than the query.
     */
    void scan(String sql, Object[] args, CatalogSnapshot.RowReader reader) {
        queriesRun++;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "catalog query failed: " + e.getMessage(), null,
                    "the query was: " + sql, e);
        }
    }

    /** The first column of the first row, or null when there are no rows. */
    public Object value(String sql, Object... args) {
        Map<String, Object> row = first(sql, args);
        return row == null ? null : row.values().iterator().next();
    }

    /**
     * Runs {@code work} so that if it fails, the caller's transaction is still usable: inside a
     * transaction a failed statement would otherwise abort it, and every later catalog question
     * (the rest of a verify block) would fail with "current transaction is aborted".
     */
    public <T> T attempt(Supplier<T> work) {
        Savepoint savepoint = savepoint();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            rollbackTo(savepoint, e);
            throw e;
        }
        release(savepoint);
        return result;
    }

    /**
     * Runs {@code work} on each item under one savepoint for all of them, not one each: a verify
     * block of a thousand tables would otherwise spend most of its time on savepoint round trips.
     * When an item fails, the transaction goes back to the savepoint (undoing nothing a read did),
     * a new one is set, {@code onFailure} is told, and the next item runs on a usable transaction.
     */
    public <T> void attemptEach(List<T> items, java.util.function.Consumer<T> work,
                                java.util.function.BiConsumer<T, RuntimeException> onFailure) {
        Savepoint savepoint = savepoint();
        for (T item : items) {
            try {
                work.accept(item);
            } catch (RuntimeException e) {
                rollbackTo(savepoint, e);
                if (savepoint != null) {
                    savepoint = savepoint();
                }
                onFailure.accept(item, e);
            }
        }
        release(savepoint);
    }

    /** Undoes what failed since the savepoint; a failure to do so is kept with the original error. */
    private void rollbackTo(Savepoint savepoint, RuntimeException failure) {
        if (savepoint != null) {
            try {
                conn.rollback(savepoint);
            } catch (SQLException rollbackFailed) {
                failure.addSuppressed(rollbackFailed);
            }
        }
    }

    private void release(Savepoint savepoint) {
        if (savepoint != null) {
            try {
                conn.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                throw new MigException(ExitCode.STEP_FAILED, "could not release a savepoint: " + e.getMessage(), null, null, e);
            }
        }
    }

    /** A savepoint when inside a transaction; null in autocommit, where a failed statement aborts nothing. */
    private Savepoint savepoint() {
        try {
            return conn.getAutoCommit() ? null : conn.setSavepoint();
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "could not set a savepoint: " + e.getMessage(), null, null, e);
        }
    }

    private Map<String, Object> first(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private void bind(PreparedStatement ps, Object[] args) throws SQLException {
        if (args == null) {
            return;
        }
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof String[] strings) {
                Array array = conn.createArrayOf("text", strings);
                ps.setArray(i + 1, array);
            } else if (arg == null) {
                // untyped NULL: let the server infer the type from the statement
                ps.setNull(i + 1, java.sql.Types.OTHER);
            } else {
                ps.setObject(i + 1, arg);
            }
        }
    }

    /** The schemas to look in, in the order that decides: the named one, else the search path. */
    private String[] schemasFor(QualifiedName name, boolean withPgCatalog) {
        if (name.schema() != null) {
            return new String[]{name.schema()};
        }
        List<String> schemas = new ArrayList<>();
        for (String s : searchPath) {
            schemas.add("$user".equals(s) ? currentUser() : s);
        }
        if (withPgCatalog && !schemas.contains("pg_catalog")) {
            schemas.add("pg_catalog");
        }
        return schemas.toArray(String[]::new);
    }

    private String currentUser() {
        if (currentUser == null) {
            currentUser = (String) value("SELECT current_user::text");
        }
        return currentUser;
    }
}
