package dev.mig.lint;

import dev.mig.catalog.QualifiedName;
import dev.mig.diagnose.Creations;
import dev.mig.lint.PlanTables.TableRef;
import dev.mig.model.LintRule;
import dev.mig.sql.SqlTokens.Token;

import java.util.List;

import static dev.mig.lint.Tokens.at;
import static dev.mig.lint.Tokens.names;
import static dev.mig.lint.Tokens.punctuation;

/**
 * The maintenance statements that rebuild or rewrite what already exists: REINDEX, VACUUM FULL and
 * CLUSTER. Unlike the rest of {@link StatementRules} they change nothing in {@link PlanTables}; they
 * only read it to know whether a table is already there (and so holds rows a lock would block).
 */
final class MaintenanceRules {

    private final StepLint lint;
    private final PlanTables tables;

    MaintenanceRules(StepLint lint) {
        this.lint = lint;
        this.tables = lint.tables;
    }

    /** {@code REINDEX [(options)] INDEX|TABLE|SCHEMA|DATABASE [CONCURRENTLY] name}. */
    void reindex(List<Token> t) {
        int i = punctuation(t, 1, '(') ? Tokens.close(t, 1) + 1 : 1;
        if (i >= t.size() || at(t, i, "SYSTEM")) {
            return;
        }
        String kind = t.get(i).upper();
        boolean concurrently = at(t, i + 1, "CONCURRENTLY");
        String[] name = Creations.name(t, i + (concurrently ? 2 : 1));
        if (concurrently) {
            return;
        }
        String advice = "; use REINDEX " + kind + " CONCURRENTLY in a step with transaction false";
        if (kind.equals("SCHEMA") || kind.equals("DATABASE")) {
            lint.report(LintRule.INDEX_NOT_CONCURRENTLY, null, "REINDEX " + kind + (name == null ? "" : " " + name[1])
                    + " blocks writes to every table it reindexes while it rebuilds" + advice);
            return;
        }
        if (name == null || !(kind.equals("INDEX") || kind.equals("TABLE"))) {
            return;
        }
        QualifiedName tableName = kind.equals("TABLE") ? tables.qualify(name) : tables.tableOfIndex(name);
        if (tableName == null) {
            if (!lint.target.connected()) {
                lint.report(LintRule.INDEX_NOT_CONCURRENTLY, null, "REINDEX INDEX " + name[1] + " blocks writes to the table it"
                        + " indexes (unknown without a target) while it rebuilds" + advice);
            }
            return;
        }
        TableRef table = tables.table(tableName);
        if (table.existing()) {
            lint.report(LintRule.INDEX_NOT_CONCURRENTLY, table, "REINDEX " + kind + " blocks writes to " + table.described()
                    + ", and reads that would use the index, while it rebuilds" + advice);
        }
    }

    /** {@code VACUUM FULL [FREEZE] [VERBOSE] [ANALYZE] [t, ...]} or {@code VACUUM (FULL[, ...]) [t, ...]}. */
    void vacuum(List<Token> t) {
        boolean full = false;
        int i = 1;
        if (punctuation(t, 1, '(')) {
            int close = Tokens.close(t, 1);
            for (List<Token> option : Tokens.splitCommas(t, 2, close)) {
                if (option.get(0).is("FULL")) {
                    full = option.size() == 1 || !(option.get(1).is("false") || option.get(1).is("off") || option.get(1).is("0"));
                }
            }
            i = close + 1;
        } else {
            while (at(t, i, "FULL") || at(t, i, "FREEZE") || at(t, i, "VERBOSE") || at(t, i, "ANALYZE") || at(t, i, "ANALYSE")) {
                full |= at(t, i, "FULL");
                i++;
            }
        }
        if (!full) {
            return;
        }
        List<String[]> names = names(t, i);
        if (names.isEmpty()) {
            lint.report(LintRule.TABLE_REWRITE, null, "VACUUM FULL without a table rewrites every table of the database, each"
                    + " under an ACCESS EXCLUSIVE lock; use plain VACUUM (it blocks no reads or writes), or pg_repack to give"
                    + " space back online");
        }
        for (String[] name : names) {
            TableRef table = tables.table(tables.qualify(name));
            if (table.existing()) {
                lint.report(LintRule.TABLE_REWRITE, table, "VACUUM FULL rewrites " + table.described() + " under an ACCESS EXCLUSIVE"
                        + " lock: no reads or writes until it ends; use plain VACUUM (it blocks no reads or writes), or"
                        + " pg_repack to give space back online");
                lint.accessExclusive(table, "VACUUM FULL", null);
            }
        }
    }

    /** {@code CLUSTER [(options)] [VERBOSE] [table [USING index]]}, or the old {@code CLUSTER index ON table}. */
    void cluster(List<Token> t) {
        int i = punctuation(t, 1, '(') ? Tokens.close(t, 1) + 1 : 1;
        if (at(t, i, "VERBOSE")) {
            i++;
        }
        String[] name = Creations.name(t, i);
        String advice = "; use pg_repack --order-by to reorder online, or leave the order to the planner";
        if (name == null) {
            lint.report(LintRule.TABLE_REWRITE, null, "CLUSTER without a table rewrites every table clustered before, each under"
                    + " an ACCESS EXCLUSIVE lock" + advice);
            return;
        }
        int after = i + Tokens.width(name);
        if (at(t, after, "ON")) {
            name = Creations.name(t, after + 1);
            if (name == null) {
                return;
            }
        }
        TableRef table = tables.table(tables.qualify(name));
        if (table.existing()) {
            lint.report(LintRule.TABLE_REWRITE, table, "CLUSTER rewrites " + table.described() + " in index order under an ACCESS"
                    + " EXCLUSIVE lock: no reads or writes until it ends" + advice);
            lint.accessExclusive(table, "CLUSTER", null);
        }
    }
}
