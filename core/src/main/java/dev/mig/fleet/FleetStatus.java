package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.target.Connections;
import dev.mig.text.Redactor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code mig status PLAN --fleet NAME}: each tenant's journal read (read-only, no lock), at most
 * {@code parallel} tenants at once, one connection each.
 */
public final class FleetStatus {

    /**
     * One tenant: its steps applied, still to run (pending, failed, skipped, interrupted) and
     * drifted; or why it could not be read ({@code error}, with its exit code).
     */
    public record TenantStatus(Tenant tenant, int applied, int toRun, int drifted, String error, int exitCode) {

        /** {@code tenant a: up to date (2 applied)}, {@code tenant b: 1 to run, 1 applied}, {@code tenant c: 1 drifted ... (exit 5)}. */
        public String line() {
            String head = "tenant " + tenant.id() + ": ";
            if (error != null) {
                return head + "cannot be read (exit " + exitCode + ") " + error;
            }
            if (drifted > 0) {
                return head + drifted + " drifted, " + toRun + " to run, " + applied + " applied (exit 5)";
            }
            return head + (toRun == 0 ? "up to date (" + applied + " applied)" : toRun + " to run, " + applied + " applied");
        }
    }

    private FleetStatus() {
    }

    public static List<TenantStatus> read(Plan plan, List<Tenant> tenants, String journalSchema, int parallel) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "mig-fleet-status");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<TenantStatus>> reads = new ArrayList<>();
            tenants.forEach(t -> reads.add(() -> read(plan, t, journalSchema)));
            List<TenantStatus> statuses = new ArrayList<>();
            for (Future<TenantStatus> f : pool.invokeAll(reads)) {
                statuses.add(f.get());
            }
            return statuses;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigException(ExitCode.STEP_FAILED, "interrupted while reading the fleet's journals");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    static TenantStatus read(Plan plan, Tenant tenant, String journalSchema) {
        Map<String, JournalEntry> entries = Map.of();
        try (Connection connection = Connections.open(tenant.target())) {
            connection.setReadOnly(true);
            Journal journal = new Journal(journalSchema, MigVersion.get(), tenant.schema());
            if (journal.exists(connection)) {
                entries = journal.read(connection, plan.name());
            }
        } catch (MigException e) {
            return new TenantStatus(tenant, 0, 0, 0, TenantResult.firstLine(e.getMessage()), e.exitCode().code());
        } catch (SQLException e) {
            return new TenantStatus(tenant, 0, 0, 0, "its journal cannot be read: " + Redactor.redact(String.valueOf(e.getMessage())),
                    ExitCode.CONNECTION_FAILED.code());
        }
        int applied = 0;
        int toRun = 0;
        int drifted = 0;
        for (Step step : plan.steps()) {
            JournalEntry entry = entries.get(step.name());
            if (entry == null || entry.status() != StepStatus.APPLIED) {
                toRun++;
            } else if (!entry.checksum().equals(step.checksum()) && !step.runAlways()) {
                drifted++;
            } else {
                applied++;
            }
        }
        return new TenantStatus(tenant, applied, toRun, drifted, null, drifted > 0 ? ExitCode.DRIFT.code() : 0);
    }
}
