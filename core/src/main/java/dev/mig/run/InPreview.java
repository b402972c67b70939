package dev.mig.run;

import dev.mig.model.Plan;
import dev.mig.model.Step;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code mig plan}'s look at a step a run would try: {@link InTransaction}'s attempt as far as
 * its guards (a fresh reading of the catalog, the step's settings, the guards asked and decided by
 * the same {@link StepAttempt} code) and no further: no cleanup, SQL, code or verify, no journal
 * row, and rolled back. The caller makes the connection read-only, so a guard cannot write either.
 */
public final class InPreview {

    private final Connection connection;
    private final StepAttempt parts;

    public InPreview(Connection connection, Plan plan, List<String> searchPath) {
        this.connection = connection;
        this.parts = new StepAttempt(connection, plan, searchPath, BlockerWatch.NONE, RunListener.NONE);
    }

    /** What the step's guards answer now, and what a run would make of that. */
    public Guards.Decision run(Step step) throws SQLException {
        try {
            parts.begin();
            parts.applySettings(step, true);
            return parts.decide(step);
        } finally {
            connection.rollback();
        }
    }
}
