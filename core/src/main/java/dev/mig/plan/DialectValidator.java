package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Action;
import dev.mig.model.Hook;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.sql.OtherDialects;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.StatementSplitter;

import java.util.List;

/**
 * Finds, before anything connects, SQL written the way another database writes it that PostgreSQL
 * cannot parse ({@link OtherDialects}, syntax uses only: {@code AUTO_INCREMENT}, backtick quotes,
 * {@code ADD CONSTRAINT IF NOT EXISTS}, ...), in the {@code sql} and {@code sqlFile} text of every
 * step, undo block and hook, each at the line it is on (the SQL file's line, or the plan's), with the
 * PostgreSQL way to write it. Without this the step would fail with 42601 after the steps before
 * it ran.
 */
final class DialectValidator {

    private final LoadContext context;

    DialectValidator(LoadContext context) {
        this.context = context;
    }

    void validate(Plan plan) {
        for (Step step : plan.steps()) {
            check(step.actions(), "step '" + step.name() + "'");
            check(step.undo(), "the undo of step '" + step.name() + "'");
        }
        for (Hook hook : plan.hooks()) {
            check(hook.actions(), "the " + hook.when().word() + " hook");
        }
    }

    private void check(List<Action> actions, String where) {
        for (Action action : actions) {
            if (!(action instanceof Action.Sql sql) || sql.text() == null) {
                continue;
            }
            for (SqlStatement statement : StatementSplitter.split(sql.text())) {
                for (OtherDialects.Use use : OtherDialects.syntaxIn(statement.text())) {
                    int line = statement.startLine() + use.lineIn(statement.text()) - 1;
                    SourceLocation at = sql.fromFile()
                            ? new SourceLocation(sql.file(), line)
                            : sql.location().withLine(sql.location().line() + line - 1);
                    context.problemAsIs(at, sql.masked(use.what()) + " (" + where + ")", sql.masked(use.instead()));
                }
            }
        }
    }
}
