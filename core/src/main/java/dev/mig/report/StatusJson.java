package dev.mig.report;

import dev.mig.api.ExitCode;
import dev.mig.journal.BackfillProgress;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.lifecycle.PlanStatus;
import dev.mig.model.BackfillKey;
import dev.mig.model.Plan;
import dev.mig.model.Step;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code mig status --format json}: each step's state as the journal tells it, how an applied
 * step came to be applied (run, baselined, adopted), and whether a run holds the plan's lock now.
 * The schema is in docs/DSL.md section 13, "status, plan and lint as JSON".
 */
public final class StatusJson {

    /** The states of a step in the document; {@code adopted} is an applied step {@code mig import --adopt} recorded. */
    static final List<String> STATES = List.of("pending", "applied", "adopted", "drifted", "skipped", "failed", "interrupted");

    private final Plan plan;
    private final String target;
    private final String journalSchema;
    private final PlanStatus.Reading reading;

    /** @param target the target as shown ({@code postgresql://user@host:port/db}) */
    public StatusJson(Plan plan, String target, String journalSchema, PlanStatus.Reading reading) {
        this.plan = plan;
        this.target = target;
        this.journalSchema = journalSchema;
        this.reading = reading;
    }

    /** Prints the document; returns the exit code of the text output (5 when a step drifted). */
    public int print(PrintStream out) {
        Map<String, Object> root = document();
        JsonDocument.print(out, root);
        return (Integer) root.get("exitCode");
    }

    /** The document {@link #print} prints; its {@code exitCode} is the text output's (5 when a step drifted). */
    public Map<String, Object> document() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("steps", plan.steps().size());
        STATES.forEach(s -> counts.put(s, 0));
        List<Map<String, Object>> steps = plan.steps().stream().map(step -> {
            Map<String, Object> m = step(step, reading.entries().get(step.name()), origin(step.name()));
            m.put("backfill", backfill(reading.backfills().get(step.name())));
            counts.merge((String) m.get("state"), 1, Integer::sum);
            return m;
        }).toList();
        counts.put("toRun", counts.get("pending") + counts.get("skipped") + counts.get("failed") + counts.get("interrupted"));
        TreeSet<String> notInPlan = new TreeSet<>(reading.entries().keySet());
        plan.steps().forEach(s -> notInPlan.remove(s.name()));
        int exit = counts.get("drifted") > 0 ? ExitCode.DRIFT.code() : ExitCode.OK.code();

        Map<String, Object> root = JsonDocument.start("status");
        root.put("plan", plan.name());
        root.put("file", plan.location().displayFile());
        root.put("target", target);
        root.put("journalSchema", journalSchema);
        root.put("journalExists", reading.journalExists());
        root.put("exitCode", exit);
        root.put("lock", lock(reading.lock()));
        root.put("counts", counts);
        root.put("steps", steps);
        root.put("notInPlan", List.copyOf(notInPlan));
        return root;
    }

    /** {@code run}, {@code baselined} or {@code adopted}; null for a step no history row applied. */
    private String origin(String step) {
        String outcome = reading.origins().get(step);
        return outcome == null ? null : outcome.equals("applied") ? "run" : outcome;
    }

    private static Map<String, Object> step(Step step, JournalEntry entry, String origin) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", step.name());
        m.put("line", step.location().line());
        m.put("state", state(step, entry, origin));
        boolean applied = entry != null && entry.status() == StepStatus.APPLIED;
        // a journal older than its history (or written by hand) has no row: applied by a run
        m.put("origin", applied ? (origin == null ? "run" : origin) : null);
        m.put("runAlways", step.runAlways());
        m.put("transactional", step.transactional());
        m.put("tags", new TreeSet<>(step.tags()).stream().toList());
        m.put("checksum", step.checksum());
        m.put("journalChecksum", entry == null ? null : entry.checksum());
        m.put("appliedAt", entry == null ? null : JsonDocument.timestamp(entry.appliedAt()));
        m.put("appliedBy", entry == null ? null : entry.appliedBy());
        m.put("durationMs", entry == null ? null : entry.durationMs());
        m.put("migVersion", entry == null ? null : entry.migVersion());
        return m;
    }

    /** A backfill step's progress row (docs/DSL.md, "Batched backfills"); null for a step without one. */
    private static Map<String, Object> backfill(BackfillProgress.Row row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", row.rows());
        m.put("batches", row.batches());
        m.put("lastKey", BackfillKey.values(row.lastKey()));
        m.put("startedAt", JsonDocument.timestamp(row.startedAt()));
        m.put("lastBatchAt", row.batches() == 0 ? null : JsonDocument.timestamp(row.lastBatchAt()));
        m.put("finishedAt", JsonDocument.timestamp(row.finishedAt()));
        return m;
    }

    /** As the text output, in lower case, with {@code adopted} for an unchanged step {@code mig import --adopt} recorded. */
    static String state(Step step, JournalEntry entry, String origin) {
        if (entry == null) {
            return "pending";
        }
        return switch (entry.status()) {
            case APPLIED -> !step.runAlways() && !entry.checksum().equals(step.checksum()) ? "drifted"
                    : "adopted".equals(origin) ? "adopted" : "applied";
            case SKIPPED -> "skipped";
            case FAILED -> "failed";
            case RUNNING -> "interrupted";
        };
    }

    private static Map<String, Object> lock(PlanStatus.LockHolder holder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("held", holder != null);
        m.put("pid", holder == null ? null : holder.pid());
        m.put("user", holder == null ? null : holder.user());
        m.put("application", holder == null ? null : holder.application());
        m.put("since", holder == null ? null : JsonDocument.timestamp(holder.since()));
        return m;
    }
}
