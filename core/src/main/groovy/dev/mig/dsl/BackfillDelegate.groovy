package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.model.Action
import dev.mig.model.BackfillRange
import dev.mig.plan.DslUsage
import dev.mig.plan.LoadContext
import dev.mig.text.PgDuration
import groovy.transform.CompileStatic

/**
 * The body of {@code backfill { }} (docs/DSL.md, "Batched backfills"): the table, what to set,
 * which rows, and how fast. Each mistake is a plan problem at its own line; {@link #build} reports
 * what is missing at the {@code backfill} line.
 */
@CompileStatic
class BackfillDelegate extends DslDelegate {

    static final int DEFAULT_BATCH_SIZE = 1000

    private final String owner
    private String table
    private List<String> key
    private String set
    private String where
    private String statement
    private int batchSize = DEFAULT_BATCH_SIZE
    private long pauseMs
    private double maxBatchesPerSecond
    private String lagQuery
    private long maxLagMs

    BackfillDelegate(LoadContext context, Script script, String owner) {
        super(context, script)
        this.owner = owner
    }

    @Override
    protected String blockName() { "the backfill block of ${owner}" }

    /** The table whose rows are changed, batch by batch along its primary key. */
    void table(String name) {
        if (validName(dev.mig.model.ObjectKind.TABLE, 'table', name)) {
            table = name
        }
    }

    /**
     * The columns the batches follow instead of the primary key: {@code key 'code'} or
     * {@code key 'tenant_id', 'code'}, the columns of a unique index, each NOT NULL.
     */
    void key(String... columns) {
        if (columns == null || columns.length == 0) {
            problem('key needs the columns of a unique, not-null key', DslUsage.hint('BackfillDelegate', 'key'))
            return
        }
        if (columns.toList().unique(false).size() != columns.length) {
            problem("key ${columns.join(', ')} names a column twice".toString(), DslUsage.hint('BackfillDelegate', 'key'))
            return
        }
        if (columns.every { String c -> validName(dev.mig.model.ObjectKind.SCHEMA, 'key', c) }) {
            key = columns.toList()
        }
    }

    /** The SET list of the UPDATE: {@code set 'n = n + 1'}. */
    void set(String assignments) {
        if (assignments == null || assignments.isBlank()) {
            problem('set needs the SET list of the UPDATE', DslUsage.hint('BackfillDelegate', 'set'))
            return
        }
        set = assignments
    }

    /**
     * Instead of {@code set}: SQL run for each batch (an INSERT ... SELECT into another table, an
     * UPDATE with a join), whose {@code {range}} (or {@code {range o}}, qualified) is the batch's key range.
     */
    void statement(String sql) {
        if (sql == null || !BackfillRange.PATTERN.matcher(sql).find()) {
            problem('statement needs {range} where the batch\'s key range goes', DslUsage.hint('BackfillDelegate', 'statement'))
            return
        }
        statement = sql
    }

    /** Only the rows of each batch that match this condition are changed. */
    void where(String condition) {
        if (condition == null || condition.isBlank()) {
            problem('where needs a condition', DslUsage.hint('BackfillDelegate', 'where'))
            return
        }
        where = condition
    }

    /** How many keys of the table each batch covers. */
    void batchSize(Object size) {
        if ((size instanceof Integer || size instanceof Long) && ((Number) size).longValue() >= 1
                && ((Number) size).longValue() <= 10_000_000) {
            batchSize = ((Number) size).intValue()
            return
        }
        String shown = size instanceof CharSequence ? "'${size}'" : String.valueOf(size)
        problem("batchSize ${shown} is not a whole number from 1 to 10000000".toString(), DslUsage.hint('BackfillDelegate', 'batchSize'))
    }

    /** The pause after each batch: {@code pause '100ms'}. */
    void pause(String duration) {
        Long ms = millis(duration)
        if (ms != null) {
            pauseMs = ms
        }
    }

    /** An upper bound on the batches started per second. */
    void maxBatchesPerSecond(Object rate) {
        if (rate instanceof Number && ((Number) rate).doubleValue() > 0) {
            maxBatchesPerSecond = ((Number) rate).doubleValue()
            return
        }
        problem("maxBatchesPerSecond ${rate} is not a number above 0".toString(), DslUsage.hint('BackfillDelegate', 'maxBatchesPerSecond'))
    }

    /**
     * {@code maxReplicationLag '5s'}: before each batch, wait while a standby's replay lag
     * ({@code pg_stat_replication}) is above this; {@code maxReplicationLag '5s', query: 'SELECT ...'}
     * asks that query (one number: the lag in seconds) instead.
     */
    void maxReplicationLag(String duration) { maxReplicationLag([:], duration) }

    void maxReplicationLag(Map<String, Object> options, String duration) {
        def unknown = options.keySet() - ['query']
        if (unknown) {
            problem("unknown option ${unknown.join(', ')} of maxReplicationLag".toString(), DslUsage.hint('BackfillDelegate', 'maxReplicationLag'))
            return
        }
        Long ms = millis(duration)
        if (ms == null) {
            return
        }
        if (ms <= 0) {
            problem('maxReplicationLag needs a duration above 0', DslUsage.hint('BackfillDelegate', 'maxReplicationLag'))
            return
        }
        maxLagMs = ms
        lagQuery = options.query == null ? 'replication' : options.query.toString()
    }

    private Long millis(String duration) {
        try {
            PgDuration.parse(duration, PgDuration.Bare.MILLISECONDS).millis()
        } catch (PgDuration.Invalid e) {
            problem(e.message, e.hint())
            null
        }
    }

    /** The action, or null after reporting at {@code at} what the block lacks. */
    Action.Backfill build(SourceLocation at) {
        List<String> missing = []
        if (table == null) {
            missing << 'table'
        }
        if (set == null && statement == null) {
            missing << 'set'
        }
        if (set != null && statement != null || where != null && statement != null) {
            context.problem(at, "the backfill block of ${owner} has a statement and ${set != null ? 'set' : 'where'}".toString(),
                    'a statement is the whole batch: write its condition in it, next to {range}; or use set and where')
            return null
        }
        if (missing) {
            context.problem(at, "the backfill block of ${owner} has no ${missing.join(' and no ')}".toString(),
                    "backfill { table 'orders'; set 'n = n + 1' }")
            return null
        }
        new Action.Backfill(table, key, set, where, statement, batchSize, pauseMs, maxBatchesPerSecond, lagQuery, maxLagMs, at)
    }
}
