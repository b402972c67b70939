package dev.mig.maven;

import dev.mig.model.Plan;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** {@code mvn mig:check}: load and validate the plan without a database, as {@code mig check}. */
@Mojo(name = "check", requiresProject = false, threadSafe = true)
public class CheckMojo extends AbstractMigMojo {

    /** Also type-check the plan against the DSL ({@code mig check --strict}). */
    @Parameter(property = "mig.strict", defaultValue = "false")
    boolean strict;

    @Override
    String goal() {
        return "check";
    }

    @Override
    void migExecute() throws MojoExecutionException {
        Plan p = loadPlan(strict).model();
        getLog().info("plan '" + p.name() + "' (" + p.location().displayFile() + "): " + p.steps().size()
                + " step" + (p.steps().size() == 1 ? "" : "s") + ", no problems found" + (strict ? " (strict)" : ""));
    }
}
