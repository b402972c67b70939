package dev.mig.maven;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.lifecycle.PlanPreview;
import dev.mig.lifecycle.PlanStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

import java.sql.Connection;
import java.sql.SQLException;

/** {@code mvn mig:status}: each step's state in the journal, as {@code mig status}; drift fails the build (exit 5). */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends AbstractMigMojo {

    @Override
    String goal() {
        return "status";
    }

    @Override
    void migExecute() throws MojoExecutionException, MojoFailureException {
        Plan p = loadPlan(false).model();
        Target target = requireTarget();
        PlanStatus.Reading reading;
        try (Connection connection = Connections.open(target)) {
            connection.setReadOnly(true);
            reading = PlanStatus.read(connection, new Journal(journalSchema(), MigVersion.get()), p.name());
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "database error while reading the journal: " + e.getMessage(), null,
                    "check the role's privileges on schema " + journalSchema(), e);
        }
        getLog().info("plan '" + p.name() + "' (" + p.location().displayFile() + ") on " + target.display());
        int drifted = 0;
        int pending = 0;
        for (Step step : p.steps()) {
            JournalEntry entry = reading.entries().get(step.name());
            PlanPreview.State state = PlanPreview.state(step, entry);
            if (state == PlanPreview.State.DRIFTED) {
                drifted++;
            } else if (state.wouldTry()) {
                pending++;
            }
            getLog().info(String.format("  %-15s %s", state.word(), step.name()));
        }
        if (drifted > 0) {
            throw (MojoFailureException) MojoFailures.of(ExitCode.DRIFT, "mig status: " + drifted + " drifted, " + pending
                    + " to run " + MojoFailures.exit(ExitCode.DRIFT), null);
        }
        getLog().info(pending + " step" + (pending == 1 ? "" : "s") + " to run");
    }
}
