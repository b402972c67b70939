package dev.mig.report;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mig.api.MigVersion;
import dev.mig.api.SourceLocation;
import dev.mig.result.Blocker;
import dev.mig.result.Retry;
import dev.mig.result.RunResult;
import dev.mig.result.StepFailure;
import dev.mig.result.StepResult;
import dev.mig.result.VerifyFailure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --report json:PATH}: the run as JSON, written whole or not at all (temp file, then move).
 * Its shape is described by {@code docs/report.schema.json}.
 */
public final class JsonReport {

    /**
     * The version of that shape, raised when a field changes meaning or type. 2: verify failures
     * are objects with subject, expected, found, message, file and line (1, unnumbered: strings).
     */
    static final int SCHEMA_VERSION = 2;

    /** Two-space indent, {@code "key": value}, one array element per line. */
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private JsonReport() {
    }

    public static void write(Path path, RunResult result) throws IOException {
        writeJson(path, document(result));
    }

    /** The report of one run as a JSON tree ({@code mig run --fleet} puts one in each tenant's entry). */
    public static Map<String, Object> document(RunResult result) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("mig", MigVersion.get());
        root.put("plan", result.plan().name());
        root.put("file", result.plan().location().displayFile());
        root.put("target", result.target());
        root.put("exitCode", result.exitCode().code());
        root.put("durationMs", result.durationMs());
        root.put("keepGoing", result.keepGoing());
        root.put("dryRun", result.dryRun());
        // the values the run's SQL used, as the journal's history records them: names that look secret are ***
        root.put("placeholders", result.plan().placeholders().shown());
        root.put("selection", selection(result.selection()));
        List<Object> steps = new ArrayList<>();
        for (StepResult r : result.steps()) {
            steps.add(step(r));
        }
        root.put("steps", steps);
        Map<String, Object> planVerify = new LinkedHashMap<>();
        planVerify.put("expectations", result.planVerify().expectations());
        planVerify.put("checked", result.planVerify().checked());
        planVerify.put("notChecked", result.planVerify().notChecked());
        root.put("planVerify", planVerify);
        root.put("planVerifyFailures", result.planVerifyFailures().stream().map(JsonReport::verifyFailure).toList());
        root.put("hooks", result.hooks().stream().map(JsonReport::hook).toList());
        return root;
    }

    /**
     * The options that chose the run's steps, the steps taken because steps of the run require them
     * ({@code step}, {@code requiredBy}), and the steps {@code --skip-tags} left out; as {@code mig plan --format json}.
     */
    static Map<String, Object> selection(dev.mig.result.SelectedSteps s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tags", List.copyOf(s.tags()));
        m.put("skipTags", List.copyOf(s.skipTags()));
        m.put("until", s.until());
        m.put("withRequires", s.withRequires());
        m.put("required", s.required().entrySet().stream().map(e -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", e.getKey());
            r.put("requiredBy", e.getValue());
            return r;
        }).toList());
        m.put("excluded", s.excluded());
        return m;
    }

    /** A plan-level hook that ran: when, after which step, its line, time, notices, and its error (null when it succeeded). */
    private static Map<String, Object> hook(dev.mig.result.HookResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("when", r.hook().when().word());
        m.put("afterStep", r.afterStep());
        m.put("line", r.hook().location().line());
        m.put("durationMs", r.durationMs());
        m.put("transactional", r.hook().transactional());
        m.put("notices", r.notices());
        m.put("error", r.failed() ? error(r.failure()) : null);
        return m;
    }

    /** A run that stopped before its steps (drift, lock, connection): what it was and why it stopped. */
    public static void writeError(Path path, dev.mig.model.Plan plan, String target, dev.mig.api.MigException error)
            throws IOException {
        writeJson(path, stoppedDocument(plan, target, error));
    }

    /** The report of a run stopped before its steps, as a JSON tree. */
    public static Map<String, Object> stoppedDocument(dev.mig.model.Plan plan, String target, dev.mig.api.MigException error) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("mig", MigVersion.get());
        root.put("plan", plan == null ? null : plan.name());
        root.put("file", plan == null ? null : plan.location().displayFile());
        root.put("target", target);
        root.put("exitCode", error.exitCode().code());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", dev.mig.text.Redactor.redact(error.getMessage()));
        e.put("hint", error.hint());
        e.put("location", error.location() == null ? null : error.location().toString());
        root.put("error", e);
        root.put("steps", List.of());
        return root;
    }

    /** Writes a JSON tree whole or not at all, in the layout of every mig report. */
    public static void writeJson(Path path, Map<String, Object> root) throws IOException {
        ReportFile.write(path, WRITER.writeValueAsString(root) + "\n");
    }

    private static Map<String, Object> retry(Retry r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("retry", r.number());
        m.put("of", r.onSchedule() ? null : r.of());
        m.put("cause", r.cause());
        m.put("sqlState", r.sqlState());
        m.put("message", r.message());
        m.put("location", r.at() == null ? null : r.at().toString());
        m.put("delayMs", r.delayMs());
        m.put("blockers", r.blockers().stream().map(JsonReport::blocker).toList());
        if (r.onSchedule()) {
            m.put("schedule", "lock-retry");
        }
        return m;
    }

    private static Map<String, Object> blocker(Blocker b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", b.pid());
        m.put("user", b.user());
        m.put("application", b.application());
        m.put("client", b.client());
        m.put("state", b.state());
        m.put("stateSeconds", b.stateSeconds());
        m.put("transactionSeconds", b.transactionSeconds());
        m.put("query", b.query());
        return m;
    }

    /** Every key always there, null where the failure has no such part (a verify block that threw has no line). */
    private static Map<String, Object> verifyFailure(VerifyFailure v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", v.subject());
        m.put("expected", v.expected());
        m.put("found", v.found());
        m.put("message", v.message());
        SourceLocation at = v.location();
        m.put("file", at == null || at.file() == null ? null : at.displayFile());
        m.put("line", at == null || at.line() <= 0 ? null : at.line());
        return m;
    }

    private static Map<String, Object> step(StepResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.step().name());
        m.put("line", r.step().location().line());
        m.put("outcome", r.outcome().name().toLowerCase());
        m.put("durationMs", r.durationMs());
        m.put("checksum", r.step().checksum());
        m.put("transactional", r.step().transactional());
        if (r.reason() != null) {
            m.put("reason", r.reason());
        }
        if (!r.blockedBy().isEmpty()) {
            m.put("blockedBy", r.blockedBy());
        }
        if (r.step().insteadOf() != null) {
            m.put("insteadOf", r.step().insteadOf());
        }
        m.put("notices", r.notices());
        m.put("warnings", r.warnings());
        m.put("repairs", r.repairs());
        m.put("cleanup", r.cleanupReport());
        m.put("verifyFailures", r.verifyFailures().stream().map(JsonReport::verifyFailure).toList());
        m.put("guards", r.guardEvidence());
        m.put("retries", r.retries().stream().map(JsonReport::retry).toList());
        if (r.failure() != null) {
            m.put("error", error(r.failure()));
        }
        return m;
    }

    private static Map<String, Object> error(StepFailure f) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", f.message());
        e.put("location", f.location() == null ? null : f.location().toString());
        e.put("statement", f.statement());
        e.put("sqlState", f.sqlState());
        e.put("detail", f.detail());
        e.put("hint", f.hint());
        e.put("migHint", f.migHint());
        e.put("blockers", f.blockers().stream().map(JsonReport::blocker).toList());
        return e;
    }
}
