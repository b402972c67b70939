package dev.mig.report;

import dev.mig.api.MigVersion;
import dev.mig.api.SourceLocation;
import dev.mig.lint.Finding;
import dev.mig.lint.LintResult;
import dev.mig.lint.Linter;
import dev.mig.model.LintRule;
import dev.mig.model.Plan;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code mig lint} prints: one line per finding and a summary, or ({@code --format json}) one JSON document. */
public final class LintReport {

    private final Plan plan;
    private final String target;
    private final Linter.Thresholds thresholds;
    private final LintResult result;
    private final int exitCode;

    /** @param target the target as shown ({@code postgresql://user@host:port/db}), or null without one */
    public LintReport(Plan plan, String target, Linter.Thresholds thresholds, LintResult result, int exitCode) {
        this.plan = plan;
        this.target = target;
        this.thresholds = thresholds;
        this.result = result;
        this.exitCode = exitCode;
    }

    public void printText(PrintStream out) {
        int steps = plan.steps().size();
        String head = "lint: plan '" + plan.name() + "' (" + plan.location().displayFile() + "), " + steps + " step"
                + (steps == 1 ? "" : "s");
        out.println(target != null
                ? head + ", on " + target + ": sizes are the target's estimates; a table is large from " + thresholds.rows()
                + " rows or " + size(thresholds.bytes())
                : head + ", without a target: a table the plan does not create is taken to hold rows, and "
                + result.notChecked().stream().map(LintRule::ruleName).collect(Collectors.joining(", "))
                + " is not checked (it needs the target's table sizes: --url)");
        for (Finding f : result.reported()) {
            out.println(f.line());
        }
        if (!result.appliedSteps().isEmpty()) {
            int n = result.appliedSteps().size();
            out.println("not linted: " + n + " step" + (n == 1 ? "" : "s") + " applied on the target ("
                    + result.appliedSteps().stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "))
                    + "): a run does not run " + (n == 1 ? "it" : "them") + " again");
        }
        if (!result.groovyBlocks().isEmpty()) {
            out.println("not read: groovy block" + (result.groovyBlocks().size() == 1 ? "" : "s") + " at "
                    + result.groovyBlocks().stream().map(SourceLocation::toString).collect(Collectors.joining(", "))
                    + " (lint reads the statements of sql and sqlFile)");
        }
        out.println(summary());
        out.flush();
    }

    private String summary() {
        List<Finding> reported = result.reported();
        int allowed = result.allowed().size();
        String allowedText = allowed == 0 ? "" : "; " + allowed + (reported.isEmpty() ? "" : " more") + " allowed by lint { allow }";
        int steps = plan.steps().size() - result.appliedSteps().size();
        if (reported.isEmpty()) {
            return "no findings in " + steps + " step" + (steps == 1 ? "" : "s") + allowedText + " (exit " + exitCode + ")";
        }
        long errors = reported.stream().filter(f -> f.severity() == LintRule.Severity.ERROR).count();
        long warnings = reported.size() - errors;
        long inSteps = reported.stream().map(Finding::step).distinct().count();
        List<String> counts = new ArrayList<>();
        if (errors > 0) {
            counts.add(errors + " error" + (errors == 1 ? "" : "s"));
        }
        if (warnings > 0) {
            counts.add(warnings + " warning" + (warnings == 1 ? "" : "s"));
        }
        return reported.size() + " finding" + (reported.size() == 1 ? "" : "s") + " (" + String.join(", ", counts) + ") in "
                + inSteps + " of " + steps + " step" + (steps == 1 ? "" : "s") + allowedText + " (exit " + exitCode + ")";
    }

    /** The JSON document of docs/DSL.md section 13, "mig lint --format json". */
    public void printJson(PrintStream out) {
        Map<String, Object> root = JsonDocument.start("lint");
        root.put("plan", plan.name());
        root.put("file", plan.location().displayFile());
        root.put("target", target);
        root.put("exitCode", exitCode);
        root.put("largeTableRows", thresholds.rows());
        root.put("largeTableBytes", thresholds.bytes());
        root.put("counts", counts());
        root.put("findings", result.reported().stream().map(LintReport::json).toList());
        root.put("allowed", result.allowed().stream().map(LintReport::json).toList());
        root.put("notChecked", result.notChecked().stream().map(LintRule::ruleName).toList());
        root.put("notLinted", result.appliedSteps());
        root.put("groovyBlocks", result.groovyBlocks().stream().map(SourceLocation::toString).toList());
        JsonDocument.print(out, root);
    }

    private Map<String, Object> counts() {
        List<Finding> reported = result.reported();
        long errors = reported.stream().filter(f -> f.severity() == LintRule.Severity.ERROR).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("findings", reported.size());
        m.put("errors", errors);
        m.put("warnings", reported.size() - errors);
        m.put("allowed", result.allowed().size());
        m.put("steps", plan.steps().size());
        m.put("stepsLinted", plan.steps().size() - result.appliedSteps().size());
        m.put("stepsWithFindings", reported.stream().map(Finding::step).distinct().count());
        return m;
    }

    private static Map<String, Object> json(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", f.rule().ruleName());
        m.put("severity", f.severity().word());
        m.put("step", f.step());
        m.put("file", f.at().displayFile());
        m.put("line", f.at().line());
        m.put("statement", f.statement());
        m.put("message", f.message());
        m.put("fix", fix(f.message()));
        m.put("table", f.table());
        m.put("rows", f.rows());
        m.put("bytes", f.bytes());
        return m;
    }

    /**
     * What to write instead: every message says what is risky, then, after the first {@code "; "},
     * the safe way to write it; null for a message without that part.
     */
    static String fix(String message) {
        int at = message.indexOf("; ");
        return at < 0 ? null : message.substring(at + 2);
    }

    /** {@code 100 MB}, {@code 64 kB}, {@code 5000 bytes}: as PostgreSQL writes sizes. */
    static String size(long bytes) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB"};
        long v = bytes;
        int u = 0;
        while (v >= 1024 && v % 1024 == 0 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }
}
