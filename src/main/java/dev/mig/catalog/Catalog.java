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
        for (String part : setting.split(",")) {
            schemas.add(QualifiedName.parseIdentifier(part));
        }
        return schemas;
    }

    public List<String> searchPath() {
        return searchPath;
    }

    public Connection connection() {
        return conn;
    }

    // ---- relations -------------------------------------------------------------------------

    public TableInfo table(String name) {
        return table(QualifiedName.parse(name));
    }

    public TableInfo table(QualifiedName name) {
        Map<String, Object> row = relationRow(name, TABLE_KINDS);
        if (row == null) {
            return null;
        }
        long oid = ((Number) row.get("oid")).longValue();
        List<ColumnInfo> columns = new ArrayList<>();
        for (Map<String, Object> c : query("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
                       pg_get_expr(d.adbin, d.adrelid) AS default_expr
                  FROM pg_attribute a
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum""", oid)) {
            columns.add(new ColumnInfo((String) c.get("attname"), (String) c.get("type"),
                    (Boolean) c.get("attnotnull"), (String) c.get("default_expr")));
        }
        List<IndexInfo> indexes = new ArrayList<>();
        for (Map<String, Object> i : query(INDEX_SELECT + " WHERE i.indrelid = ?::oid ORDER BY ic.oid", oid)) {
            indexes.add(indexInfo(i));
        }
        return new TableInfo((String) row.get("nspname"), (String) row.get("relname"), columns, indexes);
    }

    public ColumnInfo column(String table, String column) {
        TableInfo info = table(table);
        return info == null ? null : info.column(QualifiedName.parseIdentifier(column));
    }

    private static final String INDEX_SELECT = """
            SELECT n.nspname, ic.relname, tc.relname AS table_name, i.indisunique, i.indisvalid,
                   am.amname, i.indisprimary
              FROM pg_index i
              JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_namespace n ON n.oid = ic.relnamespace
              JOIN pg_class tc ON tc.oid = i.indrelid
              JOIN pg_am am ON am.oid = ic.relam
            """;

    public IndexInfo index(String name) {
        return index(QualifiedName.parse(name));
    }

    public IndexInfo index(QualifiedName name) {
        String[] schemas = schemasFor(name, false);
        Map<String, Object> row = first(INDEX_SELECT + """
                 WHERE ic.relname = ? AND n.nspname = ANY(?)
                 ORDER BY array_position(?, n.nspname::text)
                 LIMIT 1""", name.name(), schemas, schemas);
        return row == null ? null : indexInfo(row);
    }

    private static IndexInfo indexInfo(Map<String, Object> row) {
        return new IndexInfo((String) row.get("nspname"), (String) row.get("relname"), (String) row.get("table_name"),
                (Boolean) row.get("indisunique"), (Boolean) row.get("indisvalid"), (String) row.get("amname"),
                (Boolean) row.get("indisprimary"));
    }

    /** Any pg_class entry whose relkind is one of {@code relkinds} (all kinds when null or empty). */
    public RelationInfo relation(String name, Set<Character> relkinds) {
        return relation(QualifiedName.parse(name), relkinds);
    }

    public RelationInfo relation(QualifiedName name, Set<Character> relkinds) {
        Map<String, Object> row = relationRow(name, relkinds);
        return row == null ? null
                : new RelationInfo((String) row.get("nspname"), (String) row.get("relname"), ((String) row.get("relkind")).charAt(0));
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

    private Map<String, Object> relationRow(QualifiedName name, Set<Character> relkinds) {
        String[] schemas = schemasFor(name, false);
        String[] kinds = relkinds == null || relkinds.isEmpty() ? null
                : relkinds.stream().map(String::valueOf).toArray(String[]::new);
        return first("""
                SELECT c.oid, n.nspname, c.relname, c.relkind::text AS relkind
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relname = ? AND n.nspname = ANY(?)
                   AND (?::text[] IS NULL OR c.relkind::text = ANY(?::text[]))
                 ORDER BY array_position(?, n.nspname::text)
                 LIMIT 1""", name.name(), schemas, kinds, kinds, schemas);
    }

    private Long rowSourceOid(String table) {
        Map<String, Object> row = relationRow(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        return row == null ? null : ((Number) row.get("oid")).longValue();
    }

    // ---- constraints, triggers, policies ---------------------------------------------------

    private static final String CONSTRAINT_SELECT = """
            SELECT n.nspname, con.conname, tc.relname, con.contype::text AS contype,
                   pg_get_constraintdef(con.oid) AS definition
              FROM pg_constraint con
              JOIN pg_namespace n ON n.oid = con.connamespace
              JOIN pg_class tc ON tc.oid = con.conrelid
            """;

    /** A table constraint of this name on whatever table holds it; the first table by name wins. */
    public ConstraintInfo constraint(String name) {
        QualifiedName qn = QualifiedName.parse(name);
        String[] schemas = schemasFor(qn, false);
        return constraintInfo(first(CONSTRAINT_SELECT + """
                 WHERE con.conname = ? AND n.nspname = ANY(?)
                 ORDER BY array_position(?, n.nspname::text), tc.relname
                 LIMIT 1""", qn.name(), schemas, schemas));
    }

    public ConstraintInfo constraint(String table, String name) {
        Long oid = rowSourceOid(table);
        if (oid == null) {
            return null;
        }
        return constraintInfo(first(CONSTRAINT_SELECT + " WHERE con.conrelid = ?::oid AND con.conname = ?",
                oid, QualifiedName.parseIdentifier(name)));
    }

    private static ConstraintInfo constraintInfo(Map<String, Object> row) {
        return row == null ? null
                : new ConstraintInfo((String) row.get("nspname"), (String) row.get("conname"), (String) row.get("relname"),
                ((String) row.get("contype")).charAt(0), (String) row.get("definition"));
    }

    public boolean trigger(String table, String name) {
        Long oid = rowSourceOid(table);
        return oid != null && first("SELECT 1 FROM pg_trigger WHERE tgrelid = ?::oid AND tgname = ?",
                oid, QualifiedName.parseIdentifier(name)) != null;
    }

    public boolean policy(String table, String name) {
        Long oid = rowSourceOid(table);
        return oid != null && first("SELECT 1 FROM pg_policy WHERE polrelid = ?::oid AND polname = ?",
                oid, QualifiedName.parseIdentifier(name)) != null;
    }

    // ---- types, extensions, functions ------------------------------------------------------

    public TypeInfo type(String name) {
        Map<String, Object> row = typeRow(name);
        return row == null ? null
                : new TypeInfo((String) row.get("nspname"), (String) row.get("typname"), ((String) row.get("typtype")).charAt(0));
    }

    /** The labels in their sort order, or null when there is no such type or it is not an enum. */
    public List<String> enumLabels(String name) {
        Map<String, Object> row = typeRow(name);
        if (row == null || !"e".equals(row.get("typtype"))) {
            return null;
        }
        List<String> labels = new ArrayList<>();
        for (Map<String, Object> l : query("SELECT enumlabel FROM pg_enum WHERE enumtypid = ?::oid ORDER BY enumsortorder",
                ((Number) row.get("oid")).longValue())) {
            labels.add((String) l.get("enumlabel"));
        }
        return labels;
    }

    private Map<String, Object> typeRow(String name) {
        QualifiedName qn = QualifiedName.parse(name);
        String[] schemas = schemasFor(qn, true);
        return first("""
                SELECT t.oid, n.nspname, t.typname, t.typtype::text AS typtype
                  FROM pg_type t
                  JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE t.typname = ? AND n.nspname = ANY(?)
                 ORDER BY array_position(?, n.nspname::text)
                 LIMIT 1""", qn.name(), schemas, schemas);
    }

    public ExtensionInfo extension(String name) {
        Map<String, Object> row = first("""
                SELECT e.extname, e.extversion, n.nspname
                  FROM pg_extension e
                  JOIN pg_namespace n ON n.oid = e.extnamespace
                 WHERE e.extname = ?""", QualifiedName.parseIdentifier(name));
        return row == null ? null
                : new ExtensionInfo((String) row.get("extname"), (String) row.get("extversion"), (String) row.get("nspname"));
    }

    private static final String FUNCTION_SELECT = """
            SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args,
                   pg_get_function_result(p.oid) AS result
              FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
            """;

    /**
     * {@code 'f'} finds any overload; {@code 'f(int, text)'} the one whose argument types are those,
     * each resolved by the server ({@code to_regtype}), so aliases and typmods don't matter. Argument
     * names and modes ({@code IN x int}) are not accepted, only types.
     */
    public FunctionInfo function(String nameOrSignature) {
        FunctionSignature sig = FunctionSignature.parse(nameOrSignature);
        String[] schemas = schemasFor(sig.name(), true);
        if (sig.argumentTypes() == null) {
            return functionInfo(first(FUNCTION_SELECT + """
                     WHERE p.proname = ? AND n.nspname = ANY(?)
                     ORDER BY array_position(?, n.nspname::text), p.oid
                     LIMIT 1""", sig.name().name(), schemas, schemas));
        }
        String[] args = sig.argumentTypes().toArray(String[]::new);
        // to_regtype of an unknown type is NULL, and an array holding NULL never equals proargtypes;
        // proargtypes is an oidvector indexed from 0, so it is re-collected into a 1-based array
        // because array equality compares lower bounds too
        return functionInfo(first(FUNCTION_SELECT + """
                 WHERE p.proname = ? AND n.nspname = ANY(?)
                   AND ARRAY(SELECT t FROM unnest(p.proargtypes) WITH ORDINALITY AS u(t, o) ORDER BY o) = coalesce(
                         (SELECT array_agg(to_regtype(a)::oid ORDER BY o)
                            FROM unnest(?::text[]) WITH ORDINALITY AS t(a, o)),
                         '{}'::oid[])
                 ORDER BY array_position(?, n.nspname::text)
                 LIMIT 1""", sig.name().name(), schemas, args, schemas));
    }

    /** Every overload visible under this name (the argument list, if any, is ignored). */
    public List<FunctionInfo> functions(String name) {
        FunctionSignature sig = FunctionSignature.parse(name);
        String[] schemas = schemasFor(sig.name(), true);
        List<FunctionInfo> result = new ArrayList<>();
        for (Map<String, Object> row : query(FUNCTION_SELECT + """
                 WHERE p.proname = ? AND n.nspname = ANY(?)
                 ORDER BY array_position(?, n.nspname::text), args""", sig.name().name(), schemas, schemas)) {
            result.add(functionInfo(row));
        }
        return result;
    }

    private static FunctionInfo functionInfo(Map<String, Object> row) {
        return row == null ? null
                : new FunctionInfo((String) row.get("nspname"), (String) row.get("proname"), (String) row.get("args"),
                (String) row.get("result"));
    }

    // ---- schemas, roles --------------------------------------------------------------------

    public boolean schema(String name) {
        return first("SELECT 1 FROM pg_namespace WHERE nspname = ?", QualifiedName.parseIdentifier(name)) != null;
    }

    public boolean role(String name) {
        return first("SELECT 1 FROM pg_roles WHERE rolname = ?", QualifiedName.parseIdentifier(name)) != null;
    }

    // ---- data and server -------------------------------------------------------------------

    /**
     * {@code count(*)} of a table (or view, materialized view, foreign table), or -1 when there is
     * no such relation: absence stays an answer, and the caller says what it means.
     */
    public long rowCount(String table) {
        RelationInfo rel = relation(QualifiedName.parse(table), ROW_SOURCE_KINDS);
        if (rel == null) {
            return -1;
        }
        Object count = value("SELECT count(*) FROM " + Identifiers.qualified(rel.schema(), rel.name()));
        return ((Number) count).longValue();
    }

    /** {@code server_version_num}: 170002 for 17.2. */
    public int serverVersion() {
        return Integer.parseInt((String) value("SELECT current_setting('server_version_num')"));
    }

    /** Rows as column label to value, in select-list order. */
    public List<Map<String, Object>> query(String sql, Object... args) {
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
        Savepoint savepoint = null;
        try {
            if (!conn.getAutoCommit()) {
                savepoint = conn.setSavepoint();
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "could not set a savepoint: " + e.getMessage(), null, null, e);
        }
        try {
            T result = work.get();
            if (savepoint != null) {
                conn.releaseSavepoint(savepoint);
            }
            return result;
        } catch (RuntimeException e) {
            if (savepoint != null) {
                try {
                    conn.rollback(savepoint);
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
            }
            throw e;
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "could not release a savepoint: " + e.getMessage(), null, null, e);
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
        return (String) value("SELECT current_user::text");
    }
}
