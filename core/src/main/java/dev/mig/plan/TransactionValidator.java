package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Action;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.SqlTokens;
import dev.mig.sql.StatementSplitter;
import dev.mig.sql.TransactionBlock;

/**
 * Finds, before anything connects, the statements a transactional step holds that PostgreSQL
 * refuses inside a transaction block ({@link TransactionBlock}): in inline {@code sql} and in
 * {@code sqlFile} contents, each reported at its own line (the SQL file's line, or the plan's).
 * Without this the step would fail on the server with 25001 after the steps before it ran.
 */
final class TransactionValidator {

    private final LoadContext context;

    TransactionValidator(LoadContext context) {
        this.context = context;
    }

    void validate(Plan plan) {
        for (Step step : plan.steps()) {
            if (!step.transactional()) {
                continue;
            }
            for (Action action : step.actions()) {
                if (action instanceof Action.Sql sql) {
                    check(step, sql);
                }
            }
        }
    }

    private void check(Step step, Action.Sql sql) {
        for (SqlStatement statement : StatementSplitter.split(sql.text())) {
            String refused = TransactionBlock.refused(SqlTokens.of(statement.text()));
            if (refused == null) {
                continue;
            }
            SourceLocation at = sql.fromFile()
                    ? new SourceLocation(sql.file(), statement.startLine())
                    : sql.location().withLine(sql.location().line() + statement.startLine() - 1);
            context.problemAsIs(at, refused + " cannot run inside a transaction, and step '" + step.name() + "' ("
                    + step.location() + ") runs in one",
                    "write transaction false in the step; a step without a transaction is not rolled back on failure,"
                            + " so give the statement a step of its own and make it rerunnable (IF NOT EXISTS)");
        }
    }
}
