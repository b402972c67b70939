package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.catalog.Identifiers;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.report.JsonDocument;
import dev.mig.run.PlanLock;
import dev.mig.target.Target;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code mig status --format json}: each step's state as the journal tells it, how an applied
 * step came to be applied (run, baselined, adopted: the journal's history), and whether a run
 * holds the plan's lock now. The schema is in docs/DSL.md section 13, "mig status --format json".
 */
final class StatusJson {

    /** The states of a step in the document; {@code adopted} is an applied step {@code mig import --adopt} recorded. */
    static final List<String> STATES = List.of("pending", "applied", "adopted", "drifted", "skipped", "failed", "interrupted");

    private final Plan plan;
    private final Target target;
    private final Journal journal;

    StatusJson(Plan plan, Target target, Journal journal) {
        this.plan = plan;
        this.target = target;
        this.journal = journal;
    }

    /** Reads the journal, its history and the lock on a read-only connection, prints the document, returns the exit code. */
    int print(Connection connection, PrintStream out) throws SQLException {
        boolean exists = journal.exists(connection);
        Map<String, JournalEntry> entries = exists ? journal.read(connection, plan.name()) : Map.of();
        Map<String, String> origins = exists ? origins(connection) : Map.of();
        Map<String, Object> lock = lock(connection);

        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("steps", plan.steps().size());
        STATES.forEach(s -> counts.put(s, 0));
        List<Map<String, Object>> steps = plan.steps().stream().map(step -> {
            Map<String, Object> m = step(step, entries.get(step.name()), origins.get(step.name()));
            counts.merge((String) m.get("state"), 1, Integer::sum);
            return m;
        }).toList();
        int toRun = counts.get("pending") + counts.get("skipped") + counts.get("failed") + counts.get("interrupted");
        counts.put("toRun", toRun);
        TreeSet<String> notInPlan = new TreeSet<>(entries.keySet());
        plan.steps().forEach(s -> notInPlan.remove(s.name()));
        int exit = counts.get("drifted") > 0 ? ExitCode.DRIFT.code() : ExitCode.OK.code();

        Map<String, Object> root = JsonDocument.start("status");
        root.put("plan", plan.name());
        root.put("file", plan.location().displayFile());
        root.put("target", target.display());
        root.put("journalSchema", journal.schemaName());
        root.put("journalExists", exists);
        root.put("exitCode", exit);
        root.put("lock", lock);
        root.put("counts", counts);
        root.put("steps", steps);
        root.put("notInPlan", List.copyOf(notInPlan));
        JsonDocument.print(out, root);
        return exit;
    }

    private static Map<String, Object> step(Step step, JournalEntry entry, String origin) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", step.name());
        m.put("line", step.location().line());
        m.put("state", state(step, entry, origin));
        boolean applied = entry != null && entry.status() == StepStatus.APPLIED;
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

    /**
     * How each step of the plan came to be applied: the history's last row that applies a step
     * ({@code applied}, {@code baselined} or {@code adopted}); {@code applied} reads as {@code run}.
     */
    private Map<String, String> origins(Connection connection) throws SQLException {
        Map<String, String> origins = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT ON (step) step, outcome FROM "
                + Identifiers.quote(journal.schemaName()) + ".history WHERE plan = ? AND step IS NOT NULL"
                + " AND outcome IN ('applied', 'baselined', 'adopted') ORDER BY step, id DESC")) {
            ps.setString(1, plan.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    origins.put(rs.getString(1), rs.getString(2).equals("applied") ? "run" : rs.getString(2));
                }
            }
        }
        return origins;
    }

    /** Whether a session holds the plan's advisory lock now (a run of this plan is under way), and which. */
    private Map<String, Object> lock(Connection connection) throws SQLException {
        long key = PlanLock.keyFor(journal.schemaName(), plan.name());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("held", false);
        m.put("pid", null);
        m.put("user", null);
        m.put("application", null);
        m.put("since", null);
        try (PreparedStatement ps = connection.prepareStatement("SELECT l.pid, a.usename, a.application_name, a.backend_start"
                + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::bigint = ?"
                + " AND l.objid::bigint = ? AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    m.put("held", true);
                    m.put("pid", rs.getInt(1));
                    m.put("user", rs.getString(2));
                    m.put("application", rs.getString(3));
                    m.put("since", JsonDocument.timestamp(rs.getObject(4, java.time.OffsetDateTime.class)));
                }
            }
        }
        return m;
    }
}
