package dev.mig.maven;

import dev.mig.LoadedPlan;
import dev.mig.MigResult;
import dev.mig.MigRunner;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.report.ReportRequest;
import dev.mig.target.Target;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.ArrayList;
import java.util.List;

/** {@code mvn mig:run}: apply the pending steps of the plan, as {@code mig run}. */
@Mojo(name = "run", requiresProject = false, threadSafe = true)
public class RunMojo extends AbstractMigMojo {

    /** Run only the steps with one of these tags ({@code -Dmig.tags=a,b}). */
    @Parameter(property = "mig.tags")
    List<String> tags;

    /** Stop after this step. */
    @Parameter(property = "mig.until")
    String until;

    /** Leave out the steps with one of these tags ({@code -Dmig.skipTags=a,b}). */
    @Parameter(property = "mig.skipTags")
    List<String> skipTags;

    /** Also run the pending steps the selected ones require (default); false: such a step fails, as before. */
    @Parameter(property = "mig.withRequires", defaultValue = "true")
    boolean withRequires = true;

    /** After a failed step, still try every later step whose requires did not fail. */
    @Parameter(property = "mig.keepGoing", defaultValue = "false")
    boolean keepGoing;

    /** Run in one transaction and roll it back, the journal included. */
    @Parameter(property = "mig.dryRun", defaultValue = "false")
    boolean dryRun;

    /** Record changed applied steps as applied with their new text, without running them. */
    @Parameter(property = "mig.acceptDrift", defaultValue = "false")
    boolean acceptDrift;

    /** Reports, as {@code mig run --report}: json:PATH, junit:PATH, md:PATH ({@code -Dmig.reports=json:a.json,junit:b.xml}). */
    @Parameter(property = "mig.reports")
    List<String> reports = new ArrayList<>();

    @Override
    String goal() {
        return "run";
    }

    @Override
    void migExecute() throws MojoExecutionException, MojoFailureException {
        List<ReportRequest> requests = (reports == null ? List.<String>of() : reports).stream().map(ReportRequest::parse).toList();
        // before the plan's code runs and before connecting, as mig run does
        requests.forEach(ReportRequest::check);
        LoadedPlan loaded = loadPlan(false);
        MigRunner runner = runner(loaded).until(until).keepGoing(keepGoing).dryRun(dryRun).acceptDrift(acceptDrift)
                .withRequires(withRequires).printTo(console());
        if (tags != null && !tags.isEmpty()) {
            runner.tags(tags.toArray(String[]::new));
        }
        if (skipTags != null && !skipTags.isEmpty()) {
            runner.skipTags(skipTags.toArray(String[]::new));
        }
        Target target = requireTarget();
        MigResult result;
        try {
            result = runner.run(target);
        } catch (MigException stopped) {
            MigException reportError = ReportRequest.writeAll(requests, r -> r.writeStopped(loaded.model(), target.display(), stopped));
            if (reportError != null) {
                getLog().error(MojoFailures.of("run", reportError).getMessage());
            }
            throw stopped;
        }
        MigException reportError = ReportRequest.writeAll(requests, r -> r.write(result.details()));
        ExitCode code = result.exitCode();
        if (code != ExitCode.OK) {
            if (reportError != null) {
                getLog().error(MojoFailures.of("run", reportError).getMessage());
            }
            throw fail(code, result);
        }
        if (reportError != null) {
            throw reportError;
        }
    }

    private MojoFailureException fail(ExitCode code, MigResult result) throws MojoExecutionException {
        String failed = result.steps().stream().filter(s -> s.outcome().failed()).map(s -> "'" + s.name() + "'")
                .reduce((a, b) -> a + ", " + b).orElse(null);
        String what = switch (code) {
            case VERIFY_FAILED -> failed == null ? "the plan's verify failed" : "verify of step " + failed + " failed";
            case DRIFT -> failed == null ? "an applied step changed" : "step " + failed + " changed since it was applied (drift)";
            default -> failed == null ? "the run failed" : (failed.contains(",") ? "steps " : "step ") + failed + " failed";
        };
        Exception e = MojoFailures.of(code, "mig run: " + what + " " + MojoFailures.exit(code)
                + "\n" + result.failureSummary().stripTrailing(), null);
        if (e instanceof MojoFailureException f) {
            return f;
        }
        throw (MojoExecutionException) e;
    }
}
