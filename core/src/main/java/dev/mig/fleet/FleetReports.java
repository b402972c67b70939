package dev.mig.fleet;

import dev.mig.model.Plan;
import dev.mig.report.JUnitReport;
import dev.mig.report.ReportRequest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The reports of {@code mig run --fleet ... --report KIND:PATH}: JSON ({@link FleetJson}), JUnit
 * XML (one {@code <testsuite>} per tenant, as {@code --report junit:} writes for one run) and
 * Markdown ({@link FleetMarkdown}).
 */
public final class FleetReports {

    private FleetReports() {
    }

    public static void write(ReportRequest report, Plan plan, String fleet, FleetResult result, List<Waves.Wave> waves)
            throws IOException {
        switch (report.kind()) {
            case JSON -> FleetJson.write(report.path(), plan, fleet, result);
            case JUNIT -> junit(report.path(), plan, fleet, result);
            case MD -> FleetMarkdown.write(report.path(), plan, fleet, result, waves);
            default -> throw new IllegalStateException(report.kind().toString());
        }
    }

    /**
     * {@code <testsuites name="fleet NAME">}, one {@code <testsuite name="TENANT">} per selected
     * tenant in the fleet's order: its steps as test cases (class name the tenant's id); a run
     * stopped before its steps, one test case {@code run} with an {@code <error>}; a tenant not
     * started, one test case {@code run} skipped with the reason.
     */
    static void junit(Path path, Plan plan, String fleet, FleetResult result) throws IOException {
        List<JUnitReport.Suite> suites = result.tenants().stream().map(t -> suite(plan, t)).toList();
        JUnitReport.writeSuites(path, "fleet " + fleet, suites, result.durationMs());
    }

    private static JUnitReport.Suite suite(Plan plan, TenantResult t) {
        String id = t.tenant().id();
        String target = t.tenant().target().display();
        if (t.run() != null) {
            return new JUnitReport.Ran(id, t.run());
        }
        if (t.stopped() != null) {
            return new JUnitReport.Stopped(id, plan, target, t.stopped());
        }
        return new JUnitReport.NotRun(id, plan, target, t.notStarted());
    }
}
