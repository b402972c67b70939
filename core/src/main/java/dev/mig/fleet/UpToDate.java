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
 * journal and apply nothing; here it costs one query on one connection (one per database for all
 * its schema tenants), without the lock; a database tenant with work takes that connection over. Only for plans whose run on an up-to-date
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

    /**
     * What one read of the tenant's journal says: {@code done}, the result an ordinary run would
     * give, when it is up to date; else {@code open}, the connection that read a database tenant's
     * journal, for its run to take over (null for a schema tenant, whose database is read once for all).
     */
    record Look(RunResult done, Connection open) {
    }

    Look look(Tenant tenant, long startNanos) {
        if (tenant.schema() != null) {
            Map<String, String[]> rows = journals.computeIfAbsent(tenant.target(), t -> {
                try (Connection connection = Connections.open(t)) {
                    return read(connection, null);
                } catch (SQLException | RuntimeException e) {
                    return Map.of();
                }
            }).getOrDefault(tenant.schema(), Map.of());
            return new Look(upToDate(rows) ? done(tenant, startNanos) : null, null);
        }
        Connection connection;
        try {
            connection = Connections.open(tenant.target());
        } catch (RuntimeException e) {
            // a server down: the ordinary run says so
            return new Look(null, null);
        }
        Map<String, String[]> rows = read(connection, "").getOrDefault("", Map.of());
        if (!upToDate(rows)) {
            return new Look(null, connection);
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // only read from
        }
        return new Look(done(tenant, startNanos), null);
    }

    private boolean upToDate(Map<String, String[]> steps) {
        for (Step step : plan.steps()) {
            String[] row = steps.get(step.name());
            if (row == null || !"applied".equals(row[1]) || !step.checksum().equals(row[0])) {
                return false;
            }
        }
        return true;
    }

    private RunResult done(Tenant tenant, long startNanos) {
        return new RunResult(plan, tenant.target().display(),
                plan.steps().stream().map(s -> StepResult.simple(s, StepOutcome.ALREADY_APPLIED, null)).toList(),
                java.util.List.of(), (System.nanoTime() - startNanos) / 1_000_000);
    }

    /**
     * The plan's rows per tenant ({@code tenant}: only that one's, null: every tenant's); empty when
     * they cannot be read as this mig writes them (no journal yet, another version: the run finds out).
     */
    private Map<String, Map<String, String[]>> read(Connection connection, String tenant) {
        String schema = Identifiers.quote(journalSchema);
        Map<String, Map<String, String[]>> tenants = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT tenant, step, checksum, status FROM " + schema + ".steps"
                + " WHERE plan = ? AND (SELECT schema_version FROM " + schema + ".journal_meta WHERE id = 1) = ?"
                + (tenant == null ? "" : " AND tenant = ?"))) {
            ps.setString(1, plan.name());
            ps.setInt(2, Journal.SCHEMA_VERSION);
            if (tenant != null) {
                ps.setString(3, tenant);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tenants.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2),
                            new String[]{rs.getString(3), rs.getString(4)});
                }
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return tenants;
    }
}
