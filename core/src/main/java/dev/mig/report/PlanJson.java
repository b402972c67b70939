package dev.mig.report;

import dev.mig.api.ExitCode;
import dev.mig.api.SourceLocation;
import dev.mig.journal.JournalEntry;
import dev.mig.lifecycle.PlanPreview;
import dev.mig.lifecycle.PlanPreview.GuardAnswer;
import dev.mig.lifecycle.PlanPreview.StepPreview;
import dev.mig.lifecycle.PlanPreview.Verdict;
import dev.mig.model.Action;
import dev.mig.model.Plan;
import dev.mig.model.PlannedStatement;
import dev.mig.model.ResolvedSettings;
import dev.mig.model.Step;
import dev.mig.result.SelectedSteps;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code mig plan --format json}: what {@code mig plan} shows, as one document: each step's state,
 * its verdict (would run, be skipped, fail) and why, its guards' answers, its transaction mode and
 * the statements it would run. The schema is in docs/DSL.md section 13, "mig plan --format json".
 */
public final class PlanJson {

    private final Plan plan;
    private final String target;
    private final List<StepPreview> previews;
    private final SelectedSteps selection;

    /**
     * @param target    the target as shown ({@code postgresql://user@host:port/db})
     * @param selection the steps a run with the same selection options would take
     */
    public PlanJson(Plan plan, String target, List<StepPreview> previews, SelectedSteps selection) {
        this.plan = plan;
        this.target = target;
        this.previews = previews;
        this.selection = selection;
    }

    /** Prints the document; returns the exit code of the text output (5 when a step drifted). */
    public int print(PrintStream out) {
        Map<String, Object> root = document();
        JsonDocument.print(out, root);
        return (Integer) root.get("exitCode");
    }

    /** The document {@link #print} prints; its {@code exitCode} is the text output's (5 when a step drifted). */
    public Map<String, Object> document() {
        int exit = PlanPreview.anyDrifted(previews) ? ExitCode.DRIFT.code() : ExitCode.OK.code();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("steps", plan.steps().size());
        counts.put("run", count(Verdict.RUN));
        counts.put("skip", count(Verdict.SKIP));
        counts.put("fail", count(Verdict.FAIL));
        counts.put("applied", previews.stream().filter(p -> p.state() == PlanPreview.State.APPLIED).count());
        counts.put("drifted", previews.stream().filter(p -> p.state() == PlanPreview.State.DRIFTED).count());
        counts.put("notSelected", previews.stream().filter(p -> p.notSelected() != null).count());

        Map<String, Object> root = JsonDocument.start("plan");
        root.put("plan", plan.name());
        root.put("file", plan.location().displayFile());
        root.put("target", target);
        root.put("exitCode", exit);
        root.put("runWouldStop", exit == ExitCode.DRIFT.code());
        root.put("selection", JsonReport.selection(selection));
        root.put("counts", counts);
        root.put("steps", previews.stream().map(this::step).toList());
        root.put("planVerifyExpectations", plan.verify().isEmpty() ? 0 : plan.verify().expectations().size());
        return root;
    }

    private long count(Verdict verdict) {
        return previews.stream().filter(p -> p.verdict() == verdict).count();
    }

    private Map<String, Object> step(StepPreview p) {
        Step step = p.step();
        JournalEntry entry = p.entry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", step.name());
        m.put("line", step.location().line());
        m.put("description", step.description());
        m.put("state", word(p.state().name()));
        m.put("selected", p.notSelected() == null);
        m.put("verdict", p.verdict() == null ? null : word(p.verdict().name()));
        m.put("why", p.notSelected() != null ? p.notSelected() : p.why());
        m.put("transactional", step.transactional());
        m.put("locks", locks(plan.settingsFor(step)));
        m.put("runAlways", step.runAlways());
        m.put("requires", step.requires());
        m.put("tags", new TreeSet<>(step.tags()).stream().toList());
        m.put("checksum", step.checksum());
        m.put("appliedAt", entry == null ? null : JsonDocument.timestamp(entry.appliedAt()));
        m.put("appliedBy", entry == null ? null : entry.appliedBy());
        m.put("guards", p.guards().stream().map(PlanJson::guard).toList());
        m.put("guardsNotAsked", p.state().wouldTry() && p.notSelected() == null ? step.guards().size() - p.guards().size() : 0);
        boolean runs = p.verdict() == Verdict.RUN;
        List<Map<String, Object>> statements = new ArrayList<>();
        List<Map<String, Object>> groovy = new ArrayList<>();
        List<Map<String, Object>> ensures = new ArrayList<>();
        if (runs) {
            for (Action action : step.actions()) {
                if (action instanceof Action.Sql sql) {
                    for (PlannedStatement s : PlannedStatement.of(sql)) {
                        Map<String, Object> st = location(s.at());
                        st.put("sql", s.text());
                        statements.add(st);
                    }
                } else if (action instanceof Action.Code code) {
                    groovy.add(location(code.location()));
                } else if (action instanceof Action.Ensure e) {
                    Map<String, Object> en = location(e.location());
                    en.put("ensure", e.describe());
                    ensures.add(en);
                }
            }
        }
        m.put("cleanups", runs ? step.cleanup().size() : 0);
        m.put("statements", statements);
        m.put("groovyBlocks", groovy);
        if (!ensures.isEmpty()) {
            m.put("ensures", ensures);
        }
        m.put("verifyExpectations", runs && !step.verify().isEmpty() ? step.verify().expectations().size() : 0);
        return m;
    }

    /** The lock_timeout a run would set for the step, where it came from, and how lock timeouts are retried. */
    private static Map<String, Object> locks(ResolvedSettings settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lockTimeout", settings.lockTimeout().value());
        m.put("source", settings.lockTimeout().source());
        m.put("schedule", settings.lockRetrySchedule() ? "lock-retry" : null);
        m.put("lockRetryFor", settings.lockRetrySchedule() ? settings.lockRetryFor().value() : null);
        m.put("retries", settings.retries().value());
        return m;
    }

    private static Map<String, Object> guard(GuardAnswer g) {
        Map<String, Object> m = location(g.guard().location());
        m.put("onFalse", g.guard().onFalse().name().toLowerCase(Locale.ROOT));
        m.put("answer", g.answer());
        m.put("error", g.error());
        m.put("message", g.guard().message());
        m.put("read", g.read());
        return m;
    }

    private static Map<String, Object> location(SourceLocation at) {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonDocument.location(m, at);
        return m;
    }

    /** {@code SKIPPED_EARLIER} as {@code skipped_earlier}: enum names in lower case, as the run report's outcomes. */
    private static String word(String constant) {
        return constant.toLowerCase(Locale.ROOT);
    }
}
