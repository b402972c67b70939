package dev.mig.fleet;

import dev.mig.api.MigVersion;
import dev.mig.model.Plan;
import dev.mig.report.JsonReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mig run --fleet ... --report json:PATH}: the fleet's outcome and one entry per tenant,
 * whose {@code run} is the JSON report {@code mig run --report json:} writes for that tenant alone
 * (the stopped-run form for a run that stopped before its steps; null for a tenant not started).
 */
public final class FleetJson {

    /** Raised when a field changes meaning or type. */
    static final int SCHEMA_VERSION = 1;

    private FleetJson() {
    }

    public static void write(Path path, Plan plan, String fleet, FleetResult result) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("fleetSchemaVersion", SCHEMA_VERSION);
        root.put("mig", MigVersion.get());
        root.put("plan", plan.name());
        root.put("fleet", fleet);
        root.put("exitCode", result.exitCode());
        root.put("durationMs", result.durationMs());
        root.put("interrupted", result.interrupted());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (TenantResult.Outcome outcome : TenantResult.Outcome.values()) {
            counts.put(key(outcome), result.with(outcome).size());
        }
        root.put("counts", counts);
        List<Object> tenants = result.tenants().stream().<Object>map(t -> tenant(plan, t)).toList();
        root.put("tenants", tenants);
        JsonReport.writeJson(path, root);
    }

    private static String key(TenantResult.Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
            case NOT_STARTED -> "notStarted";
        };
    }

    private static Map<String, Object> tenant(Plan plan, TenantResult t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.tenant().id());
        m.put("target", t.tenant().target().display());
        if (t.tenant().schema() != null) {
            m.put("schema", t.tenant().schema());
        }
        m.put("wave", t.tenant().wave());
        m.put("outcome", key(t.outcome()));
        m.put("exitCode", t.exitCode());
        m.put("durationMs", t.durationMs());
        m.put("applied", t.applied());
        m.put("failure", t.failure());
        m.put("notStarted", t.notStarted());
        m.put("run", t.run() != null ? JsonReport.document(t.run())
                : t.stopped() != null ? JsonReport.stoppedDocument(plan, t.tenant().target().display(), t.stopped()) : null);
        return m;
    }
}
