package dev.mig.lifecycle;

import dev.mig.api.ExitCode;
import dev.mig.catalog.Catalog;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.VerifyFailure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mig verify}: asks the verify blocks of every step the journal says is applied, and the
 * plan-level verify when every step is applied, of the database as it is now. The drift check a
 * team runs nightly: a column dropped by hand, an index left invalid, a policy removed.
 *
 * <p>Everything is read in one READ ONLY transaction that is rolled back; no lock is taken and the
 * journal is neither created nor written, so it can run beside a deploy.
 */
public final class AppliedVerify {

    /** What was found for one step of the plan. */
    public enum State {
        /** Applied, and its verify block holds. */
        HOLDS,
        /** Applied, and its verify block does not hold now. */
        FAILS,
        /** Applied, with no verify block: nothing to check. */
        NO_VERIFY,
        /** Not applied (pending, skipped, failed, interrupted): its verify is not expected to hold. */
        NOT_APPLIED
    }

    /**
     * @param entry    the journal row, null when the step never ran here
     * @param drifted  applied with other text than the plan has now (the plan's verify block is the one checked)
     */
    public record StepCheck(Step step, State state, JournalEntry entry, boolean drifted, List<VerifyFailure> failures) {
        public StepCheck {
            failures = List.copyOf(failures);
        }
    }

    /**
     * @param journalFound    false when the target has no journal: nothing is applied there
     * @param planVerify      the plan-level verify's failures; null when it was not checked
     */
    public record Result(List<StepCheck> steps, boolean journalFound, List<VerifyFailure> planVerify) {
        public Result {
            steps = List.copyOf(steps);
            planVerify = planVerify == null ? null : List.copyOf(planVerify);
        }

        public long count(State state) {
            return steps.stream().filter(s -> s.state() == state).count();
        }

        /** 3 when an expectation does not hold, else 0. */
        public ExitCode exitCode() {
            boolean failed = count(State.FAILS) > 0 || (planVerify != null && !planVerify.isEmpty());
            return failed ? ExitCode.VERIFY_FAILED : ExitCode.OK;
        }
    }

    private Plan plan;
    private final String journalSchema;
    private final String migVersion;
    private String tenantSchema;

    public AppliedVerify(Plan plan, String journalSchema, String migVersion) {
        this.plan = plan;
        this.journalSchema = journalSchema;
        this.migVersion = migVersion;
    }

    /** Checks one tenant of a schema-per-tenant fleet: its journal rows, its schema first on the search path. */
    public AppliedVerify forTenant(String schema) {
        this.tenantSchema = schema;
        this.plan = dev.mig.run.TenantSchema.onPath(plan, schema);
        return this;
    }

    public Result check(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            // a rowCount or expect query must not queue behind a deploy's ACCESS EXCLUSIVE lock for long
            try (var st = connection.prepareStatement("SELECT set_config('lock_timeout', coalesce(?, '5s'), true)")) {
                st.setString(1, plan.defaults().oneWaitLockTimeout());
                st.execute();
            }
            if (tenantSchema != null) {
                dev.mig.run.TenantSchema.setPath(connection, plan);
            }
            Journal journal = new Journal(journalSchema, migVersion, tenantSchema);
            boolean journalFound = journal.exists(connection);
            Map<String, JournalEntry> entries = journalFound ? journal.read(connection, plan.name()) : Map.of();
            Catalog catalog = new Catalog(connection, Catalog.parseSearchPath(plan.settings().searchPath()));
            List<StepCheck> checks = new ArrayList<>();
            for (Step step : plan.steps()) {
                JournalEntry entry = entries.get(step.name());
                if (entry == null || entry.status() != StepStatus.APPLIED) {
                    checks.add(new StepCheck(step, State.NOT_APPLIED, entry, false, List.of()));
                    continue;
                }
                boolean drifted = !step.runAlways() && !entry.checksum().equals(step.checksum());
                if (step.verify().isEmpty()) {
                    checks.add(new StepCheck(step, State.NO_VERIFY, entry, drifted, List.of()));
                    continue;
                }
                List<VerifyFailure> failures = VerifyCheck.failures(catalog, step.verify());
                checks.add(new StepCheck(step, failures.isEmpty() ? State.HOLDS : State.FAILS, entry, drifted, failures));
            }
            // the plan-level verify describes the end state: asked only when every step got there
            boolean allApplied = checks.stream().allMatch(c -> c.state() != State.NOT_APPLIED);
            List<VerifyFailure> planVerify = allApplied && !plan.verify().isEmpty() ? VerifyCheck.failures(catalog, plan.verify()) : null;
            return new Result(checks, journalFound, planVerify);
        } finally {
            connection.rollback();
        }
    }
}
