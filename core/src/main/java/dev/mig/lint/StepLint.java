package dev.mig.lint;

import dev.mig.api.SourceLocation;
import dev.mig.catalog.QualifiedName;
import dev.mig.lint.PlanTables.TableRef;
import dev.mig.model.LintRule;
import dev.mig.model.Step;
import dev.mig.sql.SqlTokens.Token;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lint's state while it reads one step: the statement at hand, the tables whose ACCESS EXCLUSIVE
 * lock the step's transaction already holds, the constraints it added NOT VALID, and where findings
 * go. Statement readers report through {@link #report}.
 */
final class StepLint {

    /** One statement: its text, where it starts, its tokens, and how many statements of its step follow it. */
    record Statement(String text, SourceLocation at, List<Token> tokens, int laterInStep) {
    }

    /** A constraint this step added NOT VALID: which rule a VALIDATE of it in the same step breaks, and where. */
    record NotValidAdd(LintRule rule, SourceLocation at) {
    }

    final Step step;
    final PlanTables tables;
    final TargetFacts target;
    final Linter.Thresholds thresholds;
    private final String lockTimeout;
    private final List<Finding> out;
    private final Set<QualifiedName> locked = new HashSet<>();
    private final Map<String, NotValidAdd> notValid = new HashMap<>();
    private final Set<QualifiedName> reportedOnStatement = new HashSet<>();
    private Statement statement;

    StepLint(Step step, PlanTables tables, TargetFacts target, Linter.Thresholds thresholds, String lockTimeout,
             List<Finding> out) {
        this.step = step;
        this.tables = tables;
        this.target = target;
        this.thresholds = thresholds;
        this.lockTimeout = lockTimeout;
        this.out = out;
    }

    void begin(Statement s) {
        statement = s;
        reportedOnStatement.clear();
    }

    Statement statement() {
        return statement;
    }

    void report(LintRule rule, TableRef table, String message) {
        report(rule, table, message, statement.at());
    }

    /** A finding at a line of the statement other than its first. */
    void report(LintRule rule, TableRef table, String message, SourceLocation at) {
        if (table != null) {
            reportedOnStatement.add(table.name());
        }
        TargetFacts.TableSize size = table == null ? null : table.size();
        out.add(new Finding(rule, step.name(), at, statement.text(), message,
                table == null ? null : table.name().toString(),
                size == null || size.rows() == null ? null : Math.round(size.rows()),
                size == null ? null : size.bytes(),
                step.lintAllowed().contains(rule.ruleName())));
    }

    /**
     * A statement takes ACCESS EXCLUSIVE on {@code table}: reported (access-exclusive-lock) when the
     * table exists, is large by the target's estimates, no other rule reported this statement on it,
     * and the step's transaction does not hold that lock already from an earlier statement (the
     * first statement to take it is the one that waits, and the one to move).
     */
    void accessExclusive(TableRef table, String what, String advice) {
        if (!table.existing()) {
            return;
        }
        boolean first = locked.add(table.name()) || !step.transactional();
        if (!first || reportedOnStatement.contains(table.name()) || table.size() == null || !thresholds.large(table.size())) {
            return;
        }
        int later = statement.laterInStep();
        String held = step.transactional() && later > 0
                ? ", held until the step commits (" + later + " more statement" + (later == 1 ? " runs" : "s run") + " under it)"
                : "";
        report(LintRule.ACCESS_EXCLUSIVE_LOCK, table, what + " takes an ACCESS EXCLUSIVE lock on " + table.described() + held
                + ": every read and write of the table waits behind it, and it waits behind every running query; "
                + (advice == null ? "" : advice + "; ")
                + "keep the step short, with a short lockTimeout (now " + lockTimeout + ") and retries");
    }

    void notValidAdded(QualifiedName table, String constraint, LintRule rule) {
        if (constraint != null && step.transactional()) {
            notValid.put(table + "\0" + constraint, new NotValidAdd(rule, statement.at()));
        }
    }

    /** The ADD ... NOT VALID of this constraint earlier in this (transactional) step, or null. */
    NotValidAdd addedNotValidInThisStep(QualifiedName table, String constraint) {
        return notValid.get(table + "\0" + constraint);
    }
}
