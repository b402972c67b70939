package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.journal.Journal;
import dev.mig.lifecycle.PlanPreview;
import dev.mig.lifecycle.PlanPreview.State;
import dev.mig.lifecycle.PlanPreview.StepPreview;
import dev.mig.lifecycle.PlanPreview.Verdict;
import dev.mig.model.Plan;
import dev.mig.report.Printable;
import dev.mig.result.SelectedSteps;
import dev.mig.run.SessionPlaceholders;
import dev.mig.run.StepSelection;
import dev.mig.target.Connections;
import dev.mig.text.Redactor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mig plan PLAN --fleet NAME}: what a run would do on each tenant, found as {@code mig plan}
 * finds it on one database (read-only transactions rolled back, one connection per tenant, at most
 * {@code parallel} at once), and the tenants grouped by it: tenants whose steps a run would try
 * read the same form one group, so that 500 tenants with the same pending steps are one group.
 */
public final class FleetPreview {

    /** The states of a tenant, in the order the summary counts them. */
    public static final List<String> STATES = List.of("upToDate", "toRun", "drifted", "unreadable");

    /**
     * One tenant: its plan (with the placeholders its session gives: {@code ${mig:database}}) and
     * each step's preview, or the error that kept it from being read.
     */
    public record TenantPreview(Tenant tenant, Plan plan, List<StepPreview> steps, SelectedSteps selection, MigException error) {

        /** 0, 5 when a step drifted (a run would stop), or the error's (6: unreachable). */
        public int exitCode() {
            return error != null ? error.exitCode().code() : PlanPreview.anyDrifted(steps) ? ExitCode.DRIFT.code() : 0;
        }

        /** {@code upToDate}, {@code toRun} (a run would try a step), {@code drifted} or {@code unreadable}. */
        public String state() {
            if (error != null) {
                return "unreadable";
            }
            if (PlanPreview.anyDrifted(steps)) {
                return "drifted";
            }
            return steps.stream().anyMatch(p -> p.verdict() != null) ? "toRun" : "upToDate";
        }

        /** Whether a step's guards would fail it (a {@code fail} guard false, or a guard that throws). */
        public boolean wouldFail() {
            return error == null && steps.stream().anyMatch(p -> p.verdict() == Verdict.FAIL);
        }
    }

    /** Tenants whose previews read the same {@code lines}, in the fleet's order. */
    public record Group(List<TenantPreview> members, List<String> lines) {

        public List<StepPreview> steps() {
            return members.get(0).steps();
        }
    }

    private FleetPreview() {
    }

    public static List<TenantPreview> read(Plan plan, StepSelection selection, List<Tenant> tenants, String journalSchema,
                                           int parallel) {
        return EachTenant.read(tenants, parallel, t -> read(plan, selection, t, journalSchema));
    }

    /** The readable tenants grouped by {@link #lines}, groups in the order of their first tenant. */
    public static List<Group> groups(List<TenantPreview> previews) {
        Map<List<String>, List<TenantPreview>> groups = new LinkedHashMap<>();
        for (TenantPreview p : previews) {
            if (p.error() == null) {
                groups.computeIfAbsent(lines(p.steps()), k -> new ArrayList<>()).add(p);
            }
        }
        List<Group> result = new ArrayList<>();
        groups.forEach((lines, members) -> result.add(new Group(List.copyOf(members), lines)));
        return result;
    }

    /**
     * A line per step a run would do something with (every step not applied: pending, drifted,
     * runs always, skipped or failed earlier, interrupted), as {@code mig plan} writes its line,
     * without what differs from tenant to tenant (when it was applied, by whom).
     * {@code pending         add column  would run}.
     */
    public static List<String> lines(List<StepPreview> steps) {
        List<String> lines = new ArrayList<>();
        for (StepPreview p : steps) {
            if (p.state() != State.APPLIED) {
                lines.add(pad(p.state().word()) + " " + Printable.name(p.step().name()) + "  " + Printable.text(detail(p)));
            }
        }
        return lines;
    }

    private static String detail(StepPreview p) {
        if (p.notSelected() != null && p.state() != State.DRIFTED) {
            return p.notSelected() + ": a run with these options leaves it out";
        }
        return switch (p.state()) {
            case DRIFTED -> "changed since it was applied; a run stops before running anything";
            default -> (p.state() == State.RUNS_ALWAYS ? "runs on every run; " : "") + p.verdict().words()
                    + (p.step().transactional() ? "" : " (no transaction)") + (p.why() == null ? "" : ": " + p.why());
        };
    }

    private static TenantPreview read(Plan plan, StepSelection selection, Tenant tenant, String journalSchema) {
        try (Connection connection = Connections.open(tenant.target())) {
            Plan tenants = dev.mig.run.TenantSchema.onPath(plan.withPlaceholders(tenant.placeholders(), dev.mig.MigRunner.TENANT_SOURCE),
                    tenant.schema());
            if (tenant.schema() != null) {
                dev.mig.run.TenantSchema.setPath(connection, tenants);
            }
            Plan own = SessionPlaceholders.apply(tenants, connection);
            PlanPreview.Previewed previewed = new PlanPreview(own, new Journal(journalSchema, MigVersion.get(), tenant.schema()))
                    .preview(connection, selection);
            return new TenantPreview(tenant, own, previewed.steps(), previewed.selection(), null);
        } catch (MigException e) {
            return new TenantPreview(tenant, plan, List.of(), null, e);
        } catch (SQLException e) {
            return new TenantPreview(tenant, plan, List.of(), null, new MigException(ExitCode.STEP_FAILED,
                    "database error while reading the tenant: " + Redactor.redact(String.valueOf(e.getMessage())),
                    "check the role's privileges on the catalog and on schema " + journalSchema));
        }
    }

    private static String pad(String s) {
        return s.length() >= 15 ? s : s + " ".repeat(15 - s.length());
    }
}
