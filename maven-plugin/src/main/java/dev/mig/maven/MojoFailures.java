package dev.mig.maven;

import dev.mig.api.ExitCode;
import dev.mig.api.InvalidPlanException;
import dev.mig.api.MigException;
import dev.mig.text.Redactor;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * mig's exit codes as Maven's two exceptions. Maven's convention: a MojoFailureException is an
 * expected problem in what the build checks (like a compile error or a failing test: "BUILD
 * FAILURE"), a MojoExecutionException one the build could not get past (the environment, the
 * plugin's configuration: "BUILD ERROR"). So a failed step, a plan error, a failed verify, drift
 * and lint findings (exits 1, 2, 3, 5, lint's 1) fail the build; an unreachable database, a held
 * lock, an unwritable report and a bad parameter (exits 6, 4, 7, usage) are execution errors.
 * Every message is redacted: a password in a URL never reaches the log.
 */
final class MojoFailures {

    private MojoFailures() {
    }

    /** "a step failed", the meaning of an exit code as docs/DSL.md section 9 documents it. */
    static String meaning(ExitCode code) {
        return switch (code) {
            case OK -> "success";
            case STEP_FAILED -> "a step failed";
            case PLAN_ERROR -> "the plan or the command is invalid";
            case VERIFY_FAILED -> "a verify failed";
            case LOCK_NOT_ACQUIRED -> "the plan lock was not acquired";
            case DRIFT -> "an applied step changed (drift)";
            case CONNECTION_FAILED -> "the database cannot be reached";
            case REPORT_FAILED -> "a report could not be written";
        };
    }

    /** "(exit 1: a step failed)". */
    static String exit(ExitCode code) {
        return "(exit " + code.code() + ": " + meaning(code) + ")";
    }

    static boolean isFailure(ExitCode code) {
        return switch (code) {
            case STEP_FAILED, PLAN_ERROR, VERIFY_FAILED, DRIFT -> true;
            default -> false;
        };
    }

    /** The exception Maven is given for {@code text} (already the whole message) with mig's exit code. */
    static Exception of(ExitCode code, String text, Throwable cause) {
        String message = Redactor.redact(text);
        return isFailure(code) ? new MojoFailureException(message, cause) : new MojoExecutionException(message, cause);
    }

    /** A MigException thrown by the API (plan problems, an unreachable target, a bad option) as mig would print it. */
    static Exception of(String goal, MigException e) {
        StringBuilder text = new StringBuilder("mig ").append(goal).append(": ");
        if (e instanceof InvalidPlanException plan) {
            text.append(plan.planProblems().size()).append(plan.planProblems().size() == 1 ? " problem" : " problems")
                    .append(" in the plan; nothing was run ").append(exit(e.exitCode()));
            plan.planProblems().forEach(p -> text.append('\n').append(p));
        } else {
            if (e.location() != null && e.location().file() != null) {
                text.append(e.location()).append(": ");
            }
            text.append(e.getMessage()).append(' ').append(exit(e.exitCode()));
            if (e.hint() != null) {
                text.append("\n    hint: ").append(e.hint());
            }
        }
        return of(e.exitCode(), text.toString(), null);
    }

    /** A wrong plugin parameter: the build cannot run mig at all. */
    static MojoExecutionException usage(String goal, String message, String hint) {
        return new MojoExecutionException(Redactor.redact("mig " + goal + ": " + message + " " + exit(ExitCode.PLAN_ERROR)
                + (hint == null ? "" : "\n    hint: " + hint)));
    }
}
