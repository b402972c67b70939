package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.result.HookResult;
import dev.mig.result.RunResult;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.text.Redactor;

import java.util.Locale;

/**
 * What became of one tenant in a fleet run: its run's result ({@code run}), or the error that
 * stopped its run before its steps ({@code stopped}: connection, lock, drift), or why it was not
 * started ({@code notStarted}). A tenant cancelled while it ran (a second Ctrl-C) keeps what its
 * run gave, the connection lost in its current step.
 *
 * @param exitCode the exit code {@code mig run} would have given on this tenant alone; 0 when not started
 */
public record TenantResult(Tenant tenant, Outcome outcome, int exitCode, long durationMs, RunResult run,
                           MigException stopped, String notStarted) {

    /** The groups of the closing summary. */
    public enum Outcome {
        SUCCEEDED("succeeded"), FAILED("failed"), CANCELLED("cancelled"), NOT_STARTED("not started");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public static TenantResult ran(Tenant tenant, RunResult run, long durationMs) {
        ExitCode code = run.exitCode();
        return new TenantResult(tenant, code == ExitCode.OK ? Outcome.SUCCEEDED : Outcome.FAILED, code.code(), durationMs, run, null, null);
    }

    public static TenantResult stopped(Tenant tenant, MigException error, long durationMs) {
        return new TenantResult(tenant, Outcome.FAILED, error.exitCode().code(), durationMs, null, error, null);
    }

    public static TenantResult notStarted(Tenant tenant, String reason) {
        return new TenantResult(tenant, Outcome.NOT_STARTED, 0, 0, null, null, reason);
    }

    /** {@code ran}, cancelled while it ran: exit 1, whatever its run says of the connection it lost. */
    public static TenantResult cancelled(TenantResult ran) {
        return new TenantResult(ran.tenant, Outcome.CANCELLED, ExitCode.STEP_FAILED.code(), ran.durationMs, ran.run, ran.stopped, null);
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }

    /** The steps this run applied (0 for a tenant that was up to date, failed before its steps, or did not start). */
    public long applied() {
        return run == null ? 0 : run.count(StepOutcome.APPLIED);
    }

    /** The first failure's first line, passwords redacted: {@code at step 'x': relation "t" does not exist}; null when none. */
    public String failure() {
        if (stopped != null) {
            return "(exit " + exitCode + ") " + firstLine(stopped.getMessage());
        }
        if (run == null) {
            return null;
        }
        for (StepResult step : run.steps()) {
            if (step.outcome().failed()) {
                String what = step.failure() != null ? step.failure().message()
                        : step.verifyFailures().isEmpty() ? step.outcome().word() : "verify: " + step.verifyFailures().get(0).text();
                return "at step '" + step.name() + "': " + firstLine(what);
            }
        }
        if (!run.planVerifyFailures().isEmpty()) {
            return "in the plan-level verify: " + firstLine(run.planVerifyFailures().get(0).text());
        }
        for (HookResult hook : run.hooks()) {
            if (hook.failed()) {
                return "in hook " + hook.label() + ": " + firstLine(hook.failure().message());
            }
        }
        return null;
    }

    /** The line printed when the tenant finishes: {@code tenant a: applied 3 steps (0.4 s)}. */
    public String line() {
        String head = "tenant " + tenant.id() + ": ";
        return switch (outcome) {
            case SUCCEEDED -> head + (applied() == 0 ? "up to date, nothing to apply" : "applied " + applied()
                    + (applied() == 1 ? " step" : " steps")) + " (" + seconds(durationMs) + ")";
            case FAILED -> head + (run != null && run.exitCode() == ExitCode.VERIFY_FAILED ? "VERIFY FAILED " : "FAILED ")
                    + failure() + " (" + seconds(durationMs) + ")";
            case CANCELLED -> head + cancelledWhere() + " (" + seconds(durationMs) + ")";
            case NOT_STARTED -> head + "not started: " + notStarted;
        };
    }

    /**
     * {@code cancelled in step 'b': rolled back}; for a step without a transaction {@code cancelled in step 'b'
     * (no transaction: its statements before the cancelled one stay)}; {@code cancelled before its steps}.
     */
    public String cancelledWhere() {
        StepResult step = run == null ? null : run.steps().stream().filter(s -> s.outcome().failed()).findFirst().orElse(null);
        if (step == null) {
            return "cancelled " + (run == null ? "before its steps" : "between steps");
        }
        return "cancelled in step '" + step.name() + "'" + (step.step().transactional() ? ": rolled back"
                : " (no transaction: its statements before the cancelled one stay)");
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        return Redactor.redact(nl < 0 ? t : t.substring(0, nl).strip());
    }
}
