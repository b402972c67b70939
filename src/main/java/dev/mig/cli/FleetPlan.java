package dev.mig.cli;

import dev.mig.fleet.FleetPlanJson;
import dev.mig.fleet.FleetPreview;
import dev.mig.fleet.FleetPreview.TenantPreview;
import dev.mig.fleet.Shard;
import dev.mig.fleet.Tenant;
import dev.mig.model.Plan;
import dev.mig.report.JsonDocument;
import dev.mig.report.Printable;
import dev.mig.run.StepSelection;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code mig plan PLAN --fleet NAME}: each tenant previewed as {@code mig plan} previews one
 * database, and the tenants a run would treat alike printed as one group: its tenants, then a
 * line per step a run would do something with. Unreadable tenants are listed one by one.
 */
final class FleetPlan {

    private final CliContext context;
    private final OutputOptions output;
    private final boolean json;

    FleetPlan(CliContext context, OutputOptions output, boolean json) {
        this.context = context;
        this.output = output;
        this.json = json;
    }

    int show(Plan plan, StepSelection selection, String name, List<Tenant> all, String shardText, Integer parallel,
             String journalSchema) {
        Shard shard = FleetCommands.shard(shardText);
        List<Tenant> tenants = FleetCommands.inShard(all, shard);
        List<TenantPreview> previews = FleetPreview.read(plan, selection, tenants, journalSchema,
                parallel == null ? FleetOptions.DEFAULT_PARALLEL : parallel);
        if (json) {
            Map<String, Object> document = FleetPlanJson.document(plan, name, shardText == null ? null : shard.toString(), previews);
            JsonDocument.print(context.out(), document);
            return (Integer) document.get("exitCode");
        }
        PrintStream out = context.out();
        out.println(FleetCommands.head(name, tenants.size(), shard, all.size()) + ", plan '" + Printable.name(plan.name()) + "' ("
                + plan.location().displayFile() + "), " + plan.steps().size() + (plan.steps().size() == 1 ? " step" : " steps")
                + ": what a run would do on each tenant; nothing is changed, and every guard is asked of each tenant as it is now");
        for (FleetPreview.Group group : FleetPreview.groups(previews)) {
            if (output.quiet && group.members().get(0).state().equals("upToDate")) {
                continue;
            }
            out.println();
            out.println(FleetCommands.count(group.members().size()) + ": " + PlanCommand.summary(group.steps()));
            out.println("  " + FleetCommands.ids(group.members().stream().map(TenantPreview::tenant).toList(), output.verbose));
            group.lines().forEach(line -> out.println("  " + line));
        }
        List<TenantPreview> unreadable = previews.stream().filter(p -> p.error() != null).toList();
        if (!unreadable.isEmpty()) {
            out.println();
            out.println("cannot be read: " + FleetCommands.count(unreadable.size()));
            for (TenantPreview p : unreadable) {
                out.println("  " + p.tenant().id() + ": (exit " + p.exitCode() + ") " + firstLine(p.error().getMessage()));
            }
        }
        int code = previews.stream().mapToInt(TenantPreview::exitCode).max().orElse(0);
        long failing = previews.stream().filter(TenantPreview::wouldFail).count();
        out.println();
        out.println("fleet: " + states(previews, "upToDate") + " up to date, " + states(previews, "toRun") + " with steps to run, "
                + states(previews, "drifted") + " drifted, " + states(previews, "unreadable") + " unreadable"
                + (failing == 0 ? "" : "; " + FleetCommands.count((int) failing) + " with a step that would fail")
                + (code == 0 ? "" : " (exit " + code + ")"));
        out.flush();
        return code;
    }

    private static long states(List<TenantPreview> previews, String state) {
        return previews.stream().filter(p -> p.state().equals(state)).count();
    }

    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        return dev.mig.text.Redactor.redact(nl < 0 ? t : t.substring(0, nl).strip());
    }
}
