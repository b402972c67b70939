package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.catalog.CatalogView
import dev.mig.catalog.QualifiedName
import dev.mig.model.Action
import dev.mig.model.Expectation
import dev.mig.model.Guard
import dev.mig.model.ObjectKind
import dev.mig.model.Step
import dev.mig.model.VerifyBlock
import dev.mig.plan.Checksums
import dev.mig.plan.DslUsage
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/**
 * The plan words {@code addNotNull}, {@code addForeignKey}, {@code addCheck} and {@code createIndex}
 * (docs/DSL.md, "Safe schema changes on busy tables"): each expands into ordinary steps, one per
 * phase, so that each phase is journaled and a rerun resumes at the first phase not done. Every
 * phase has a guard that reads the catalog (a phase that is done is skipped) and a verify block.
 * {@code changeColumnType} (ColumnTypeWord) builds its phases with the same helpers.
 */
@CompileStatic
@PackageScope
final class SafeWords {

    private static final String NOT_NULL = 'SELECT a.attnotnull FROM pg_attribute a' +
            ' WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped'
    private static final String CONSTRAINT = 'SELECT convalidated FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?'
    private static final String INDEX = 'SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid' +
            ' WHERE i.indrelid = to_regclass(?) AND c.relname = ?'
    private static final List<String> ON_DELETE = ['cascade', 'restrict', 'no action', 'set null', 'set default']

    private SafeWords() {
    }

    /** One phase: its step name suffix, what it does, its SQL, whether it has a transaction, its guard and verify. */
    @PackageScope
    static final class Phase {
        String suffix
        String sql
        /** What the phase runs when it is not {@link #sql} (a backfill, code, statements); {@link #sql} then describes it. */
        List<Action> actions
        boolean transactional = true
        String guardSource
        String guardMessage
        Closure<?> guard
        List<Expectation> verify = []
    }

    /** A guard or expect condition on the catalog view it is run with (its delegate). */
    @PackageScope
    static final class OnCatalog extends Closure<Object> {
        private final Closure<Boolean> body

        OnCatalog(Closure<Boolean> body) {
            super(SafeWords)
            this.body = body
        }

        Object doCall() { body.call((CatalogView) getDelegate()) }
    }

    static List<Step> addNotNull(DslDelegate block, SourceLocation at, int first, String table, String column) {
        String usage = DslUsage.hint('PlanDelegate', 'addNotNull')
        if (!names(block, 'addNotNull', usage, table, [column])) {
            return []
        }
        String label = "${table}.${column} not null".toString()
        List<Phase> phases = notNullPhases(at, table, column, null, null)
        steps(at, first, label, "addNotNull '${table}', '${column}'", phases)
    }

    /**
     * addNotNull's four phases; with {@code needed} (changeColumnType's) each phase also runs only
     * where it says true, and its verify holds where it says false ({@code unneeded} says why).
     */
    @PackageScope
    static List<Phase> notNullPhases(SourceLocation at, String table, String column, Closure<Boolean> needed, String unneeded) {
        String col = QualifiedName.parseIdentifier(column)
        String check = name(QualifiedName.parse(table).name() + '_' + col + '_not_null_check')
        Closure<Boolean> notNull = { CatalogView v -> v.value(NOT_NULL, table, col) == Boolean.TRUE }
        String bare = QualifiedName.parseIdentifier(check)
        Closure<Object> state = { CatalogView v -> v.value(CONSTRAINT, table, bare) }
        Closure<Boolean> runs = { CatalogView v -> needed == null || needed.call(v) }
        String or = unneeded == null ? '' : ", or ${unneeded}"
        List<Phase> phases = [
                phase('add check not valid', "ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (${column} IS NOT NULL) NOT VALID",
                        "the column is NOT NULL, or check ${check} is there${or}",
                        { CatalogView v -> runs.call(v) && !notNull.call(v) && state.call(v) == null },
                        [condition(at, "check ${check} is on ${table} (or ${column} is NOT NULL already)${or}",
                                { CatalogView v -> !runs.call(v) || state.call(v) != null || notNull.call(v) })]),
                phase('validate', "ALTER TABLE ${table} VALIDATE CONSTRAINT ${check}",
                        "the column is NOT NULL, or check ${check} is validated or gone${or}",
                        { CatalogView v -> runs.call(v) && !notNull.call(v) && state.call(v) == Boolean.FALSE },
                        [condition(at, "check ${check} on ${table} is validated (or ${column} is NOT NULL already)${or}",
                                { CatalogView v -> !runs.call(v) || state.call(v) == Boolean.TRUE || notNull.call(v) })]),
                phase('set not null', "ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL",
                        "the column is NOT NULL${or}", { CatalogView v -> runs.call(v) && !notNull.call(v) },
                        [condition(at, "${table}.${column} is NOT NULL${or}", { CatalogView v -> !runs.call(v) || notNull.call(v) })]),
                phase('drop check', "ALTER TABLE ${table} DROP CONSTRAINT ${check}",
                        "check ${check} is gone", { CatalogView v -> state.call(v) != null },
                        [condition(at, "${table}.${column} is NOT NULL and check ${check} is gone${or}",
                                { CatalogView v -> (!runs.call(v) || notNull.call(v)) && state.call(v) == null })])]
        phases
    }

    static List<Step> addForeignKey(DslDelegate block, SourceLocation at, int first, Map<String, Object> options,
                                    String table, List<String> columns) {
        String usage = DslUsage.hint('PlanDelegate', 'addForeignKey')
        if (!known(block, 'addForeignKey', options, ['references', 'onDelete', 'name'], usage)
                || !names(block, 'addForeignKey', usage, table, columns)) {
            return []
        }
        if (!(options.references instanceof CharSequence) || options.references.toString().trim().isEmpty()) {
            block.problem("addForeignKey '${table}' needs references: the table it points to".toString(), usage)
            return []
        }
        String references = options.references.toString().trim()
        String onDelete = options.onDelete?.toString()?.toLowerCase()
        if (onDelete != null && !(onDelete in ON_DELETE)) {
            block.problem("addForeignKey onDelete: '${options.onDelete}' is not one of ${ON_DELETE.join(', ')}".toString(), usage)
            return []
        }
        String constraint = constraintName(block, 'addForeignKey', options.name,
                QualifiedName.parse(table).name() + '_' + columns.collect { QualifiedName.parseIdentifier(it) }.join('_') + '_fkey')
        if (constraint == null) {
            return []
        }
        String add = "ALTER TABLE ${table} ADD CONSTRAINT ${constraint} FOREIGN KEY (${columns.join(', ')}) REFERENCES ${references}" +
                (onDelete == null ? '' : " ON DELETE ${onDelete.toUpperCase()}") + ' NOT VALID'
        String label = options.name != null ? "${table} foreign key ${constraint}".toString() : "${table}.${columns.join(', ')} foreign key".toString()
        validated(at, first, label,
                "addForeignKey '${table}', ${columns.collect { "'${it}'" }.join(', ')}, references: '${references}'".toString(),
                table, constraint, add)
    }

    static List<Step> addCheck(DslDelegate block, SourceLocation at, int first, String table, String name, String expression) {
        String usage = DslUsage.hint('PlanDelegate', 'addCheck')
        if (!names(block, 'addCheck', usage, table, [])) {
            return []
        }
        if (expression == null || expression.trim().isEmpty()) {
            block.problem("addCheck '${table}', '${name}' needs the condition every row must meet".toString(), usage)
            return []
        }
        String constraint = constraintName(block, 'addCheck', name, null)
        if (constraint == null) {
            return []
        }
        validated(at, first, "${table} check ${constraint}".toString(), "addCheck '${table}', '${name}'".toString(), table, constraint,
                "ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${expression.trim()}) NOT VALID".toString())
    }

    static List<Step> createIndex(DslDelegate block, SourceLocation at, int first, Map<String, Object> options,
                                  String table, List<String> columns) {
        String usage = DslUsage.hint('PlanDelegate', 'createIndex')
        if (!known(block, 'createIndex', options, ['unique', 'where', 'name', 'using'], usage)
                || !names(block, 'createIndex', usage, table, [])) {
            return []
        }
        if (columns.isEmpty() || columns.any { it == null || it.trim().isEmpty() }) {
            block.problem("createIndex '${table}' needs the columns (or expressions) of the key, in order".toString(), usage)
            return []
        }
        if (options.containsKey('unique') && !(options.unique instanceof Boolean)) {
            block.problem('createIndex unique: takes true or false', usage)
            return []
        }
        String defaultName = QualifiedName.parse(table).name() + '_' + columns.collect { it.toLowerCase().replaceAll(/[^a-z0-9_]+/, '_') }
                .join('_').replaceAll(/_+/, '_').replaceAll(/^_|_$/, '') + '_idx'
        String index = constraintName(block, 'createIndex', options.name, defaultName)
        if (index == null) {
            return []
        }
        boolean unique = options.unique == true
        String sql = "CREATE ${unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${index} ON ${table}" +
                (options.using == null ? '' : " USING ${options.using}") + " (${columns.join(', ')})" +
                (options.where == null ? '' : " WHERE ${options.where}")
        String bare = QualifiedName.parseIdentifier(index)
        Phase build = phase('create concurrently', sql, "a valid index ${index} is on ${table}",
                { CatalogView v -> v.value(INDEX, table, bare) != Boolean.TRUE },
                [new Expectation.Index(qualifiedIndex(table, index), unique ? Boolean.TRUE : null, Boolean.TRUE, null, table, null,
                        null, at) as Expectation])
        build.transactional = false
        steps(at, first, "${table} index ${index}".toString(), "createIndex '${table}', ${columns.collect { "'${it}'" }.join(', ')}", [build])
    }

    /** ADD ... NOT VALID, then VALIDATE CONSTRAINT in a step of its own. */
    private static List<Step> validated(SourceLocation at, int first, String label, String word, String table, String constraint, String add) {
        String bare = QualifiedName.parseIdentifier(constraint)
        Closure<Object> state = { CatalogView v -> v.value(CONSTRAINT, table, bare) }
        steps(at, first, label, word, [
                phase('add not valid', add, "constraint ${constraint} is there", { CatalogView v -> state.call(v) == null },
                        [condition(at, "constraint ${constraint} is on ${table}", { CatalogView v -> state.call(v) != null })]),
                phase('validate', "ALTER TABLE ${table} VALIDATE CONSTRAINT ${constraint}",
                        "constraint ${constraint} is validated", { CatalogView v -> state.call(v) == Boolean.FALSE },
                        [condition(at, "constraint ${constraint} on ${table} is validated", { CatalogView v -> state.call(v) == Boolean.TRUE })])])
    }

    @PackageScope
    static Phase phase(String suffix, GString sql, CharSequence skipped, Closure<Boolean> guard, List<Expectation> verify) {
        phase(suffix, sql.toString(), skipped, guard, verify)
    }

    @PackageScope
    static Phase phase(String suffix, String sql, CharSequence skipped, Closure<Boolean> guard, List<Expectation> verify) {
        new Phase(suffix: suffix, sql: sql, guardMessage: 'done already: ' + skipped.toString(),
                guardSource: "${suffix}: ${sql}".toString(), guard: new OnCatalog(guard), verify: verify)
    }

    @PackageScope
    static Expectation condition(SourceLocation at, CharSequence message, Closure<Boolean> check) {
        new Expectation.Condition(message.toString(), new OnCatalog(check), at)
    }

    @PackageScope
    static List<Step> steps(SourceLocation at, int first, String label, String word, List<Phase> phases) {
        steps(at, first, label, word, phases, false)
    }

    /** With {@code chained}, each phase requires the one before it (a dry run leaves out what follows a backfill). */
    @PackageScope
    static List<Step> steps(SourceLocation at, int first, String label, String word, List<Phase> phases, boolean chained) {
        List<Step> out = []
        phases.eachWithIndex { Phase p, int i ->
            Guard guard = new Guard(p.guard, Guard.OnFalse.SKIP, p.guardMessage, "${word} guard (${p.guardSource})".toString(), at)
            VerifyBlock verify = new VerifyBlock(p.verify, "${word} verify (${p.suffix})".toString())
            List<Action> actions = p.actions ?: [new Action.Sql(p.sql, null, at) as Action]
            String checksum = Checksums.step([guard], [], actions, verify, p.transactional, [])
            String description = "${word}, phase ${i + 1} of ${phases.size()}: ${p.sql}".toString()
            List<String> requires = chained && i > 0 ? [out[i - 1].name()] : []
            out.add(new Step("${label}: ${p.suffix}".toString(), first + i, at, description, requires, [guard], [], actions, verify, [],
                    p.transactional, null, null, null, false, [] as Set<String>, [], checksum, []))
        }
        out
    }

    /** The table, and each column, as SQL names: a plan problem otherwise. */
    @PackageScope
    static boolean names(DslDelegate block, String word, String usage, String table, List<String> columns) {
        if (table == null || table.trim().isEmpty()) {
            block.problem("${word} needs a table".toString(), usage)
            return false
        }
        if (!block.validName(ObjectKind.TABLE, word, table)) {
            return false
        }
        if (columns.isEmpty() && word != 'addCheck' && word != 'createIndex') {
            block.problem("${word} '${table}' needs a column".toString(), usage)
            return false
        }
        columns.every { String c -> c != null && block.validName(ObjectKind.SCHEMA, "${word} column".toString(), c) }
    }

    @PackageScope
    static boolean known(DslDelegate block, String word, Map<String, Object> options, List<String> names, String usage) {
        def unknown = options.keySet() - names
        if (unknown) {
            block.problem("unknown option ${unknown.join(', ')} of ${word}".toString(), usage)
            return false
        }
        true
    }

    /** {@code name:} as given (an SQL name), else the default, cut to PostgreSQL's 63 bytes; null after a plan problem. */
    private static String constraintName(DslDelegate block, String word, Object given, String fallback) {
        if (given == null && fallback != null) {
            return name(fallback)
        }
        if (!(given instanceof CharSequence) || !block.validName(ObjectKind.SCHEMA, "${word} name".toString(), given.toString())) {
            if (!(given instanceof CharSequence)) {
                block.problem("${word}: the name is ${given?.getClass()?.simpleName ?: 'missing'}, not text".toString(),
                        DslUsage.hint('PlanDelegate', word))
            }
            return null
        }
        given.toString()
    }

    /** A generated name: lower case letters, digits and _, at most 63 bytes; quoted only when it has to be. */
    @PackageScope
    static String name(String raw) {
        String cut = raw.length() > QualifiedName.MAX_IDENTIFIER_BYTES ? raw.substring(0, QualifiedName.MAX_IDENTIFIER_BYTES) : raw
        cut ==~ /[a-z_][a-z0-9_]*/ ? cut : '"' + cut.replace('"', '""') + '"'
    }

    /** An index lives in its table's schema: {@code app.orders} and {@code i} make {@code app.i}. */
    private static String qualifiedIndex(String table, String index) {
        String schema = QualifiedName.parse(table).schema()
        schema == null ? index : "${QualifiedName.parts(table)[0]}.${index}".toString()
    }
}
