package dev.mig.lint;

import dev.mig.diagnose.Creations;
import dev.mig.lint.PlanTables.TableRef;
import dev.mig.model.BackfillRange;
import dev.mig.model.LintRule;
import dev.mig.sql.SqlTokens.Token;

import java.util.List;

import static dev.mig.lint.Tokens.at;
import static dev.mig.lint.Tokens.punctuation;

/**
 * {@code UPDATE} and {@code DELETE} of many rows of an existing table in one statement
 * (unbatched-write): every row it changes stays locked until its transaction ends, and the one
 * long transaction writes all its row versions at once. The finding ends with the
 * {@code backfill { }} block that does the same in batches (docs/DSL.md, "mig lint" and "Batched
 * backfills"), filled in from the statement.
 *
 * <p>Many rows means: no WHERE (without a target, on any table the plan does not create; with
 * one, on a large table by the thresholds of access-exclusive-lock), or, with a target, a WHERE on
 * a large table that does not pick its rows by equality on a single-column unique key.
 */
final class WriteRules {

    private static final String FIX = "; write instead, in a step of its own (batches of 1000 keys along the primary key,"
            + " each its own short transaction, resumed where it stopped): ";

    private final StepLint lint;
    private final PlanTables tables;

    WriteRules(StepLint lint) {
        this.lint = lint;
        this.tables = lint.tables;
    }

    /** The parts of an UPDATE or DELETE that the suggestion is made of, as written (on one line). */
    private record Parts(String alias, String set, String from, String where) {
    }

    /** {@code UPDATE [ONLY] t [*] [[AS] a] SET ... [FROM ...] [WHERE ...] [RETURNING ...]}. */
    void update(List<Token> t) {
        int i = at(t, 1, "ONLY") ? 2 : 1;
        String[] name = Creations.name(t, i);
        if (name == null) {
            return;
        }
        i = afterName(t, i, name);
        String alias = null;
        if (at(t, i, "AS") || (i < t.size() && t.get(i).isName() && !at(t, i, "SET"))) {
            i += at(t, i, "AS") ? 1 : 0;
            alias = i < t.size() ? t.get(i).identifier() : null;
            i++;
        }
        if (!at(t, i, "SET")) {
            return;
        }
        int end = end(t);
        int where = Tokens.find(t, i + 1, "WHERE");
        int from = from(t, i + 1, where < 0 ? end : where);
        int returning = Tokens.find(t, i + 1, "RETURNING");
        int whereEnd = returning < 0 ? end : returning;
        int setEnd = firstOf(from, where, whereEnd);
        int fromEnd = firstOf(where, whereEnd);
        report("UPDATE", t, name, where, whereEnd, new Parts(alias, text(t, i + 1, setEnd), from < 0 ? null : text(t, from, fromEnd),
                where < 0 ? null : text(t, where + 1, whereEnd)));
    }

    /** {@code DELETE FROM [ONLY] t [*] [[AS] a] [USING ...] [WHERE ...] [RETURNING ...]}. */
    void delete(List<Token> t) {
        int i = at(t, 2, "ONLY") ? 3 : 2;
        String[] name = Creations.name(t, i);
        if (name == null) {
            return;
        }
        i = afterName(t, i, name);
        String alias = null;
        if (at(t, i, "AS") || (i < t.size() && t.get(i).isName() && !at(t, i, "USING") && !at(t, i, "WHERE")
                && !at(t, i, "RETURNING"))) {
            i += at(t, i, "AS") ? 1 : 0;
            alias = i < t.size() ? t.get(i).identifier() : null;
            i++;
        }
        int end = end(t);
        int using = at(t, i, "USING") ? i : -1;
        int where = Tokens.find(t, i, "WHERE");
        int returning = Tokens.find(t, i, "RETURNING");
        int whereEnd = returning < 0 ? end : returning;
        report("DELETE", t, name, where, whereEnd, new Parts(alias, null, using < 0 ? null : text(t, using, firstOf(where, whereEnd)),
                where < 0 ? null : text(t, where + 1, whereEnd)));
    }

    private void report(String verb, List<Token> t, String[] name, int where, int whereEnd, Parts parts) {
        if (where >= 0 && at(t, where + 1, "CURRENT", "OF")) {
            return;
        }
        TableRef table = tables.table(tables.qualify(name));
        if (!table.existing() || (table.size() != null && table.size().kind() == 'm')) {
            return;
        }
        boolean large = table.size() != null && lint.thresholds.large(table.size());
        if (parts.where() == null ? lint.target.connected() && !large : !large) {
            return;
        }
        TargetFacts.Keys keys = lint.target.keys(tables.targetName(table));
        if (parts.where() != null && pinned(t, where + 1, whereEnd, keys)) {
            return;
        }
        int later = lint.statement().laterInStep();
        boolean transactional = lint.step.transactional();
        String what = verb + (parts.where() == null ? " of every row of " + table.described()
                : " of " + table.described() + " by a WHERE that does not pick its rows by a unique key, so possibly many of them,");
        String held = transactional && later > 0
                ? " in the step's one transaction (" + later + " more statement" + (later == 1 ? " runs" : "s run") + " in it)"
                : " in one " + (transactional ? "transaction" : "statement");
        String message = what + held + ": every row it changes stays locked until the "
                + (transactional ? "step commits" : "statement ends") + ", so the application's writes to those rows wait behind"
                + " it, and the one long transaction writes all the new row versions at once (a burst of WAL that replicas"
                + " replay late, dead rows vacuum cannot remove until it ends)";
        String block = block(verb, table, parts);
        if (keys != null && !keys.hasPrimaryKey()) {
            message += "; write it as a batched backfill in a step of its own, which batches along a primary key or a unique key"
                    + " of NOT NULL columns (" + table.name() + " has no primary key: name such a key with key '...' in the block"
                    + (block == null ? "" : ", " + block) + ")";
        } else {
            message += block == null ? "; write it as a batched backfill in a step of its own (docs/DSL.md, Batched backfills)"
                    : FIX + block;
        }
        lint.report(LintRule.UNBATCHED_WRITE, table, message);
    }

    /**
     * The {@code backfill { }} block on one line: {@code table} and {@code set} (and {@code where})
     * for an UPDATE of the table alone, else a {@code statement} with {@code {range}} where the
     * batch's key range goes; null when the table's name cannot qualify {@code {range}}.
     */
    private static String block(String verb, TableRef table, Parts parts) {
        String tableWord = "table " + quoted(SafeWordHint.table(table.name()));
        if (verb.equals("UPDATE") && parts.alias() == null && parts.from() == null) {
            return "backfill { " + tableWord + "; set " + quoted(parts.set())
                    + (parts.where() == null ? "" : "; where " + quoted(parts.where())) + " }";
        }
        String qualifier = parts.alias() != null ? parts.alias() : parts.from() != null ? table.name().name() : null;
        // {range q} splices q as written: only a name that needs no quotes means the same there
        if (qualifier != null && !(qualifier.matches("[a-z_][a-z0-9_]*")
                && BackfillRange.PATTERN.matcher("{range " + qualifier + "}").matches())) {
            return null;
        }
        String range = qualifier == null ? "{range}" : "{range " + qualifier + "}";
        String head = verb.equals("UPDATE") ? "UPDATE " + SafeWordHint.table(table.name())
                + (parts.alias() == null ? "" : " " + SafeWordHint.name(parts.alias())) + " SET " + parts.set()
                : "DELETE FROM " + SafeWordHint.table(table.name()) + (parts.alias() == null ? "" : " " + SafeWordHint.name(parts.alias()));
        String statement = head + (parts.from() == null ? "" : " " + parts.from()) + " WHERE " + range
                + (parts.where() == null ? "" : " AND (" + parts.where() + ")");
        return "backfill { " + tableWord + "; statement " + quoted(statement) + " }";
    }

    /**
     * A WHERE whose top-level conjuncts include {@code key = ...} or {@code key IN (...)} on a
     * single-column unique key; any top-level OR makes it not pinned.
     */
    private static boolean pinned(List<Token> t, int from, int end, TargetFacts.Keys keys) {
        int depth = 0;
        int start = from;
        boolean between = false;
        for (int i = from; i < end; i++) {
            Token token = t.get(i);
            if (token.isPunctuation('(')) {
                depth++;
            } else if (token.isPunctuation(')')) {
                depth--;
            } else if (depth == 0 && token.is("OR")) {
                return false;
            } else if (depth == 0 && token.is("BETWEEN")) {
                between = true;
            } else if (depth == 0 && token.is("AND")) {
                if (between) {
                    between = false;
                } else {
                    if (equalityOnKey(t.subList(start, i), keys)) {
                        return true;
                    }
                    start = i + 1;
                }
            }
        }
        return equalityOnKey(t.subList(start, end), keys);
    }

    private static boolean equalityOnKey(List<Token> c, TargetFacts.Keys keys) {
        int i = punctuation(c, 1, '.') ? 2 : 0;
        if (i >= c.size() || !c.get(i).isName() || !keys.unique().contains(c.get(i).identifier())) {
            return false;
        }
        return (punctuation(c, i + 1, '=') && !at(c, i + 2, "ANY") && !at(c, i + 2, "ALL") && !at(c, i + 2, "SOME")
                && !punctuation(c, i + 2, '>')) || (at(c, i + 1, "IN") && punctuation(c, i + 2, '('));
    }

    private static int afterName(List<Token> t, int i, String[] name) {
        i += Tokens.width(name);
        return punctuation(t, i, '*') ? i + 1 : i;
    }

    /** The top-level FROM of an UPDATE's SET list, not the one of {@code IS [NOT] DISTINCT FROM}; -1 when none. */
    private static int from(List<Token> t, int i, int end) {
        for (int f = Tokens.find(t, i, "FROM"); f >= 0 && f < end; f = Tokens.find(t, f + 1, "FROM")) {
            if (!at(t, f - 1, "DISTINCT")) {
                return f;
            }
        }
        return -1;
    }

    /** The statement's tokens without the semicolons that end it. */
    private static int end(List<Token> t) {
        int end = t.size();
        while (end > 0 && t.get(end - 1).kind() == Token.Kind.SEMICOLON) {
            end--;
        }
        return end;
    }

    private static int firstOf(int... indexes) {
        int first = Integer.MAX_VALUE;
        for (int i : indexes) {
            if (i >= 0) {
                first = Math.min(first, i);
            }
        }
        return first;
    }

    private String text(List<Token> t, int from, int to) {
        return Tokens.oneLine(lint.statement().text(), t, from, to);
    }

    /** A Groovy single-quoted string of one line: a line break in a literal becomes {@code \n}. */
    private static String quoted(String text) {
        return SafeWordHint.quoted(text).replace("\r", "\\r").replace("\n", "\\n");
    }
}
