package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.model.Count
import dev.mig.model.Expectation
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code table('t') { }} in a verify block. */
@CompileStatic
class TableDelegate extends DslDelegate {

    private static final List<String> DELETE_ACTIONS = ['no action', 'restrict', 'cascade', 'set null', 'set default']

    private final String name
    private Count columns
    private final Map<String, Expectation.ColumnSpec> columnSpecs = new LinkedHashMap<>()
    private List<String> primaryKey
    private final List<Expectation.ForeignKeySpec> foreignKeys = []
    private final List<List<String>> uniques = []
    private final List<String> checks = []
    private Boolean rowLevelSecurity
    private Boolean forceRowLevelSecurity
    private String comment
    private final List<Expectation.NameSet> nameSets = []
    private final List<String> noForeignKeys = []

    TableDelegate(LoadContext context, Script script, String name) {
        super(context, script)
        this.name = name
    }

    @Override
    protected String blockName() { "table '${name}'" }

    /** {@code columns 12} or {@code columns atLeast(3)}; {@code columns 'id', 'name'}: exactly these, in any order. */
    void columns(Object count) {
        if (count instanceof CharSequence) {
            addNames('columns', [count.toString()] as String[])
        } else {
            columns = toCount(count, 'columns')
        }
    }

    void columns(String... names) { addNames('columns', names) }

    void column(String name) { this.column(name, (Closure<?>) null) }

    void column(String column, @DelegatesTo(value = ColumnDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        SourceLocation at = here()
        ColumnDelegate delegate = new ColumnDelegate(context, script, name, column)
        if (body != null) {
            runBlock(body, delegate)
        }
        columnSpecs.put(column, delegate.build(at))
    }

    /** {@code indexes 3} or {@code indexes atLeast(2)}, counting every index of the table. */
    void indexes(Object count) { addCount('indexes', count) }

    /** {@code indexes 'a_idx', 'b_idx'}: exactly these indexes, in any order. */
    void indexes(String... names) { addNames('indexes', names) }

    /**
     * {@code indexes 1, excluding: 'constraints'}: not counting the indexes behind the primary key,
     * unique and exclusion constraints ({@code excluding: 'primaryKey'}: only the primary key's).
     */
    void indexes(Map<String, Object> options, Object count) {
        String example = "indexes 1, excluding: 'constraints'"
        def unknown = options.keySet() - ['excluding']
        String excluding = options.excluding == null ? null : String.valueOf(options.excluding)
        if (unknown || !(excluding in EXCLUDABLE)) {
            problem(unknown ? "unknown option ${unknown.join(', ')} of indexes".toString()
                    : "indexes excluding: '${excluding}' is not one of ${EXCLUDABLE.join(', ')}".toString(), example)
            return
        }
        Count n = toCount(count, 'indexes')
        if (n != null) {
            nameSets.add(new Expectation.NameSet('indexes', n, null, excluding))
        }
    }

    private static final List<String> EXCLUDABLE = ['primaryKey', 'constraints']

    /** {@code foreignKeys 1} or {@code foreignKeys atLeast(1)}; {@code foreignKeys 'a_fkey'}: exactly these, by name. */
    void foreignKeys(Object count) { addCount('foreignKeys', count) }

    void foreignKeys(String... names) { addNames('foreignKeys', names) }

    /** {@code noForeignKey 'content_id'}: no foreign key of the table covers these columns (a polymorphic reference). */
    void noForeignKey(String... columns) {
        if (columns.length == 0) {
            problem('noForeignKey needs at least one column', "noForeignKey 'content_id'")
            return
        }
        noForeignKeys.addAll(columns)
    }

    /** {@code primaryKey 'id'} or {@code primaryKey 'tenant_id', 'id'}: the key's columns in key order. */
    void primaryKey(String... columns) {
        if (columns.length == 0) {
            problem('primaryKey needs at least one column', "primaryKey 'id'")
            return
        }
        primaryKey = columns.toList()
    }

    /**
     * {@code foreignKey(column: 'user_id', references: 'users(id)')}; {@code columns: ['a', 'b']}
     * for a composite key, {@code references: 'users'} to accept any referenced columns, and
     * {@code onDelete: 'cascade'} to check the action too.
     */
    void foreignKey(Map<String, Object> options) {
        String example = "foreignKey(column: 'user_id', references: 'users(id)')"
        def unknown = options.keySet() - ['column', 'columns', 'references', 'onDelete']
        if (unknown) {
            problem("unknown option ${unknown.join(', ')} of foreignKey".toString(), example)
            return
        }
        Object cols = options.containsKey('columns') ? options.columns : options.column
        List<String> columnList = cols instanceof Collection ? ((Collection<?>) cols).collect { String.valueOf(it) }
                : cols != null ? [String.valueOf(cols)] : []
        if (columnList.isEmpty() || options.references == null) {
            problem('foreignKey needs column (or columns) and references', example)
            return
        }
        String onDelete = options.onDelete == null ? null : String.valueOf(options.onDelete).toLowerCase()
        if (onDelete != null && !DELETE_ACTIONS.contains(onDelete)) {
            problem("unknown onDelete action '${options.onDelete}'".toString(), "one of ${DELETE_ACTIONS.join(', ')}")
            return
        }
        List<String> target = splitReference(String.valueOf(options.references))
        if (target == null) {
            problem("malformed references '${options.references}'".toString(), "references: 'users(id)' or 'kb.users(id, tenant_id)' or 'users'")
            return
        }
        List<String> refColumns = target.size() > 1 ? target.subList(1, target.size()) : null
        foreignKeys.add(new Expectation.ForeignKeySpec(columnList, target[0], refColumns, onDelete))
    }

    /** {@code unique 'email'} or {@code unique 'tenant_id', 'slug'}: a UNIQUE constraint or unique index on exactly these. */
    void unique(String... columns) {
        if (columns.length == 0) {
            problem('unique needs at least one column', "unique 'tenant_id', 'slug'")
            return
        }
        uniques.add(columns.toList())
    }

    /** {@code check 'price_positive'}: a CHECK constraint of this name. */
    void check(String constraintName) { checks.add(constraintName) }

    /** {@code rowLevelSecurity true}: ALTER TABLE ... ENABLE ROW LEVEL SECURITY was run. */
    void rowLevelSecurity(boolean enabled) { rowLevelSecurity = enabled }

    /** {@code forceRowLevelSecurity true}: ALTER TABLE ... FORCE ROW LEVEL SECURITY, so the owner is filtered too. */
    void forceRowLevelSecurity(boolean forced) { forceRowLevelSecurity = forced }

    /** {@code policies 2} or {@code policies atLeast(1)}; {@code policies 'owner', 'admin'}: exactly these, by name. */
    void policies(Object count) { addCount('policies', count) }

    void policies(String... names) { addNames('policies', names) }

    /** {@code triggers 1}: user triggers, not the internal ones behind foreign keys; {@code triggers 'touch'}: exactly these. */
    void triggers(Object count) { addCount('triggers', count) }

    void triggers(String... names) { addNames('triggers', names) }

    private void addCount(String kind, Object count) { addTo(nameSets, countSet(kind, count)) }

    private void addNames(String kind, String[] names) { addTo(nameSets, namesSet(kind, names)) }

    /** {@code comment 'Chunks of documents'}: COMMENT ON TABLE, exactly. */
    void comment(String text) { comment = text }

    /**
     * {@code users(id, tenant_id)} into {@code [users, id, tenant_id]}; {@code users} into
     * {@code [users]}. A parenthesis inside a quoted name does not count. Null when malformed.
     */
    private static List<String> splitReference(String text) {
        boolean quoted = false
        int open = -1
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i)
            if (c == '"' as char) {
                quoted = !quoted
            } else if (c == '(' as char && !quoted) {
                open = i
                break
            }
        }
        if (open < 0) {
            return text.trim() ? [text.trim()] : null
        }
        if (!text.trim().endsWith(')') || open == 0) {
            return null
        }
        String inside = text.substring(open + 1, text.trim().lastIndexOf(')'))
        List<String> parts = [text.substring(0, open).trim()]
        for (String column : inside.split(',')) {
            if (!column.trim()) {
                return null
            }
            parts.add(column.trim())
        }
        return parts
    }

    Expectation.Table build(SourceLocation at) {
        new Expectation.Table(name, columns, columnSpecs, null, primaryKey, foreignKeys, uniques, checks,
                rowLevelSecurity, forceRowLevelSecurity, null, null, comment, nameSets, noForeignKeys, at)
    }
}
