package dev.mig.lint;

import dev.mig.api.SourceLocation;
import dev.mig.model.LintRule;

/**
 * One risky statement: the rule, the step and where the statement starts (SQL file line, or plan
 * line for inline SQL), its text, what is risky and the safe way to write it; the table it acts on
 * with the target's estimates when known ({@code rows} and {@code bytes} null otherwise).
 * {@code allowed} when the step's {@code lint { allow }} names the rule: listed, not counted.
 */
public record Finding(LintRule rule, String step, SourceLocation at, String statement, String message,
                      String table, Long rows, Long bytes, boolean allowed) {

    public LintRule.Severity severity() {
        return rule.severity();
    }

    /** {@code plan.groovy:12 [warning] index-not-concurrently: MESSAGE}. */
    public String line() {
        return at + " [" + severity().word() + "] " + rule.ruleName() + ": " + message;
    }
}
