package dev.mig.fleet;

import dev.mig.model.Plan;
import dev.mig.report.JsonDocument;
import dev.mig.report.PlanJson;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mig plan PLAN --fleet NAME --format json}: the groups of tenants a run would treat alike,
 * each with the document {@code mig plan --format json} prints for its first tenant, and one short
 * entry per tenant naming its group, or the error that kept it from being read.
 */
public final class FleetPlanJson {

    private FleetPlanJson() {
    }

    /**
     * @param fleet the fleet as the text output names it
     * @param shard {@code --shard}'s text, or null
     */
    public static Map<String, Object> document(Plan plan, String fleet, String shard, List<FleetPreview.TenantPreview> previews) {
        List<FleetPreview.Group> groups = FleetPreview.groups(previews);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("tenants", previews.size());
        FleetPreview.STATES.forEach(s -> counts.put(s, previews.stream().filter(p -> p.state().equals(s)).count()));
        counts.put("wouldFail", previews.stream().filter(FleetPreview.TenantPreview::wouldFail).count());
        counts.put("groups", groups.size());

        Map<String, Object> root = JsonDocument.start("plan");
        root.put("fleet", fleet);
        root.put("shard", shard);
        root.put("plan", plan.name());
        root.put("file", plan.location().displayFile());
        root.put("exitCode", previews.stream().mapToInt(FleetPreview.TenantPreview::exitCode).max().orElse(0));
        root.put("counts", counts);
        root.put("groups", groups.stream().map(FleetPlanJson::group).toList());
        Map<FleetPreview.TenantPreview, Integer> groupOf = new IdentityHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            for (FleetPreview.TenantPreview member : groups.get(i).members()) {
                groupOf.put(member, i);
            }
        }
        root.put("tenants", previews.stream().map(p -> tenant(p, groupOf.get(p))).toList());
        return root;
    }

    private static Map<String, Object> group(FleetPreview.Group group) {
        FleetPreview.TenantPreview first = group.members().get(0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenants", group.members().stream().map(p -> p.tenant().id()).toList());
        m.put("state", first.state());
        m.put("exitCode", first.exitCode());
        m.put("lines", group.lines());
        m.put("plan", new PlanJson(first.plan(), first.tenant().target().display(), first.steps(), first.selection()).document());
        return m;
    }

    private static Map<String, Object> tenant(FleetPreview.TenantPreview p, Integer group) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.tenant().id());
        m.put("target", p.tenant().target().display());
        m.put("wave", p.tenant().wave());
        m.put("state", p.state());
        m.put("exitCode", p.exitCode());
        m.put("group", group);
        m.put("error", p.error() == null ? null : JsonDocument.error("plan", p.error()).get("error"));
        return m;
    }
}
