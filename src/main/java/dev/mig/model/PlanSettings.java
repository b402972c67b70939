package dev.mig.model;

/** Plan-wide defaults that steps inherit unless they set their own. */
public record PlanSettings(String lockTimeout, String statementTimeout, String searchPath) {

    public static final PlanSettings DEFAULTS = new PlanSettings("5s", null, "public");
}
