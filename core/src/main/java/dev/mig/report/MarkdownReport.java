package dev.mig.report;

import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.model.Plan;
import dev.mig.result.RunResult;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --report md:PATH}: a summary of the run to paste into a pull request: a title line with
 * the plan, the target (redacted) and how the run ended, a table of the steps this run did
 * something with, each failure block in a fenced code block, and the totals.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /** {@code done}, {@code failed}, {@code verification failed}, or for a run stopped before its steps {@code stopped}. */
    static String status(RunResult result) {
        return switch (result.exitCode()) {
            case OK -> "done";
            case VERIFY_FAILED -> "verification failed";
            default -> "failed";
        };
    }

    static void write(Path path, RunResult result) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("## mig run `").append(code(result.plan().name())).append("` on `").append(code(result.target()))
                .append("`: ").append(status(result)).append(" (exit ").append(result.exitCode().code()).append(")\n\n");
        md.append("Plan file `").append(code(result.plan().location().displayFile())).append("`, mig ").append(MigVersion.get());
        if (result.dryRun()) {
            md.append(", dry run: rolled back, nothing was changed");
        }
        if (result.keepGoing()) {
            md.append(", --keep-going");
        }
        md.append(".\n\n");
        List<StepResult> rows = result.steps().stream().filter(MarkdownReport::listed).toList();
        if (!rows.isEmpty()) {
            md.append("| step | outcome | time | note |\n|---|---|---:|---|\n");
            for (StepResult r : rows) {
                String note = r.outcome().failed() ? FailureBlock.summary(r) : r.reason() == null ? "" : r.reason();
                if (!r.retries().isEmpty()) {
                    note = (note.isEmpty() ? "" : note + "; ") + "after " + (r.retries().size() + 1) + " attempts";
                }
                if (r.outcome() == StepOutcome.APPLIED && r.step().insteadOf() != null) {
                    note = (note.isEmpty() ? "" : note + "; ") + "instead of '" + Printable.name(r.step().insteadOf()) + "'";
                }
                md.append("| ").append(cell(Printable.name(r.step().name()))).append(" | ").append(r.outcome().word()).append(" | ")
                        .append(r.outcome() == StepOutcome.APPLIED || r.outcome() == StepOutcome.SKIPPED || r.outcome().failed()
                                ? r.durationMs() + " ms" : "")
                        .append(" | ").append(cell(note)).append(" |\n");
            }
            md.append('\n');
        }
        long earlier = result.count(StepOutcome.ALREADY_APPLIED);
        if (earlier > 0) {
            md.append(earlier).append(earlier == 1 ? " step was" : " steps were").append(" applied earlier (not listed).\n\n");
        }
        String planVerify = PlanVerifyLine.of(result);
        if (planVerify != null) {
            md.append(Character.toUpperCase(planVerify.charAt(0))).append(planVerify.substring(1)).append(".\n\n");
        }
        List<StepResult> failed = result.steps().stream().filter(r -> r.outcome().failed()).toList();
        if (!failed.isEmpty() || !result.planVerifyFailures().isEmpty()) {
            md.append("### Failures\n\n");
            for (StepResult r : failed) {
                md.append("**").append(cell(Printable.name(r.step().name()))).append("** (").append(r.outcome().word()).append(")\n\n");
                fenced(md, String.join("\n", FailureBlock.lines(r)));
            }
            if (!result.planVerifyFailures().isEmpty()) {
                md.append("**plan verify**\n\n");
                fenced(md, String.join("\n", FailureBlock.texts(result.planVerifyFailures())));
            }
        }
        md.append("Total: ").append(String.format(Locale.ROOT, "%.1f s", result.durationMs() / 1000.0)).append(", ")
                .append(result.count(StepOutcome.APPLIED)).append(" applied, ")
                .append(result.count(StepOutcome.SKIPPED)).append(" skipped, ")
                .append(earlier).append(" applied earlier, ")
                .append(result.failedCount()).append(" failed, ")
                .append(result.count(StepOutcome.BLOCKED)).append(" blocked, ")
                .append(result.count(StepOutcome.NOT_RUN)).append(" not run.\n");
        ReportFile.write(path, md.toString());
    }

    static void writeStopped(Path path, Plan plan, String target, MigException error) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("## mig run `").append(code(plan == null ? "?" : plan.name())).append("` on `").append(code(target))
                .append("`: stopped (exit ").append(error.exitCode().code()).append(")\n\n");
        md.append("The run stopped (drift, the plan lock, the connection or the journal):\n\n");
        fenced(md, ReportRequest.stoppedText(error));
        ReportFile.write(path, md.toString());
    }

    /** Steps this run did something with; applied earlier is counted, steps outside --tags or --skip-tags left out. */
    private static boolean listed(StepResult r) {
        if (r.outcome() == StepOutcome.ALREADY_APPLIED) {
            return false;
        }
        return !(r.outcome() == StepOutcome.NOT_RUN && dev.mig.result.SelectedSteps.isSelectionReason(r.reason()));
    }

    /** A fence longer than any run of backticks in the text, so the text cannot close it. */
    private static void fenced(StringBuilder md, String text) {
        int longest = 0;
        int run = 0;
        for (char c : text.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        md.append(fence).append('\n').append(Printable.text(text)).append('\n').append(fence).append("\n\n");
    }

    /** Text in a table cell: one line, pipes and Markdown's emphasis and link characters escaped. */
    public static String cell(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char c : Printable.text(s.replace("\r", "").replace("\n", " ")).toCharArray()) {
            if ("\\|*_`[]<>#".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Text inside a code span: backticks cannot be escaped there, so they become a similar quote. */
    public static String code(String s) {
        return s == null ? "" : Printable.name(s.replace('`', '\'').replace("\n", " "));
    }
}
