package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.fleet.FleetStatusJson;
import dev.mig.fleet.Shard;
import dev.mig.fleet.Tenant;
import dev.mig.model.Plan;
import dev.mig.report.JsonDocument;
import dev.mig.text.DidYouMean;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code status}, {@code plan}, {@code undo}, {@code rehearse} and {@code lint} share when
 * given a fleet (docs/DSL.md, "Fleets"): its name in messages, the checks of options that do not
 * go with it, the tenants of a shard, and the tenant {@code rehearse} takes.
 */
final class FleetCommands {

    /** How many tenant ids a line lists before "and N more" (-v lists them all). */
    static final int IDS_SHOWN = 20;

    private FleetCommands() {
    }

    static boolean given(String fleet, List<Path> files) {
        return fleet != null || !files.isEmpty();
    }

    /** The fleet as messages name it: {@code --fleet}'s name, else the tenant files. */
    static String name(String fleet, List<Path> files) {
        return fleet != null ? fleet : files.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** {@code --url} names one database, a fleet many: exit 2 (an environment's url is left aside, as for mig run). */
    static void refuseUrl(CommonOptions common) {
        if (common.url != null && common.urlSource.equals("--url")) {
            throw new MigException(ExitCode.PLAN_ERROR, "--url and a fleet both name targets: give one",
                    "drop --url to use the fleet's tenants, or drop --fleet / --fleet-file to use one database");
        }
    }

    /** An option that only means something with a fleet, used without one: exit 2. */
    static void refuseStray(String option) {
        if (option != null) {
            throw new MigException(ExitCode.PLAN_ERROR, option + " is for a fleet, and no fleet was given",
                    "add --fleet NAME (a fleet of mig.groovy) or --fleet-file PATH");
        }
    }

    static Shard shard(String text) {
        return text == null ? Shard.ALL : Shard.parse(text);
    }

    static List<Tenant> inShard(List<Tenant> all, Shard shard) {
        return all.stream().filter(t -> shard.contains(t.id())).toList();
    }

    /** {@code fleet customers: 5 tenants} and, with --shard, {@code (shard 0/3 of 12 tenants)}. */
    static String head(String name, int selected, Shard shard, int all) {
        return "fleet " + name + ": " + count(selected) + (shard.count() > 1 ? " (shard " + shard + " of " + count(all) + ")" : "");
    }

    static String count(int n) {
        return n + (n == 1 ? " tenant" : " tenants");
    }

    /** {@code acme, globex, initech}, the first {@link #IDS_SHOWN} then {@code and 480 more (-v lists them all)} unless {@code all}. */
    static String ids(List<Tenant> tenants, boolean all) {
        int shown = all ? tenants.size() : Math.min(IDS_SHOWN, tenants.size());
        String ids = tenants.stream().limit(shown).map(Tenant::id).collect(Collectors.joining(", "));
        return shown == tenants.size() ? ids : ids + " and " + (tenants.size() - shown) + " more (-v lists them all)";
    }

    /** {@code mig status PLAN --fleet NAME --format json}: prints the document, returns its exit code. */
    static int statusJson(CliContext context, Plan plan, String name, String shardText, List<Tenant> all, Integer parallel,
                          String journalSchema) {
        Shard shard = shard(shardText);
        Map<String, Object> document = FleetStatusJson.document(plan, name, shardText == null ? null : shard.toString(),
                inShard(all, shard), journalSchema, parallel == null ? FleetOptions.DEFAULT_PARALLEL : parallel);
        JsonDocument.print(context.out(), document);
        return (Integer) document.get("exitCode");
    }

    /**
     * The tenant {@code mig rehearse --fleet} rehearses on: {@code --tenant ID}'s, else the fleet's
     * first (its canary, when the fleet is run with --canary 1).
     */
    static Tenant rehearsed(List<Tenant> tenants, String id) {
        if (id == null) {
            return tenants.get(0);
        }
        List<String> ids = tenants.stream().map(Tenant::id).toList();
        return tenants.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new MigException(ExitCode.PLAN_ERROR, "--tenant '" + id + "': the fleet has no tenant with this id",
                        DidYouMean.suggest(id, ids).map(s -> "did you mean '" + s + "'? ").orElse("")
                                + "mig status PLAN --fleet ... lists its tenants"));
    }
}
