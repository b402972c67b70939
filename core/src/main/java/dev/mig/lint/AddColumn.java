package dev.mig.lint;

import dev.mig.diagnose.StatementShapes;
import dev.mig.diagnose.StatementShapes.ForeignKey;
import dev.mig.lint.PlanTables.TableRef;
import dev.mig.model.LintRule;
import dev.mig.sql.SqlTokens.Token;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.mig.lint.Tokens.at;
import static dev.mig.lint.Tokens.punctuation;

/**
 * {@code ADD [COLUMN] [IF NOT EXISTS] c type [options]} of an ALTER TABLE. Since PostgreSQL 11 a
 * column with a constant (or stable, such as {@code now()}) default is added without touching the
 * rows; a volatile default, a serial type, an identity or a stored generated column gives every row
 * its own value, and so rewrites the table. A REFERENCES, CHECK, UNIQUE or PRIMARY KEY written on
 * the column is checked or built over every row in the same statement.
 */
final class AddColumn {

    /** Volatile functions a default commonly calls; with a target, pg_proc decides for every function. */
    static final Set<String> VOLATILE = Set.of("random", "random_normal", "clock_timestamp", "timeofday", "gen_random_uuid",
            "uuidv4", "uuidv7", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "nextval", "setval",
            "gen_random_bytes", "txid_current", "pg_current_xact_id");
    private static final Set<String> SERIAL = Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8");
    private static final String[] OPTIONS = {"DEFAULT", "NOT", "NULL", "CONSTRAINT", "CHECK", "REFERENCES", "UNIQUE",
            "PRIMARY", "GENERATED", "COLLATE"};

    private final StepLint lint;
    private final TableRef table;

    AddColumn(StepLint lint, TableRef table) {
        this.lint = lint;
        this.table = table;
    }

    void read(List<Token> a, int k) {
        if (at(a, k, "IF", "NOT", "EXISTS")) {
            k += 3;
        }
        if (k >= a.size() || !a.get(k).isName()) {
            return;
        }
        String column = a.get(k).identifier();
        lint.tables.addColumn(table.name(), column);
        for (ForeignKey key : StatementShapes.foreignKeys(a)) {
            Polymorphic.check(lint, table, key, lint.tables.columns(table));
        }
        if (!table.existing()) {
            return;
        }
        int typeStart = k + 1;
        int options = Tokens.find(a, typeStart, OPTIONS);
        String sql = lint.statement().text();
        String why = rewrite(a, typeStart, options < 0 ? a.size() : options, sql);
        String add = "ADD COLUMN " + column;
        if (why != null) {
            boolean generated = why.startsWith("GENERATED ALWAYS AS (");
            lint.report(LintRule.TABLE_REWRITE, table, add + " rewrites " + table.described() + " under an ACCESS EXCLUSIVE lock: "
                    + why + "; " + (generated ? "add a plain column kept current by a trigger"
                    : "add the column without it, SET DEFAULT afterwards (only new rows get it)")
                    + ", and backfill the existing rows in batches");
        }
        if (Tokens.find(a, typeStart, "REFERENCES") >= 0) {
            lint.report(LintRule.FOREIGN_KEY_NOT_VALID, table, add + " ... REFERENCES on " + table.described() + " adds the key"
                    + " and checks every row in one statement, under an ACCESS EXCLUSIVE lock; add the column first, then ADD"
                    + " CONSTRAINT ... FOREIGN KEY ... NOT VALID, and VALIDATE CONSTRAINT in a later step");
        }
        if (Tokens.find(a, typeStart, "CHECK") >= 0) {
            lint.report(LintRule.CHECK_NOT_VALID, table, add + " ... CHECK on " + table.described() + " checks every row under"
                    + " an ACCESS EXCLUSIVE lock; add the column first, then ADD CONSTRAINT ... CHECK (...) NOT VALID, and"
                    + " VALIDATE CONSTRAINT in a later step");
        }
        if (Tokens.find(a, typeStart, "UNIQUE", "PRIMARY") >= 0) {
            lint.report(LintRule.INDEX_NOT_CONCURRENTLY, table, add + " ... " + (Tokens.find(a, typeStart, "UNIQUE") >= 0
                    ? "UNIQUE" : "PRIMARY KEY") + " on " + table.described() + " builds an index under an ACCESS EXCLUSIVE"
                    + " lock; add the column, CREATE UNIQUE INDEX CONCURRENTLY in a step with transaction false, then ADD"
                    + " CONSTRAINT ... USING INDEX");
        }
    }

    /** Why adding this column gives every row its own value, or null when it does not. */
    private String rewrite(List<Token> a, int typeStart, int typeEnd, String sql) {
        String type = Tokens.text(sql, a, typeStart, typeEnd);
        if (typeStart < typeEnd && SERIAL.contains(a.get(typeStart).text().toLowerCase(Locale.ROOT))) {
            return "its type " + type + " gives every row its own value from a sequence (a DEFAULT nextval())";
        }
        int generated = Tokens.find(a, typeEnd, "GENERATED");
        if (generated >= 0) {
            int as = Tokens.find(a, generated, "AS");
            if (as >= 0 && at(a, as + 1, "IDENTITY")) {
                return "GENERATED AS IDENTITY gives every row its own value from a sequence";
            }
            if (as >= 0 && punctuation(a, as + 1, '(') && Tokens.find(a, as, "VIRTUAL") < 0) {
                return "GENERATED ALWAYS AS (...) STORED computes and stores a value for every row";
            }
        }
        int defaultAt = Tokens.find(a, typeEnd, "DEFAULT");
        if (defaultAt < 0) {
            return null;
        }
        int end = Tokens.find(a, defaultAt + 1, "NOT", "NULL", "CONSTRAINT", "CHECK", "REFERENCES", "UNIQUE", "PRIMARY",
                "GENERATED", "COLLATE");
        List<Token> expression = a.subList(defaultAt + 1, end < 0 ? a.size() : end);
        String function = volatileCall(expression);
        return function == null ? null : "its DEFAULT " + Tokens.text(sql, expression, 0, expression.size())
                + " calls the volatile " + function + "(), so every row gets its own value";
    }

    /** The first function the expression calls that is volatile (pg_proc on the target, else the list above). */
    private String volatileCall(List<Token> expression) {
        for (int i = 0; i + 1 < expression.size(); i++) {
            Token token = expression.get(i);
            if (!token.isName() || !expression.get(i + 1).isPunctuation('(')) {
                continue;
            }
            String name = token.identifier();
            String schema = i >= 2 && expression.get(i - 1).isPunctuation('.') ? expression.get(i - 2).identifier() : null;
            Boolean onTarget = lint.target.volatileFunction(schema, name);
            if (onTarget != null ? onTarget : VOLATILE.contains(name)) {
                return schema == null ? name : schema + "." + name;
            }
        }
        return null;
    }
}
