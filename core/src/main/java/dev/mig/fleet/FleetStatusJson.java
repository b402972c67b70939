package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.journal.Journal;
import dev.mig.lifecycle.PlanStatus;
import dev.mig.model.Plan;
import dev.mig.report.JsonDocument;
import dev.mig.report.StatusJson;
import dev.mig.target.Connections;
import dev.mig.text.Redactor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mig status PLAN --fleet NAME --format json}: the fleet, a count per state and one entry
 * per tenant holding the document {@code mig status --format json} prints for that database alone,
 * or the error that kept it from being read. Each tenant is read as {@code mig status} reads one
 * database: read-only, no lock, one connection; at most {@code parallel} at once.
 */
public final class FleetStatusJson {

    /** The states of a tenant, as the text output counts them. */
    static final List<String> STATES = List.of("upToDate", "toRun", "drifted", "unreadable");

    private FleetStatusJson() {
    }

    /** One tenant: its status document, or why it could not be read. */
    private record Read(Tenant tenant, Map<String, Object> status, MigException error) {

        String state() {
            if (error != null) {
                return "unreadable";
            }
            Map<?, ?> counts = (Map<?, ?>) status.get("counts");
            return (Integer) counts.get("drifted") > 0 ? "drifted" : (Integer) counts.get("toRun") > 0 ? "toRun" : "upToDate";
        }

        int exitCode() {
            return error != null ? error.exitCode().code() : (Integer) status.get("exitCode");
        }
    }

    /**
     * @param fleet  the fleet as the text output names it ({@code --fleet}'s name, or the tenant files)
     * @param shard  {@code --shard}'s text, or null
     */
    public static Map<String, Object> document(Plan plan, String fleet, String shard, List<Tenant> tenants, String journalSchema,
                                               int parallel) {
        List<Read> reads = EachTenant.read(tenants, parallel, t -> read(plan, t, journalSchema));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("tenants", tenants.size());
        STATES.forEach(s -> counts.put(s, reads.stream().filter(r -> r.state().equals(s)).count()));
        int exit = reads.stream().mapToInt(Read::exitCode).max().orElse(0);

        Map<String, Object> root = JsonDocument.start("status");
        root.put("fleet", fleet);
        root.put("shard", shard);
        root.put("plan", plan.name());
        root.put("file", plan.location().displayFile());
        root.put("journalSchema", journalSchema);
        root.put("exitCode", exit);
        root.put("counts", counts);
        root.put("tenants", reads.stream().map(FleetStatusJson::entry).toList());
        return root;
    }

    private static Map<String, Object> entry(Read read) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", read.tenant().id());
        m.put("target", read.tenant().target().display());
        m.put("wave", read.tenant().wave());
        m.put("state", read.state());
        m.put("exitCode", read.exitCode());
        m.put("error", read.error() == null ? null : JsonDocument.error("status", read.error()).get("error"));
        m.put("status", read.status());
        return m;
    }

    private static Read read(Plan plan, Tenant tenant, String journalSchema) {
        try (Connection connection = Connections.open(tenant.target())) {
            connection.setReadOnly(true);
            PlanStatus.Reading reading = PlanStatus.read(connection, new Journal(journalSchema, MigVersion.get(), tenant.schema()), plan.name());
            return new Read(tenant, new StatusJson(plan, tenant.target().display(), journalSchema, reading).document(), null);
        } catch (MigException e) {
            return new Read(tenant, null, e);
        } catch (SQLException e) {
            // as the text output: a journal that cannot be read counts as a tenant that cannot be reached
            return new Read(tenant, null, new MigException(ExitCode.CONNECTION_FAILED, "its journal cannot be read: "
                    + Redactor.redact(String.valueOf(e.getMessage())), "check the role's privileges on schema " + journalSchema));
        }
    }
}
