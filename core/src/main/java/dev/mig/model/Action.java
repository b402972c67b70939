package dev.mig.model;

import dev.mig.api.SourceLocation;
import groovy.lang.Closure;

import java.nio.file.Path;

/** Something a step does, in the order the plan wrote it. */
public sealed interface Action {

    SourceLocation location();

    /**
     * SQL text: inline ({@code file} is null, lines count from the {@code sql} call) or from a
     * file ({@code file} is the resolved path, lines count from the file's first line).
     */
    record Sql(String text, Path file, SourceLocation location, java.util.List<String> secrets) implements Action {

        /**
         * {@code secrets}: the values of placeholders with secret-looking names ({@code ${db_password}})
         * that were put into {@code text}; {@link #masked} hides them wherever the SQL is shown.
         */
        public Sql {
            secrets = secrets == null ? java.util.List.of() : java.util.List.copyOf(secrets);
        }

        public Sql(String text, Path file, SourceLocation location) {
            this(text, file, location, java.util.List.of());
        }

        public boolean fromFile() {
            return file != null;
        }

        /** {@code shown} with every secret value of this SQL as {@code ***}: for output, never for the server. */
        public String masked(String shown) {
            if (shown == null || secrets.isEmpty()) {
                return shown;
            }
            String out = shown;
            for (String secret : secrets) {
                out = out.replace(secret, "***");
            }
            return out;
        }
    }

    /** {@code groovy { db -> }}: runs with a groovy.sql.Sql on the step's connection. */
    record Code(Closure<?> body, String source, SourceLocation location) implements Action {
    }

    /**
     * {@code ensureEnum 'status', 'a', 'b'}, {@code ensureSchema 'kb'}, {@code ensureExtension 'vector',
     * version: '0.7.0'}: an object created, or completed with what it lacks, where the step runs.
     *
     * @param word    the DSL word
     * @param values  an enum's labels in order; empty for the other words
     * @param options {@code owner}, {@code schema}, {@code version}
     */
    record Ensure(String word, String name, java.util.List<String> values, java.util.Map<String, Object> options,
                  SourceLocation location) implements Action {
        public Ensure {
            values = java.util.List.copyOf(values);
            options = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(options));
        }

        /** {@code ensureEnum agent_status ('development', 'testing')}, as mig plan and the checksum show it. */
        public String describe() {
            return word + " " + name + (values.isEmpty() ? "" : " (" + String.join(", ", values.stream().map(v -> "'" + v + "'").toList()) + ")")
                    + (options.isEmpty() ? "" : " " + options);
        }
    }

    /**
     * {@code backfill { table 'orders'; set 'n = n + 1' }}: an UPDATE of {@code table} in batches of
     * its primary key's range, each batch its own short transaction, its progress in the journal
     * (docs/DSL.md, "Batched backfills").
     *
     * @param set               the SET list of the UPDATE; null with a {@code statement}
     * @param key               the columns of a unique, not-null key the batches follow ({@code key 'a', 'b'});
     *                          null for the primary key
     * @param where             a condition on the rows to change within each batch; null for all
     * @param statement         instead of the UPDATE: SQL run for each batch, its {@code {range}} the batch's key range
     * @param pauseMs           the pause between batches
     * @param maxBatchesPerSecond an upper bound on the batch rate; 0 for none
     * @param lagQuery          a query returning the replication lag in seconds, or "replication" for
     *                          {@code pg_stat_replication}'s replay lag; null for no lag throttle
     * @param maxLagMs          the lag above which batches wait
     */
    record Backfill(String table, java.util.List<String> key, String set, String where, String statement, int batchSize, long pauseMs,
                    double maxBatchesPerSecond, String lagQuery, long maxLagMs, SourceLocation location) implements Action {

        /** The tries again of one batch when the step writes no {@code retries}. */
        public static final int DEFAULT_RETRIES = 10;

        /** {@code backfill orders set n = n + 1 where ... (batches of 1000)}, as mig plan and the checksum show it. */
        public String describe() {
            return "backfill " + table + (statement != null ? " by its statement" : " set " + set)
                    + (where == null ? "" : " where " + where) + " (batches of " + batchSize
                    + (key == null ? "" : " along " + String.join(", ", key)) + ")";
        }
    }

    /**
     * A catalog-cleanup action such as {@code dropConstraintNamed 'x'}: its DSL word, the name as
     * the plan wrote it (null for {@code dropOrphanedSequences}, which takes none) and its options.
     */
    record Cleanup(String kind, String name, java.util.Map<String, Object> options, SourceLocation location)
            implements Action {
    }
}
