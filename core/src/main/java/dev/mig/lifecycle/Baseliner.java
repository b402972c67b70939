package dev.mig.lifecycle;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.catalog.Catalog;
import dev.mig.journal.HistoryOutcome;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.SelectedSteps;
import dev.mig.result.VerifyFailure;
import dev.mig.run.PlanLock;
import dev.mig.run.PlanSession;
import dev.mig.run.RunListener;
import dev.mig.run.Runner;
import dev.mig.run.StepSelection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code mig baseline}: on a database whose schema was made without mig, marks as applied
 * exactly the steps not yet applied whose verify blocks hold, of those the selection options take. The verify blocks are read in one
 * read-only transaction that is rolled back; then the journal rows of the steps that hold are
 * written in one more. The schema is never changed; the journal is created if missing.
 */
public final class Baseliner {

    /** What baseline found for one step not applied before. */
    public record Finding(Step step, Verdict verdict, List<VerifyFailure> failures) {
        public Finding {
            failures = List.copyOf(failures);
        }
    }

    public enum Verdict {
        /** Its verify block holds: now marked applied. */
        BASELINED,
        /** Its verify block does not hold (or throws): not marked. */
        DOES_NOT_HOLD,
        /** It has no verify block, so nothing says whether it is applied: not marked. */
        NO_VERIFY
    }

    /**
     * @param selection  the steps the selection options took
     * @param leftPending the steps not applied that the selection left out, in plan order: still pending
     */
    public record Result(List<Finding> findings, int appliedEarlier, SelectedSteps selection, List<String> leftPending) {
        public Result {
            findings = List.copyOf(findings);
            leftPending = List.copyOf(leftPending);
        }

        public long count(Verdict verdict) {
            return findings.stream().filter(f -> f.verdict() == verdict).count();
        }

        /**
         * 0 when every selected step not applied before is now marked applied, else 3: the database is
         * not what the plan describes. The steps the selection left out do not count.
         */
        public ExitCode exitCode() {
            return findings.stream().allMatch(f -> f.verdict() == Verdict.BASELINED) ? ExitCode.OK : ExitCode.VERIFY_FAILED;
        }
    }

    private final Plan plan;
    private final String journalSchema;
    private final java.time.Duration lockWait;
    private final RunListener listener;
    private final String migVersion;
    private final StepSelection selection;

    public Baseliner(Plan plan, String journalSchema, java.time.Duration lockWait, RunListener listener, String migVersion) {
        this(plan, journalSchema, lockWait, listener, migVersion, StepSelection.EVERY_STEP);
    }

    /**
     * Judges only the steps {@code selection} takes ({@code --tags}, {@code --until},
     * {@code --skip-tags} and the pending steps they require), as a run with it would take them;
     * the others are left as they are.
     */
    public Baseliner(Plan plan, String journalSchema, java.time.Duration lockWait, RunListener listener, String migVersion,
                     StepSelection selection) {
        this.plan = plan;
        this.journalSchema = journalSchema;
        this.lockWait = lockWait;
        this.listener = listener;
        this.migVersion = migVersion;
        this.selection = selection;
    }

    public Result baseline(Runner.Connector connector, String targetDisplay) {
        Journal journal = new Journal(journalSchema, migVersion);
        try (PlanSession session = PlanSession.open(connector, targetDisplay, journal, plan.name(), lockWait,
                listener::waitingForLock, PlanLock.Holder.BASELINE)) {
            return baselineLocked(session.connection(), journal);
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "database error during baseline: " + e.getMessage(), null,
                    "check the role's privileges on schema " + journalSchema + " and on the catalog", e);
        }
    }

    private Result baselineLocked(Connection connection, Journal journal) throws SQLException {
        journal.ensure(connection);
        Map<String, JournalEntry> entries = journal.read(connection, plan.name());
        connection.commit();
        // a selection a run could not take is exit 2 before any row is written
        SelectedSteps selected = selection.resolve(plan, entries);
        List<Step> candidates = new ArrayList<>();
        List<String> leftPending = new ArrayList<>();
        int appliedEarlier = 0;
        for (Step step : plan.steps()) {
            JournalEntry entry = entries.get(step.name());
            if (entry != null && entry.status() == StepStatus.APPLIED) {
                appliedEarlier++;
            } else if (!selected.takes(step.name())) {
                leftPending.add(step.name());
            } else {
                candidates.add(step);
            }
        }
        List<Finding> findings = evaluate(connection, candidates);
        UUID runId = UUID.randomUUID();
        for (Finding f : findings) {
            if (f.verdict() != Verdict.BASELINED) {
                continue;
            }
            Step step = f.step();
            journal.setState(connection, plan.name(), step.name(), step.index(), step.checksum(), StepStatus.APPLIED, 0, null);
            journal.appendHistory(connection, new Journal.HistoryRecord(runId, plan.name(), step.name(), step.checksum(),
                    HistoryOutcome.BASELINED, OffsetDateTime.now(), 0, null, null, null, null));
        }
        connection.commit();
        return new Result(findings, appliedEarlier, selected, leftPending);
    }

    /** Every candidate's verify block, in one read-only transaction, rolled back. */
    private List<Finding> evaluate(Connection connection, List<Step> candidates) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        connection.setReadOnly(true);
        try {
            Catalog catalog = new Catalog(connection, Catalog.parseSearchPath(plan.settings().searchPath()));
            for (Step step : candidates) {
                if (step.verify().isEmpty()) {
                    findings.add(new Finding(step, Verdict.NO_VERIFY, List.of()));
                    continue;
                }
                List<VerifyFailure> failures = VerifyCheck.failures(catalog, step.verify());
                findings.add(new Finding(step, failures.isEmpty() ? Verdict.BASELINED : Verdict.DOES_NOT_HOLD, failures));
            }
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
        }
        return findings;
    }
}
