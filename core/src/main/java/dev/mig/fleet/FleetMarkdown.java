package dev.mig.fleet;

import dev.mig.api.MigVersion;
import dev.mig.model.Plan;
import dev.mig.report.MarkdownReport;
import dev.mig.report.Printable;
import dev.mig.report.ReportFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code mig run --fleet ... --report md:PATH}: the fleet's run to paste into a pull request or a
 * CI summary: a title with how it ended, the tenants by outcome, the waves, every failed and
 * cancelled tenant with its failure's first line, and why the others did not start.
 */
final class FleetMarkdown {

    /** Tenants not started named in the report; the JSON report has them all. */
    static final int MOST_LISTED = 50;

    private FleetMarkdown() {
    }

    static void write(Path path, Plan plan, String fleet, FleetResult result, List<Waves.Wave> waves) throws IOException {
        ReportFile.write(path, text(plan, fleet, result, waves));
    }

    static String text(Plan plan, String fleet, FleetResult result, List<Waves.Wave> waves) {
        StringBuilder md = new StringBuilder();
        String status = result.interrupted() ? "interrupted" : result.exitCode() == 0 ? "done" : "failed";
        md.append("## mig run `").append(MarkdownReport.code(plan.name())).append("` on fleet `").append(MarkdownReport.code(fleet))
                .append("`: ").append(status).append(" (exit ").append(result.exitCode()).append(")\n\n");
        int n = result.tenants().size();
        md.append("Plan file `").append(MarkdownReport.code(plan.location().displayFile())).append("`, mig ").append(MigVersion.get())
                .append("; ").append(n).append(n == 1 ? " tenant" : " tenants").append(" in ").append(waves.size())
                .append(waves.size() == 1 ? " wave" : " waves").append(String.format(Locale.ROOT, ", %.1f s", result.durationMs() / 1000.0))
                .append(result.interrupted() ? "; interrupted (Ctrl-C): the tenants not started are listed below" : "").append(".\n\n");

        List<TenantResult> succeeded = result.with(TenantResult.Outcome.SUCCEEDED);
        long applied = succeeded.stream().filter(t -> t.applied() > 0).count();
        md.append("| outcome | tenants |\n|---|---:|\n");
        for (TenantResult.Outcome outcome : TenantResult.Outcome.values()) {
            int count = result.with(outcome).size();
            md.append("| ").append(outcome.word()).append(" | ").append(count);
            if (outcome == TenantResult.Outcome.SUCCEEDED && count > 0) {
                md.append(" (").append(applied).append(" applied their steps, ").append(count - applied).append(" already up to date)");
            }
            md.append(" |\n");
        }
        md.append('\n');

        Map<Tenant, String> waveOf = new HashMap<>();
        waves.forEach(w -> w.tenants().forEach(t -> waveOf.put(t, w.name())));
        if (waves.size() > 1) {
            md.append("| wave | tenants | succeeded | failed | cancelled | not started |\n|---|---:|---:|---:|---:|---:|\n");
            Map<Tenant, TenantResult> byTenant = result.tenants().stream().collect(Collectors.toMap(TenantResult::tenant, t -> t));
            for (Waves.Wave wave : waves) {
                md.append("| ").append(MarkdownReport.cell(wave.name())).append(" | ").append(wave.tenants().size());
                for (TenantResult.Outcome outcome : TenantResult.Outcome.values()) {
                    md.append(" | ").append(wave.tenants().stream().filter(t -> byTenant.get(t).outcome() == outcome).count());
                }
                md.append(" |\n");
            }
            md.append('\n');
        }

        List<TenantResult> failed = result.with(TenantResult.Outcome.FAILED);
        if (!failed.isEmpty()) {
            md.append("### Failures\n\n| tenant | wave | exit | failure |\n|---|---|---:|---|\n");
            for (TenantResult t : failed) {
                md.append("| ").append(MarkdownReport.cell(Printable.name(t.tenant().id()))).append(" | ")
                        .append(MarkdownReport.cell(waveOf.get(t.tenant()))).append(" | ").append(t.exitCode()).append(" | ")
                        .append(MarkdownReport.cell(t.failure())).append(" |\n");
            }
            md.append('\n');
        }
        List<TenantResult> cancelled = result.with(TenantResult.Outcome.CANCELLED);
        if (!cancelled.isEmpty()) {
            md.append("### Cancelled\n\nCancelled while they ran (a second Ctrl-C); the same command again continues them.\n\n")
                    .append("| tenant | wave | where |\n|---|---|---|\n");
            for (TenantResult t : cancelled) {
                md.append("| ").append(MarkdownReport.cell(Printable.name(t.tenant().id()))).append(" | ")
                        .append(MarkdownReport.cell(waveOf.get(t.tenant()))).append(" | ")
                        .append(MarkdownReport.cell(t.cancelledWhere())).append(" |\n");
            }
            md.append('\n');
        }
        List<TenantResult> notStarted = result.with(TenantResult.Outcome.NOT_STARTED);
        if (!notStarted.isEmpty()) {
            String why = notStarted.stream().map(TenantResult::notStarted).distinct().collect(Collectors.joining("; "));
            md.append("### Not started\n\n").append(notStarted.size()).append(notStarted.size() == 1 ? " tenant" : " tenants")
                    .append(" (").append(MarkdownReport.cell(why)).append("): ")
                    .append(notStarted.stream().limit(MOST_LISTED).map(t -> MarkdownReport.cell(Printable.name(t.tenant().id())))
                            .collect(Collectors.joining(", ")))
                    .append(notStarted.size() > MOST_LISTED ? " and " + (notStarted.size() - MOST_LISTED) + " more" : "")
                    .append(". Run the same command again to go on.\n");
        }
        return md.toString();
    }
}
