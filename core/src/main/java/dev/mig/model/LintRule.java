package dev.mig.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of {@code mig lint}, each with the stable name plans use in {@code lint { allow }} and
 * the JSON output carries, and its severity (see docs/DSL.md section 9, "mig lint"). A model
 * value, not the linter's: loading a plan checks the names its {@code allow} gives.
 */
public enum LintRule {
    TABLE_REWRITE("table-rewrite", Severity.ERROR),
    ACCESS_EXCLUSIVE_LOCK("access-exclusive-lock", Severity.WARNING),
    FOREIGN_KEY_NOT_VALID("foreign-key-not-valid", Severity.WARNING),
    CHECK_NOT_VALID("check-not-valid", Severity.WARNING),
    INDEX_NOT_CONCURRENTLY("index-not-concurrently", Severity.WARNING),
    NOT_NULL_WITHOUT_CHECK("not-null-without-check", Severity.WARNING),
    TYPE_CHANGE("type-change", Severity.WARNING),
    POLYMORPHIC_FOREIGN_KEY("polymorphic-foreign-key", Severity.ERROR),
    OTHER_DIALECT("other-dialect", Severity.ERROR),
    UNBATCHED_WRITE("unbatched-write", Severity.WARNING);

    /**
     * {@code error}: the statement rewrites a table that holds data, adds a key that cannot hold
     * for the rows it is meant for, or names a type or function of another database that the
     * target does not have; {@code warning}: it blocks others for longer than a safer way of writing
     * it would.
     */
    public enum Severity {
        ERROR, WARNING;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String ruleName;
    private final Severity severity;

    LintRule(String ruleName, Severity severity) {
        this.ruleName = ruleName;
        this.severity = severity;
    }

    /** The stable name: {@code index-not-concurrently}. */
    public String ruleName() {
        return ruleName;
    }

    public Severity severity() {
        return severity;
    }

    public static Optional<LintRule> named(String name) {
        return Arrays.stream(values()).filter(r -> r.ruleName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(LintRule::ruleName).toList();
    }
}
