package dev.mig.run;

import dev.mig.result.VerifyFailure;
import dev.mig.result.StepFailure;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import dev.mig.model.Step;
import groovy.json.JsonOutput;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The mutable state of one attempt at a step (or its undo) while it runs. */
final class Attempt {

    final Step step;
    final long startNanos = System.nanoTime();
    final OffsetDateTime started = OffsetDateTime.now();
    final List<String> notices = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> cleanupReport = new ArrayList<>();
    /** What was cleared of an earlier attempt before this one (a step without a transaction). */
    final List<String> repairs = new ArrayList<>();
    final List<Map<String, Object>> guardEvidence = new ArrayList<>();
    String reason;
    String sqlState;
    /** Set when the attempt failed with an error worth another attempt. */
    StepFailure retryable;

    Attempt(Step step) {
        this.step = step;
    }

    long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The server's notices for the history, after the repairs mig made first, if any. */
    String noticesText() {
        List<String> lines = new ArrayList<>(repairs);
        lines.addAll(notices);
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    /** What the guards read and answered, as the journal keeps it; null when the step has none. */
    String evidenceJson() {
        return guardEvidence.isEmpty() ? null : JsonOutput.toJson(guardEvidence);
    }

    /** The one place an attempt becomes a result. */
    StepResult result(StepOutcome outcome, String why, StepFailure failure, List<VerifyFailure> verifyFailures) {
        return new StepResult(step, outcome, elapsedMs(), why, notices, warnings, cleanupReport, verifyFailures, failure,
                guardEvidence).withRepairs(repairs);
    }
}
