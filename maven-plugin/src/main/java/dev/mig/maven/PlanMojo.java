package dev.mig.maven;

import dev.mig.LoadedPlan;
import dev.mig.MigRunner;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.journal.Journal;
import dev.mig.lifecycle.PlanPreview;
import dev.mig.lifecycle.PlanPreview.StepPreview;
import dev.mig.model.Plan;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@code mvn mig:plan}: what a run would do, asked of the database without changing it, as {@code mig plan}. */
@Mojo(name = "plan", requiresProject = false, threadSafe = true)
public class PlanMojo extends AbstractMigMojo {

    /** As a run with these tags would. */
    @Parameter(property = "mig.tags")
    List<String> tags;

    /** As a run that stops after this step would. */
    @Parameter(property = "mig.until")
    String until;

    /** As a run that leaves out the steps with one of these tags would. */
    @Parameter(property = "mig.skipTags")
    List<String> skipTags;

    /** As a run that takes the pending steps the selected ones require would (the default), or not. */
    @Parameter(property = "mig.withRequires", defaultValue = "true")
    boolean withRequires = true;

    @Override
    String goal() {
        return "plan";
    }

    @Override
    void migExecute() throws MojoExecutionException, MojoFailureException {
        LoadedPlan loaded = loadPlan(false);
        Plan p = loaded.model();
        // checked as mig run checks them: an unknown tag or step is exit 2
        MigRunner runner = loaded.runner().until(until).withRequires(withRequires);
        if (tags != null && !tags.isEmpty()) {
            runner.tags(tags.toArray(String[]::new));
        }
        if (skipTags != null && !skipTags.isEmpty()) {
            runner.skipTags(skipTags.toArray(String[]::new));
        }
        Target target = requireTarget();
        List<StepPreview> previews;
        try (Connection connection = Connections.open(target)) {
            previews = new PlanPreview(p, new Journal(journalSchema(), MigVersion.get()))
                    .preview(connection, runner.options().selection()).steps();
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "database error while reading the target: " + e.getMessage(), null,
                    "check the role's privileges on the catalog and on schema " + journalSchema(), e);
        }
        getLog().info("plan '" + p.name() + "' (" + p.location().displayFile() + ") on " + target.display()
                + ": what a run would do; nothing is changed");
        for (StepPreview preview : previews) {
            String why = preview.notSelected() != null ? "not selected: " + preview.notSelected()
                    : preview.verdict() == null ? "" : preview.verdict().words();
            getLog().info(String.format("  %-15s %s%s", preview.state().word(), preview.step().name(), why.isEmpty() ? "" : "  (" + why + ")"));
        }
        if (PlanPreview.anyDrifted(previews)) {
            throw (MojoFailureException) MojoFailures.of(ExitCode.DRIFT, "mig plan: an applied step changed since it was applied "
                    + MojoFailures.exit(ExitCode.DRIFT), null);
        }
    }
}
