package dev.mig.fleet;

import dev.mig.catalog.Identifiers;
import dev.mig.journal.Journal;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.RunResult;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.run.RunOptions;
import dev.mig.target.Connections;
import dev.mig.target.Target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants that have nothing to do, told from one read of the journal: every step of the plan
 * applied with the checksum it has now. Such a tenant's run would take its plan lock, read its
 * journal and apply nothing; here it costs one query per database (all the schema tenants of a
 * database at once), read-only and without the lock. Only for plans whose run on an up-to-date
 * tenant does nothing else: no {@code runAlways} step, no hooks, no plan-level verify, and runs
 * of every step, not a dry run. Anything else, or a journal that is missing, of another version
 * or unreadable, takes the ordinary run.
 */
final class UpToDate {

    /** Per database, per tenant ("" for the database's own), per step: checksum and status. */
    private final Map<Target, Map<String, Map<String, String[]>>> journals = new ConcurrentHashMap<>();
    private final String journalSchema;
    private final Plan plan;

    private UpToDate(Plan plan, String journalSchema) {
        this.plan = plan;
        this.journalSchema = journalSchema;
    }

    /** A reader for runs of {@code plan} with {@code options}, or null when such a run may do something on an up-to-date tenant. */
    static UpToDate forRuns(Plan plan, RunOptions options) {
        boolean quiet = plan.hooks().isEmpty() && plan.verify().isEmpty() && plan.steps().stream().noneMatch(Step::runAlways)
                && !options.dryRun() && !options.selection().narrows();
        return quiet ? new UpToDate(plan, options.journalSchema()) : null;
    }

    /** The tenant's result as an ordinary run would give it, if its journal says it is up to date; else null. */
    RunResult check(Tenant tenant, long startNanos) {
        Map<String, String[]> steps = journals.computeIfAbsent(tenant.target(), this::read)
                .getOrDefault(tenant.schema() == null ? "" : tenant.schema(), Map.of());
        for (Step step : plan.steps()) {
            String[] row = steps.get(step.name());
            if (row == null || !"applied".equals(row[1]) || !step.checksum().equals(row[0])) {
                return null;
            }
        }
        return new RunResult(plan, tenant.target().display(),
                plan.steps().stream().map(s -> StepResult.simple(s, StepOutcome.ALREADY_APPLIED, null)).toList(),
                java.util.List.of(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** The plan's rows of every tenant of the database; empty when they cannot be read as this mig writes them. */
    private Map<String, Map<String, String[]>> read(Target target) {
        String schema = Identifiers.quote(journalSchema);
        Map<String, Map<String, String[]>> tenants = new HashMap<>();
        try (Connection connection = Connections.open(target);
             PreparedStatement ps = connection.prepareStatement("SELECT tenant, step, checksum, status FROM " + schema + ".steps"
                     + " WHERE plan = ? AND (SELECT schema_version FROM " + schema + ".journal_meta WHERE id = 1) = ?")) {
            connection.setReadOnly(true);
            ps.setString(1, plan.name());
            ps.setInt(2, Journal.SCHEMA_VERSION);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tenants.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2),
                            new String[]{rs.getString(3), rs.getString(4)});
                }
            }
        } catch (SQLException | RuntimeException e) {
            // no journal yet, another version, a server down: the ordinary run finds out and says so
            return Map.of();
        }
        return tenants;
    }
}
