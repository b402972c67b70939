package dev.mig.maven;

import dev.mig.api.ExitCode;
import dev.mig.lint.LintResult;
import dev.mig.lint.Linter;
import dev.mig.lint.TargetFacts;
import dev.mig.model.Plan;
import dev.mig.report.LintReport;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code mvn mig:lint}: the plan's findings, as {@code mig lint --no-target} (from the plan alone,
 * no database); a reported finding fails the build. Default thresholds.
 */
@Mojo(name = "lint", requiresProject = false, threadSafe = true)
public class LintMojo extends AbstractMigMojo {

    @Override
    String goal() {
        return "lint";
    }

    @Override
    void migExecute() throws MojoExecutionException, MojoFailureException {
        Plan p = loadPlan(false).model();
        LintResult result = new Linter(p, TargetFacts.none(), Linter.Thresholds.DEFAULT).lint(Set.of());
        int findings = result.reported().size();
        try (PrintStream out = console()) {
            new LintReport(p, null, Linter.Thresholds.DEFAULT, result, findings == 0 ? 0 : 1).printText(out);
        }
        if (findings > 0) {
            StringBuilder text = new StringBuilder("mig lint: ").append(findings).append(findings == 1 ? " finding" : " findings")
                    .append(" in plan '").append(p.name()).append("' (exit 1: lint findings)");
            result.reported().forEach(f -> text.append("\n").append(f.line()));
            throw (MojoFailureException) MojoFailures.of(ExitCode.STEP_FAILED, text.toString(), null);
        }
    }
}
