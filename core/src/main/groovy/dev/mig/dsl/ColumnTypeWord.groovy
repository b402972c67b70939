package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.catalog.CatalogView
import dev.mig.catalog.QualifiedName
import dev.mig.model.Action
import dev.mig.model.Step
import dev.mig.plan.DslUsage
import groovy.sql.GroovyRowResult
import groovy.sql.Sql
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

import static dev.mig.dsl.SafeWords.condition
import static dev.mig.dsl.SafeWords.phase

/**
 * {@code changeColumnType 'orders', 'amount', to: 'bigint'} (docs/DSL.md, "Safe schema changes on
 * busy tables"): a new column of the new type kept in step by a trigger, a batched backfill, the
 * NOT NULL carried over as addNotNull does it, the column's indexes built again CONCURRENTLY, a
 * short swap, and the old column dropped; each phase one journaled step with a catalog guard.
 */
@CompileStatic
@PackageScope
final class ColumnTypeWord {

    /** The column's base type, then {@code |} and its modifier's numbers when it has one: {@code numeric|12,2}. */
    private static final String COLUMN = '''SELECT format_type(a.atttypid, NULL)
 || coalesce('|' || substring(format_type(a.atttypid, a.atttypmod) FROM '\\(([0-9, ]*)\\)'), '')
 FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped'''
    private static final String NOT_NULL = 'SELECT a.attnotnull FROM pg_attribute a' +
            ' WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped'
    private static final String TRIGGER = 'SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?'
    private static final String VALID = 'SELECT bool_or(i.indisvalid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid' +
            ' WHERE i.indrelid = to_regclass(?) AND c.relname = ?'

    private ColumnTypeWord() {
    }

    static List<Step> changeColumnType(DslDelegate block, SourceLocation at, int first, Map<String, Object> options,
                                       String table, String column) {
        String usage = DslUsage.hint('PlanDelegate', 'changeColumnType')
        if (!SafeWords.known(block, 'changeColumnType', options, ['to', 'using', 'batchSize', 'pause', 'keepOld'], usage)
                || !SafeWords.names(block, 'changeColumnType', usage, table, [column])) {
            return []
        }
        if (!(options.to instanceof CharSequence) || options.to.toString().trim().isEmpty()) {
            block.problem("changeColumnType '${table}', '${column}' needs to: the new type".toString(), usage)
            return []
        }
        if (options.containsKey('using') && (!(options.using instanceof CharSequence) || options.using.toString().trim().isEmpty()
                || options.using.toString().contains(ColumnTypeSql.TAG))) {
            block.problem('changeColumnType using: takes the SQL expression of the new value, on the row\'s columns', usage)
            return []
        }
        if (options.containsKey('keepOld') && !(options.keepOld instanceof Boolean)) {
            block.problem('changeColumnType keepOld: takes true or false', usage)
            return []
        }
        String type = options.to.toString().trim()
        String col = QualifiedName.parseIdentifier(column)
        String using = options.using == null ? "${column}::${type}".toString() : options.using.toString().trim()
        BackfillDelegate fill = new BackfillDelegate(block.context, block.script, "changeColumnType '${table}', '${column}'")
        Names n = new Names(table, col)
        fill.table(table)
        fill.set("${n.newSql} = (${using})".toString())
        fill.where("${n.newSql} IS NULL".toString())
        if (options.containsKey('batchSize')) {
            fill.batchSize(options.batchSize)
        }
        if (options.containsKey('pause')) {
            fill.pause(options.pause?.toString())
        }
        Action.Backfill backfill = fill.build(at)
        if (backfill == null) {
            return []
        }
        String word = "changeColumnType '${table}', '${column}', to: '${type}'".toString() +
                (options.using == null ? '' : ", using: '${using}'") + (options.keepOld == true ? ', keepOld: true' : '')
        Closure<Boolean> hasNew = { CatalogView v -> v.value(COLUMN, table, n.newColumn) != null }
        Closure<Boolean> done = { CatalogView v -> !hasNew.call(v) && typeIs(v, table, col, type, true) }
        String label = "${table}.${column} type ${type}".toString()
        List<SafeWords.Phase> phases = []
        phases << shown(phase('add column', "ALTER TABLE ${table} ADD COLUMN ${n.newSql} ${type}; CREATE TRIGGER ${n.trigger}" +
                " BEFORE INSERT OR UPDATE ON ${table} (sets ${n.newSql} to ${using}), after checking what depends on ${column}",
                "${table}.${n.newSql} is there, or ${column} is ${type}", { CatalogView v -> !hasNew.call(v) && !done.call(v) },
                [condition(at, "${table}.${n.newSql} is there with trigger ${n.trigger} (or ${column} is ${type})",
                        { CatalogView v -> hasNew.call(v) ? v.value(TRIGGER, table, n.triggerName) == 1L : typeIs(v, table, col, type, false) })]),
                [ColumnTypeSql.refuse(table, col, word)] + addColumn(table, type, using, n), at)
        SafeWords.Phase copy = phase('backfill', backfill.describe(), "${table}.${n.newSql} is gone (swapped)", hasNew,
                [condition(at, "every row of ${table} has ${n.newSql} = ${using} (or it is swapped)", { CatalogView v ->
                    !hasNew.call(v) || v.value("SELECT NOT EXISTS (SELECT 1 FROM ${table} WHERE ${n.newSql} IS DISTINCT FROM (${using})::${type})"
                            .toString()) == Boolean.TRUE })])
        copy.actions = [backfill as Action]
        copy.transactional = false
        phases << copy
        Closure<Boolean> notNullNeeded = { CatalogView v -> hasNew.call(v) && v.value(NOT_NULL, table, col) == Boolean.TRUE }
        SafeWords.notNullPhases(at, table, n.newSql, notNullNeeded, "${table}.${column} is nullable, or swapped".toString()).each {
            it.suffix = 'not null: ' + it.suffix
            phases << it
        }
        phases << indexPhase(at, table, col, n, hasNew)
        phases << shown(phase('swap', "DROP TRIGGER ${n.trigger}; RENAME COLUMN ${column} TO ${n.oldSql}, ${n.newSql} TO ${column};" +
                " the default, the comment and the index names moved to it, after checking what depends on ${column}",
                "${table}.${n.newSql} is gone (swapped)", hasNew,
                [condition(at, "${table}.${column} is ${type}, without ${n.newSql} and trigger ${n.trigger}", { CatalogView v ->
                    !hasNew.call(v) && v.value(TRIGGER, table, n.triggerName) == 0L && typeIs(v, table, col, type, false) })]),
                [ColumnTypeSql.refuse(table, col, word), ColumnTypeSql.swap(table, col, n.newColumn, n.oldColumn, n.trigger, n.function)], at)
        if (options.keepOld != true) {
            Closure<Boolean> hasOld = { CatalogView v -> v.value(COLUMN, table, n.oldColumn) != null }
            phases << phase('drop old column', "ALTER TABLE ${table} DROP COLUMN ${n.oldSql}", "${table}.${n.oldSql} is gone", hasOld,
                    [condition(at, "${table}.${n.oldSql} is gone", { CatalogView v -> !hasOld.call(v) })])
        }
        SafeWords.steps(at, first, label, word, phases, true)
    }

    /** The generated names: new and old column, trigger, function, each at most 63 bytes. */
    private static final class Names {
        final String newColumn
        final String oldColumn
        final String newSql
        final String oldSql
        final String triggerName
        final String trigger
        final String function

        Names(String table, String col) {
            newColumn = suffixed(col, '__mig_new')
            oldColumn = suffixed(col, '__mig_old')
            newSql = SafeWords.name(newColumn)
            oldSql = SafeWords.name(oldColumn)
            // BEFORE triggers fire in name order: zz_ fires after the table's own, so it copies what they wrote
            triggerName = cut('zz_mig_ctype_' + col)
            trigger = SafeWords.name(triggerName)
            List<String> parts = QualifiedName.parts(table)
            String fn = SafeWords.name(cut('mig_ctype_' + QualifiedName.parse(table).name() + '_' + col))
            function = parts.size() > 1 ? SafeWords.name(parts[parts.size() - 2]) + '.' + fn : fn
        }
    }

    /** Cut to 63 bytes on a character boundary, as the server does. */
    private static String cut(String name) { QualifiedName.parseIdentifier('"' + name.replace('"', '""') + '"') }

    private static String suffixed(String name, String suffix) {
        String base = name
        while (cut(base + suffix) != base + suffix) {
            base = base.substring(0, base.length() - 1)
        }
        base + suffix
    }

    /**
     * Whether the column has the type {@code to}: the base types compare as PostgreSQL names them
     * ({@code int8}, {@code bigint}); {@code strict} compares the modifiers' numbers too ({@code numeric(12,2)}).
     */
    private static boolean typeIs(CatalogView v, String table, String col, String to, boolean strict) {
        Object has = v.value(COLUMN, table, col)
        Object wanted = v.value('SELECT format_type(to_regtype(?), NULL)', to.replaceAll(/\([0-9, ]*\)/, ''))
        if (has == null || wanted == null) {
            return false
        }
        List<String> parts = has.toString().split(/\|/).toList()
        java.util.regex.Matcher m = to =~ /\(([0-9, ]*)\)/
        String modifier = m.find() ? m.group(1) : ''
        parts[0] == wanted.toString() && (!strict || (parts.size() > 1 ? parts[1] : '').replace(' ', '') == modifier.replace(' ', ''))
    }

    /** Phase 1: the check of what depends on the column, the new column, and the trigger that fills it. */
    /**
     * The phase runs {@code statements}, each its own action (so that {@code mig plan} shows each at the
     * word's line, not at lines counted into generated SQL); its description is the phase's short text.
     */
    private static SafeWords.Phase shown(SafeWords.Phase p, List<String> statements, SourceLocation at) {
        p.actions = statements.collect { String sql -> new Action.Sql(sql, null, at) as Action }
        p
    }

    private static List<String> addColumn(String table, String type, String using, Names n) {
        String alias = SafeWords.name(QualifiedName.parse(table).name())
        ["ALTER TABLE ${table} ADD COLUMN ${n.newSql} ${type}".toString(),
         """CREATE FUNCTION ${n.function}() RETURNS trigger LANGUAGE plpgsql AS ${ColumnTypeSql.TAG}
#variable_conflict use_column
BEGIN
    NEW.${n.newSql} := (SELECT (${using}) FROM (SELECT NEW.*) AS ${alias});
    RETURN NEW;
END
${ColumnTypeSql.TAG}""".toString(),
         "CREATE TRIGGER ${n.trigger} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${n.function}()".toString()]
    }

    /**
     * The column's plain indexes built again on the new column, CONCURRENTLY, without a transaction,
     * each named {@code mig_ctype_<oid of the old one>} until the swap; an INVALID copy left by a
     * failed or killed build is dropped (CONCURRENTLY) and built again.
     */
    private static SafeWords.Phase indexPhase(SourceLocation at, String table, String col, Names n, Closure<Boolean> hasNew) {
        String question = ColumnTypeSql.indexes(table, col, n.newColumn)
        Closure<Boolean> missing = { CatalogView v ->
            v.query(question).any { GroovyRowResult r -> v.value(VALID, table, "mig_ctype_${r.oid}".toString()) != Boolean.TRUE }
        }
        String shown = "CREATE INDEX CONCURRENTLY mig_ctype_<oid> ON ${table} (...${n.newSql}...) for each index on ${col}".toString()
        SafeWords.Phase p = phase('copy indexes', shown, "every index on ${col} has a valid copy on ${n.newSql}, or it is swapped",
                { CatalogView v -> hasNew.call(v) && missing.call(v) },
                [condition(at, "every index on ${table}.${col} has a valid copy on ${n.newSql} (or it is swapped)",
                        { CatalogView v -> !hasNew.call(v) || !missing.call(v) })])
        p.actions = [new Action.Code(new CopyIndexes(question, table), "copy indexes: ${question}".toString(), at) as Action]
        p.transactional = false
        p
    }

    /** The copy phase's code: {@code db} is the step's connection, in autocommit. */
    private static final class CopyIndexes extends Closure<Object> {
        private final String question
        private final String table

        CopyIndexes(String question, String table) {
            super(ColumnTypeWord)
            this.question = question
            this.table = table
        }

        Object doCall(Sql db) {
            for (GroovyRowResult r : db.rows(question)) {
                String copy = "mig_ctype_${r.oid}".toString()
                Object valid = db.firstRow(VALID, [table, copy] as List<Object>)?.getAt(0)
                if (valid == Boolean.TRUE) {
                    continue
                }
                if (valid == Boolean.FALSE) {
                    db.execute("DROP INDEX CONCURRENTLY IF EXISTS ${SafeWords.name(r.schema.toString())}.${copy}".toString())
                }
                db.execute("${r.head} ${copy}${r.tail}".toString())
            }
            null
        }
    }
}
