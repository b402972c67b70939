package dev.mig.lint;

import dev.mig.catalog.QualifiedName;
import dev.mig.diagnose.Creations;
import dev.mig.diagnose.StatementShapes;
import dev.mig.lint.PlanTables.TableRef;
import dev.mig.model.LintRule;
import dev.mig.sql.SqlTokens.Token;

import java.util.ArrayList;
import java.util.List;

import static dev.mig.lint.Tokens.at;
import static dev.mig.lint.Tokens.names;
import static dev.mig.lint.Tokens.punctuation;

/**
 * Reads one statement by its first words and applies the rules to it (ALTER TABLE is
 * {@link AlterTableRules}'s; REINDEX, VACUUM FULL and CLUSTER are {@link MaintenanceRules}'; UPDATE
 * and DELETE {@link WriteRules}'). Also
 * keeps {@link PlanTables} up to date: what the statement creates, drops or renames. Statements of
 * other shapes are left alone; a statement inside a DO block or a function body is a string to
 * this reader, never a statement.
 */
final class StatementRules {

    private final StepLint lint;
    private final PlanTables tables;
    private final AlterTableRules alter;
    private final MaintenanceRules maintenance;
    private final WriteRules writes;

    StatementRules(StepLint lint) {
        this.lint = lint;
        this.tables = lint.tables;
        this.alter = new AlterTableRules(lint);
        this.maintenance = new MaintenanceRules(lint);
        this.writes = new WriteRules(lint);
    }

    void read(StepLint.Statement s) {
        lint.begin(s);
        List<Token> t = s.tokens();
        if (t.isEmpty()) {
            return;
        }
        if (at(t, 0, "CREATE")) {
            create(t);
        } else if (at(t, 0, "ALTER", "TABLE")) {
            alter.read(t);
        } else if (at(t, 0, "DROP", "TABLE")) {
            dropTables(t);
        } else if (at(t, 0, "DROP", "MATERIALIZED", "VIEW")) {
            for (String[] name : names(t, skipIfExists(t, 3))) {
                tables.drop(tables.qualify(name));
            }
        } else if (at(t, 0, "DROP", "INDEX")) {
            dropIndexes(t);
        } else if (at(t, 0, "DROP", "TRIGGER") || at(t, 0, "DROP", "POLICY") || at(t, 0, "ALTER", "POLICY")) {
            onTable(t, t.get(0).upper() + " " + t.get(1).upper());
        } else if (at(t, 0, "TRUNCATE")) {
            truncate(t);
        } else if (at(t, 0, "LOCK")) {
            lock(t);
        } else if (at(t, 0, "REINDEX")) {
            maintenance.reindex(t);
        } else if (at(t, 0, "VACUUM")) {
            maintenance.vacuum(t);
        } else if (at(t, 0, "CLUSTER")) {
            maintenance.cluster(t);
        } else if (at(t, 0, "REFRESH", "MATERIALIZED", "VIEW")) {
            refresh(t);
        } else if (at(t, 0, "UPDATE")) {
            writes.update(t);
        } else if (at(t, 0, "DELETE", "FROM")) {
            writes.delete(t);
        }
    }

    // ---- CREATE ----------------------------------------------------------------------------

    private void create(List<Token> t) {
        int i = 1;
        if (at(t, i, "OR", "REPLACE")) {
            i += 2;
        }
        while (at(t, i, "TEMP") || at(t, i, "TEMPORARY") || at(t, i, "UNLOGGED") || at(t, i, "GLOBAL") || at(t, i, "LOCAL")) {
            i++;
        }
        if (at(t, i, "TABLE")) {
            createTable(t, i + 1);
        } else if (at(t, i, "INDEX") || at(t, i, "UNIQUE", "INDEX")) {
            createIndex(t, at(t, i, "UNIQUE") ? i + 2 : i + 1);
        } else if (at(t, i, "POLICY")) {
            onTable(t, "CREATE POLICY");
        } else {
            for (Creations.Creation c : Creations.of(t, lint.step, lint.statement().at())) {
                if (c.kind() == Creations.Kind.RELATION && (c.word().equals("materialized view") || c.word().equals("foreign table"))) {
                    tables.create(tables.qualifyNew(new String[]{c.schema(), c.name()}),
                            StatementShapes.hasWords(t, "IF", "NOT", "EXISTS"), List.of());
                }
            }
        }
    }

    /** CREATE TABLE: new from here on, with the columns it defines; its foreign keys are checked for polymorphic columns. */
    private void createTable(List<Token> t, int i) {
        boolean ifNotExists = at(t, i, "IF", "NOT", "EXISTS");
        if (ifNotExists) {
            i += 3;
        }
        String[] name = Creations.name(t, i);
        if (name == null) {
            return;
        }
        QualifiedName table = tables.qualifyNew(name);
        int j = i + Tokens.width(name);
        List<String> columns = new ArrayList<>();
        List<StatementShapes.ForeignKey> keys = new ArrayList<>();
        if (at(t, j, "PARTITION", "OF")) {
            String[] parent = Creations.name(t, j + 2);
            if (parent != null) {
                columns.addAll(tables.columns(tables.table(tables.qualify(parent))));
                j += 2 + Tokens.width(parent);
            }
        }
        if (punctuation(t, j, '(')) {
            for (List<Token> element : Tokens.splitCommas(t, j + 1, Tokens.close(t, j))) {
                readTableElement(element, columns, keys);
            }
        }
        tables.create(table, ifNotExists, columns);
        TableRef created = tables.table(table);
        for (StatementShapes.ForeignKey key : keys) {
            Polymorphic.check(lint, created, key, tables.columns(created));
        }
    }

    private static void readTableElement(List<Token> element, List<String> columns, List<StatementShapes.ForeignKey> keys) {
        Token first = element.get(0);
        if (first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE") || first.is("CHECK") || first.is("FOREIGN")
                || first.is("EXCLUDE") || first.is("LIKE")) {
            keys.addAll(StatementShapes.foreignKeys(element));
            return;
        }
        if (!first.isName()) {
            return;
        }
        columns.add(first.identifier());
        int references = Tokens.find(element, 1, "REFERENCES");
        if (references > 0) {
            String[] ref = Creations.name(element, references + 1);
            if (ref != null) {
                keys.add(new StatementShapes.ForeignKey(null, List.of(first.identifier()), ref[0], ref[1], List.of()));
            }
        }
    }

    /**
     * {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table ...}:
     * index-not-concurrently on a table that exists, unless CONCURRENTLY or ON ONLY (which builds
     * nothing on a partitioned table's partitions).
     */
    private void createIndex(List<Token> t, int i) {
        boolean concurrently = at(t, i, "CONCURRENTLY");
        if (concurrently) {
            i++;
        }
        if (at(t, i, "IF", "NOT", "EXISTS")) {
            i += 3;
        }
        String[] indexName = at(t, i, "ON") ? null : Creations.name(t, i);
        int on = Tokens.find(t, i, "ON");
        if (on < 0) {
            return;
        }
        boolean only = at(t, on + 1, "ONLY");
        String[] tableName = Creations.name(t, on + (only ? 2 : 1));
        if (tableName == null) {
            return;
        }
        TableRef table = tables.table(tables.qualify(tableName));
        if (indexName != null) {
            tables.indexCreated(new QualifiedName(indexName[0] != null ? indexName[0] : table.name().schema(), indexName[1]),
                    table.name());
        }
        if (concurrently || only || !table.existing()) {
            return;
        }
        String create = t.get(0).upper() + (at(t, 1, "UNIQUE") ? " UNIQUE" : "") + " INDEX";
        if (table.size() != null && table.size().partitioned()) {
            lint.report(LintRule.INDEX_NOT_CONCURRENTLY, table, create + " on " + table.described()
                    + ", a partitioned table, builds the index on every partition while it blocks writes, and CONCURRENTLY is not available on a"
                    + " partitioned table; CREATE INDEX ON ONLY the table, CREATE INDEX CONCURRENTLY on each partition in a step"
                    + " with transaction false, then ALTER INDEX ... ATTACH PARTITION each one");
            return;
        }
        lint.report(LintRule.INDEX_NOT_CONCURRENTLY, table, create + " on " + table.described()
                + " blocks writes while it builds; use " + create.replace("INDEX", "INDEX CONCURRENTLY")
                + " in a step with transaction false" + indexWord(t, on + (only ? 2 : 1) + Tokens.width(tableName), table,
                indexName));
    }

    /** The createIndex line for {@code [USING method] (keys) [INCLUDE ...] [WHERE ...]} after the table; "" for other shapes. */
    private String indexWord(List<Token> t, int after, TableRef table, String[] indexName) {
        String sql = lint.statement().text();
        String using = null;
        int open = after;
        if (at(t, open, "USING") && open + 1 < t.size()) {
            using = t.get(open + 1).text();
            open += 2;
        }
        if (!punctuation(t, open, '(')) {
            return "";
        }
        int close = Tokens.close(t, open);
        int where = Tokens.find(t, close + 1, "WHERE");
        if (close + 1 < t.size() && where != close + 1) {
            return ""; // INCLUDE, WITH, TABLESPACE: not words of createIndex
        }
        List<String> keys = new ArrayList<>();
        for (List<Token> key : Tokens.splitCommas(t, open + 1, close)) {
            keys.add(sql.substring(key.get(0).start(), key.get(key.size() - 1).start() + key.get(key.size() - 1).text().length()));
        }
        return SafeWordHint.createIndex(table.name(), keys, at(t, 1, "UNIQUE"), using,
                where < 0 ? null : Tokens.text(sql, t, where + 1, t.size()), indexName == null ? null : indexName[1]);
    }

    // ---- DROP, TRUNCATE, LOCK, triggers and policies ----------------------------------------

    private void dropTables(List<Token> t) {
        for (String[] name : names(t, skipIfExists(t, 2))) {
            TableRef table = tables.table(tables.qualify(name));
            lint.accessExclusive(table, "DROP TABLE", null);
            tables.drop(table.name());
        }
    }

    /** {@code DROP INDEX [CONCURRENTLY] [IF EXISTS] a, b}: ACCESS EXCLUSIVE on each index's table. */
    private void dropIndexes(List<Token> t) {
        int i = 2;
        boolean concurrently = at(t, i, "CONCURRENTLY");
        if (concurrently) {
            i++;
        }
        for (String[] name : names(t, skipIfExists(t, i))) {
            QualifiedName tableName = tables.tableOfIndex(name);
            tables.indexDropped(name);
            String index = name[0] == null ? name[1] : name[0] + "." + name[1];
            if (concurrently) {
                continue;
            }
            if (tableName == null) {
                if (!lint.target.connected()) {
                    lint.report(LintRule.INDEX_NOT_CONCURRENTLY, null, "DROP INDEX " + index + " takes an ACCESS EXCLUSIVE lock on the"
                            + " table it indexes (not created by this plan; unknown without a target); use DROP INDEX CONCURRENTLY"
                            + " in a step with transaction false");
                }
                continue;
            }
            TableRef table = tables.table(tableName);
            if (table.existing()) {
                lint.report(LintRule.INDEX_NOT_CONCURRENTLY, table, "DROP INDEX " + index + " takes an ACCESS EXCLUSIVE lock on "
                        + table.described() + "; use DROP INDEX CONCURRENTLY in a step with transaction false");
                lint.accessExclusive(table, "DROP INDEX", null);
            }
        }
    }

    private void truncate(List<Token> t) {
        int i = at(t, 1, "TABLE") ? 2 : 1;
        for (String[] name : names(t, i)) {
            lint.accessExclusive(tables.table(tables.qualify(name)), "TRUNCATE", null);
        }
    }

    /** {@code LOCK [TABLE] [ONLY] a, b [IN mode MODE] [NOWAIT]}: ACCESS EXCLUSIVE unless another mode is named. */
    private void lock(List<Token> t) {
        int in = Tokens.find(t, 1, "IN");
        if (in > 0 && !(at(t, in + 1, "ACCESS", "EXCLUSIVE", "MODE"))) {
            return;
        }
        int i = at(t, 1, "TABLE") ? 2 : 1;
        for (String[] name : names(t, i)) {
            lint.accessExclusive(tables.table(tables.qualify(name)), "LOCK TABLE", null);
        }
    }

    /** DROP TRIGGER, CREATE/ALTER/DROP POLICY: {@code ... name ON table}. */
    private void onTable(List<Token> t, String what) {
        int on = Tokens.find(t, 2, "ON");
        String[] name = on < 0 ? null : Creations.name(t, on + 1);
        if (name != null) {
            lint.accessExclusive(tables.table(tables.qualify(name)), what, null);
        }
    }

    private void refresh(List<Token> t) {
        boolean concurrently = at(t, 3, "CONCURRENTLY");
        String[] name = Creations.name(t, concurrently ? 4 : 3);
        if (name != null && !concurrently) {
            lint.accessExclusive(tables.table(tables.qualify(name)), "REFRESH MATERIALIZED VIEW",
                    "use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view), which lets reads go on");
        }
    }

    // ---- names -------------------------------------------------------------------------------

    private static int skipIfExists(List<Token> t, int i) {
        return at(t, i, "IF", "EXISTS") ? i + 2 : i;
    }
}
