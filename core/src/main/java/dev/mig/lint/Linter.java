package dev.mig.lint;

import dev.mig.api.SourceLocation;
import dev.mig.model.Action;
import dev.mig.model.LintRule;
import dev.mig.model.Plan;
import dev.mig.model.PlannedStatement;
import dev.mig.model.ResolvedSettings;
import dev.mig.model.Step;
import dev.mig.sql.SqlTokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code mig lint}: reads every statement of the plan's steps in plan order ({@code sql} and
 * {@code sqlFile}, recipes' included; not groovy blocks, undo blocks or cleanup actions) and
 * reports the risky ones, with what to write instead. What it knows about tables comes from the
 * plan (what earlier statements created, dropped, renamed) and, with a target, from its catalog
 * (see docs/DSL.md section 9, "mig lint").
 */
public final class Linter {

    /** When a table counts as large for access-exclusive-lock: from {@code rows} estimated rows or {@code bytes}. */
    public record Thresholds(long rows, long bytes) {

        public static final Thresholds DEFAULT = new Thresholds(100_000, 100L * 1024 * 1024);

        boolean large(TargetFacts.TableSize size) {
            return (size.rows() != null && size.rows() >= rows) || size.bytes() >= bytes;
        }
    }

    private final Plan plan;
    private final TargetFacts target;
    private final Thresholds thresholds;

    public Linter(Plan plan, TargetFacts target, Thresholds thresholds) {
        this.plan = plan;
        this.target = target;
        this.thresholds = thresholds;
    }

    /** Lints every step except those named in {@code applied} (applied on the target: a run does not run them again). */
    public LintResult lint(Set<String> applied) {
        PlanTables tables = new PlanTables(target);
        ForeignNames foreignNames = new ForeignNames(target);
        List<Finding> findings = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<SourceLocation> groovy = new ArrayList<>();
        for (Step step : plan.steps()) {
            if (applied.contains(step.name())) {
                skipped.add(step.name());
                continue;
            }
            ResolvedSettings settings = plan.settingsFor(step);
            String lockTimeout = settings.lockRetrySchedule() ? settings.lockTimeout().value() + " on mig's lock-retry schedule"
                    : settings.lockTimeout().value();
            StepLint lint = new StepLint(step, tables, target, thresholds, lockTimeout == null ? "none" : lockTimeout, findings);
            StatementRules rules = new StatementRules(lint);
            List<PlannedStatement> statements = new ArrayList<>();
            for (Action action : step.actions()) {
                if (action instanceof Action.Sql sql) {
                    statements.addAll(PlannedStatement.of(sql));
                } else if (action instanceof Action.Code code) {
                    groovy.add(code.location());
                }
            }
            for (int i = 0; i < statements.size(); i++) {
                PlannedStatement s = statements.get(i);
                try {
                    StepLint.Statement statement = new StepLint.Statement(s.text(), s.at(), SqlTokens.of(s.text()),
                            statements.size() - i - 1);
                    rules.read(statement);
                    foreignNames.read(lint, statement);
                } catch (IllegalArgumentException unreadable) {
                    // a name no table can have (an empty quoted identifier): the server will say more than lint can
                }
            }
        }
        List<LintRule> notChecked = target.connected() ? List.of() : List.of(LintRule.ACCESS_EXCLUSIVE_LOCK);
        return new LintResult(findings, skipped, groovy, notChecked);
    }
}
