package dev.mig.lint;

import dev.mig.diagnose.Creations;
import dev.mig.diagnose.StatementShapes;
import dev.mig.diagnose.StatementShapes.ForeignKey;
import dev.mig.lint.PlanTables.TableRef;
import dev.mig.model.LintRule;
import dev.mig.sql.SqlTokens.Token;

import java.util.List;

import static dev.mig.lint.Tokens.at;
import static dev.mig.lint.Tokens.punctuation;

/**
 * {@code ALTER TABLE [IF EXISTS] [ONLY] t action, ...}: each action (split at top-level commas) is
 * read for the rules that concern it and for what it changes in {@link PlanTables}. The statement
 * takes ACCESS EXCLUSIVE unless every action takes a weaker lock (ADD FOREIGN KEY, VALIDATE
 * CONSTRAINT, SET STATISTICS, SET (storage parameters), ENABLE/DISABLE TRIGGER, CLUSTER ON,
 * ATTACH PARTITION, DETACH PARTITION CONCURRENTLY).
 */
final class AlterTableRules {

    private static final String LATER_STEP = "VALIDATE CONSTRAINT in a later step";

    private final StepLint lint;
    private final PlanTables tables;
    private String renameTo;

    AlterTableRules(StepLint lint) {
        this.lint = lint;
        this.tables = lint.tables;
    }

    void read(List<Token> t) {
        int i = 2;
        if (at(t, i, "IF", "EXISTS")) {
            i += 2;
        }
        if (at(t, i, "ALL", "IN")) {
            return; // ALTER TABLE ALL IN TABLESPACE
        }
        if (at(t, i, "ONLY")) {
            i++;
        }
        String[] name = Creations.name(t, i);
        if (name == null) {
            return;
        }
        i += Tokens.width(name);
        if (punctuation(t, i, '*')) {
            i++;
        }
        TableRef table = tables.table(tables.qualify(name));
        renameTo = null;
        String exclusive = null;
        for (List<Token> action : Tokens.splitCommas(t, i, t.size())) {
            if (action(table, action) && exclusive == null) {
                exclusive = Tokens.text(lint.statement().text(), action, 0, Math.min(3, action.size()));
            }
        }
        if (exclusive != null) {
            lint.accessExclusive(table, "ALTER TABLE ... " + exclusive, null);
        }
        if (renameTo != null) {
            tables.rename(table.name(), renameTo);
        }
    }

    /** Applies the rules to one action; true when it takes ACCESS EXCLUSIVE. */
    private boolean action(TableRef table, List<Token> a) {
        Token first = a.get(0);
        if (first.is("ADD")) {
            return add(table, a);
        }
        if (first.is("ALTER")) {
            return alterColumn(table, a);
        }
        if (first.is("DROP")) {
            int k = at(a, 1, "COLUMN") ? 2 : 1;
            if (!at(a, 1, "CONSTRAINT")) {
                k = at(a, k, "IF", "EXISTS") ? k + 2 : k;
                if (k < a.size() && a.get(k).isName()) {
                    tables.dropColumn(table.name(), a.get(k).identifier());
                }
            }
            return true;
        }
        if (first.is("VALIDATE")) {
            validate(table, a);
            return false;
        }
        if (first.is("SET")) {
            return set(table, a);
        }
        if (first.is("RENAME")) {
            rename(table, a);
            return true;
        }
        if (first.is("ENABLE") || first.is("DISABLE")) {
            return Tokens.find(a, 1, "TRIGGER") < 0;
        }
        if (first.is("DETACH")) {
            return Tokens.find(a, 1, "CONCURRENTLY") < 0;
        }
        return !(first.is("RESET") || first.is("CLUSTER") || first.is("ATTACH"));
    }

    // ---- ADD ---------------------------------------------------------------------------------

    private boolean add(TableRef table, List<Token> a) {
        int k = 1;
        String constraint = null;
        if (at(a, k, "CONSTRAINT") && k + 1 < a.size()) {
            constraint = a.get(k + 1).identifier();
            k += 2;
        }
        boolean notValid = StatementShapes.hasWords(a, "NOT", "VALID");
        if (at(a, k, "CHECK")) {
            addCheck(table, a, k + 1, constraint, notValid);
            return true;
        }
        if (at(a, k, "FOREIGN", "KEY")) {
            addForeignKey(table, a, constraint, notValid);
            return false;
        }
        if (at(a, k, "PRIMARY", "KEY") || at(a, k, "UNIQUE")) {
            if (table.existing() && !StatementShapes.hasWords(a, "USING", "INDEX")) {
                String what = at(a, k, "UNIQUE") ? "UNIQUE" : "PRIMARY KEY";
                lint.report(LintRule.INDEX_NOT_CONCURRENTLY, table, "ADD " + what + " on " + table.described()
                        + " builds its index under an ACCESS EXCLUSIVE lock; CREATE UNIQUE INDEX CONCURRENTLY in a step with"
                        + " transaction false, then ADD CONSTRAINT ... " + what + " USING INDEX in a later step");
            }
            return true;
        }
        if (at(a, k, "EXCLUDE")) {
            return true;
        }
        new AddColumn(lint, table).read(a, at(a, 1, "COLUMN") ? 2 : 1);
        return true;
    }

    private void addCheck(TableRef table, List<Token> a, int open, String constraint, boolean notValid) {
        List<Token> expression = punctuation(a, open, '(') ? a.subList(open + 1, Tokens.close(a, open)) : List.of();
        tables.checkAdded(table.name(), constraint, Tokens.notNullColumns(expression), !notValid);
        if (notValid) {
            lint.notValidAdded(table.name(), constraint, LintRule.CHECK_NOT_VALID);
        } else if (table.existing()) {
            lint.report(LintRule.CHECK_NOT_VALID, table, "ADD CHECK on " + table.described() + " checks every row under an"
                    + " ACCESS EXCLUSIVE lock; add it NOT VALID (new rows are checked at once) and " + LATER_STEP
                    + ", which lets reads and writes go on"
                    + SafeWordHint.addCheck(table.name(), constraint, Tokens.text(lint.statement().text(), a, open + 1,
                    Tokens.close(a, open))));
        }
    }

    private void addForeignKey(TableRef table, List<Token> a, String constraint, boolean notValid) {
        for (ForeignKey key : StatementShapes.foreignKeys(a)) {
            Polymorphic.check(lint, table, key, tables.columns(table));
            String name = constraint != null ? constraint
                    : table.name().name() + "_" + String.join("_", key.columns()) + "_fkey"; // as the server names it
            if (notValid) {
                lint.notValidAdded(table.name(), name, LintRule.FOREIGN_KEY_NOT_VALID);
            } else if (table.existing()) {
                String ref = key.refSchema() == null ? key.refTable() : key.refSchema() + "." + key.refTable();
                lint.report(LintRule.FOREIGN_KEY_NOT_VALID, table, "ADD FOREIGN KEY on " + table.described() + " checks every"
                        + " row while it holds a SHARE ROW EXCLUSIVE lock on it and on " + ref + ", so writes to both wait;"
                        + " add it NOT VALID (new rows are checked at once) and " + LATER_STEP + ", which lets writes go on"
                        + SafeWordHint.addForeignKey(table.name(), key.columns(), key.refSchema(), key.refTable(), key.refColumns(),
                        constraint, lint.statement().text()));
            }
        }
    }

    // ---- ALTER COLUMN ------------------------------------------------------------------------

    private boolean alterColumn(TableRef table, List<Token> a) {
        int k = at(a, 1, "COLUMN") ? 2 : 1;
        if (k >= a.size() || !a.get(k).isName()) {
            return true;
        }
        String column = a.get(k).identifier();
        k++;
        if (at(a, k, "TYPE") || at(a, k, "SET", "DATA", "TYPE")) {
            typeChange(table, a, column, k + (at(a, k, "TYPE") ? 1 : 3));
            return true;
        }
        if (at(a, k, "SET", "NOT", "NULL")) {
            notNull(table, column);
            return true;
        }
        return !(at(a, k, "SET", "STATISTICS") || (at(a, k, "SET") && punctuation(a, k + 1, '(')) || at(a, k, "RESET"));
    }

    private void typeChange(TableRef table, List<Token> a, String column, int typeStart) {
        if (!table.existing()) {
            return;
        }
        int using = Tokens.find(a, typeStart, "USING");
        int collate = Tokens.find(a, typeStart, "COLLATE");
        int end = using >= 0 ? using : a.size();
        if (collate >= 0 && collate < end) {
            end = collate;
        }
        String sql = lint.statement().text();
        String written = Tokens.text(sql, a, typeStart, end);
        TypeChange.Verdict verdict = TypeChange.judge(lint.target, tables.targetName(table), column, written,
                a.subList(typeStart, end), using >= 0 ? a.subList(using + 1, a.size()) : null);
        String change = "ALTER COLUMN " + column + " TYPE " + written;
        String word = collate >= 0 ? "" : SafeWordHint.changeColumnType(table.name(), column, written,
                using >= 0 ? Tokens.text(sql, a, using + 1, a.size()) : null);
        if (verdict.rewrite() == TypeChange.Rewrite.YES) {
            lint.report(LintRule.TABLE_REWRITE, table, change + " rewrites " + table.described() + " and its indexes under an"
                    + " ACCESS EXCLUSIVE lock (" + verdict.why() + "); add a new column, backfill it in batches, and switch"
                    + " to it in a later step" + word);
        } else if (verdict.rewrite() == TypeChange.Rewrite.NO) {
            lint.report(LintRule.TYPE_CHANGE, table, change + " on " + table.described() + " does not rewrite it ("
                    + verdict.why() + "), but takes an ACCESS EXCLUSIVE lock and changes the type clients read; check that"
                    + " the clients accept it, and keep the step short");
        } else {
            lint.report(LintRule.TYPE_CHANGE, table, change + " on " + table.described() + " takes an ACCESS EXCLUSIVE lock"
                    + " and changes the type clients read; " + verdict.why() + ": a change that rewrites is better done as a"
                    + " new column, backfilled in batches" + word);
        }
    }

    private void notNull(TableRef table, String column) {
        if (!table.existing()) {
            return;
        }
        PlanTables.NotNullProof proof = tables.notNullProof(table, column);
        if (proof.proven()) {
            return;
        }
        String scan = "SET NOT NULL on " + table.described() + " scans every row under an ACCESS EXCLUSIVE lock";
        if (proof.notValidCheck() != null) {
            String check = proof.notValidCheck().isEmpty() ? "a CHECK (" + column + " IS NOT NULL)"
                    : "CHECK " + proof.notValidCheck() + " (" + column + " IS NOT NULL)";
            lint.report(LintRule.NOT_NULL_WITHOUT_CHECK, table, scan + ": " + check + " is there but NOT VALID, so it cannot"
                    + " spare the scan; VALIDATE CONSTRAINT it in an earlier step");
            return;
        }
        lint.report(LintRule.NOT_NULL_WITHOUT_CHECK, table, scan + "; first ADD CONSTRAINT ... CHECK (" + column
                + " IS NOT NULL) NOT VALID, " + LATER_STEP + ", then SET NOT NULL, which uses the validated check instead of"
                + " scanning (PostgreSQL 12 and later)" + SafeWordHint.addNotNull(table.name(), column));
    }

    // ---- VALIDATE, SET, RENAME -----------------------------------------------------------------

    private void validate(TableRef table, List<Token> a) {
        if (!at(a, 1, "CONSTRAINT") || a.size() < 3 || !a.get(2).isName()) {
            return;
        }
        String name = a.get(2).identifier();
        tables.constraintValidated(table.name(), name);
        StepLint.NotValidAdd added = lint.addedNotValidInThisStep(table.name(), name);
        if (added != null && table.existing()) {
            lint.report(added.rule(), table, "VALIDATE CONSTRAINT " + name + " runs in the same step as its ADD ... NOT VALID ("
                    + added.at() + "): the step's one transaction keeps the ADD's lock through the whole validation, so NOT"
                    + " VALID gains nothing; validate in a later step");
        }
    }

    private boolean set(TableRef table, List<Token> a) {
        String what = null;
        String extra = "";
        if (at(a, 1, "LOGGED")) {
            what = "SET LOGGED";
            extra = " (and writes all of it to the WAL)";
        } else if (at(a, 1, "UNLOGGED")) {
            what = "SET UNLOGGED";
        } else if (at(a, 1, "TABLESPACE")) {
            what = "SET TABLESPACE";
            extra = " (copying every block to the new tablespace)";
        } else if (at(a, 1, "ACCESS", "METHOD")) {
            what = "SET ACCESS METHOD";
        }
        if (what != null) {
            if (table.existing()) {
                lint.report(LintRule.TABLE_REWRITE, table, what + " rewrites " + table.described() + " under an ACCESS EXCLUSIVE"
                        + " lock" + extra + ": no reads or writes until it ends; do it when the table can be locked for the"
                        + " whole rewrite, or build a new table and switch to it");
            }
            return true;
        }
        return !(punctuation(a, 1, '(') || at(a, 1, "WITHOUT", "CLUSTER") || at(a, 1, "STATISTICS"));
    }

    private void rename(TableRef table, List<Token> a) {
        if (at(a, 1, "TO") && a.size() > 2 && a.get(2).isName()) {
            renameTo = a.get(2).identifier();
            return;
        }
        int k = at(a, 1, "COLUMN") ? 2 : 1;
        if (!at(a, 1, "CONSTRAINT") && at(a, k + 1, "TO") && a.size() > k + 2) {
            tables.dropColumn(table.name(), a.get(k).identifier());
            tables.addColumn(table.name(), a.get(k + 2).identifier());
        }
    }
}
