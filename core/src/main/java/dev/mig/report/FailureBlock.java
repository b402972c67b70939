package dev.mig.report;

import dev.mig.model.Step;
import dev.mig.result.StepFailure;
import dev.mig.result.StepResult;
import dev.mig.result.VerifyFailure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A failed step as the reports print it, the same rows as the console's failure block: Step
 * (plan file:line), At, Statement (with the caret), SQL State, Message, Detail, Hint, mig hint,
 * Effect; for a failed verify, each expectation that failed.
 */
final class FailureBlock {

    private FailureBlock() {
    }

    /** The block's lines, labels padded as on the console; empty for a step that did not fail. */
    static List<String> lines(StepResult r) {
        StepFailure f = r.failure();
        if (f == null && r.verifyFailures().isEmpty()) {
            return List.of();
        }
        List<String[]> rows = rows(r.step(), f);
        if (!r.verifyFailures().isEmpty()) {
            rows.add(new String[]{"Verify", String.join("\n", texts(r.verifyFailures()))});
        }
        if (r.reason() != null && f != null) {
            rows.add(new String[]{"Effect", r.reason()});
        }
        return format(rows);
    }

    /** The console's failure block: the same rows, ending with what became of the step. */
    static List<String> lines(Step step, StepFailure f, String consequence) {
        List<String[]> rows = rows(step, f);
        if (consequence != null) {
            rows.add(new String[]{"Effect", consequence});
        }
        return format(rows);
    }

    /** The failure block of a hook that failed: the same rows, headed by the hook. */
    static List<String> lines(dev.mig.result.HookResult r, String consequence) {
        List<String[]> rows = rows("Hook", r.label() + " (" + r.hook().location() + ")", r.hook().location(), r.failure());
        rows.add(new String[]{"Effect", consequence});
        return format(rows);
    }

    private static List<String[]> rows(Step step, StepFailure f) {
        return rows("Step", "'" + Printable.name(step.name()) + "' (" + step.location() + ")", step.location(), f);
    }

    private static List<String[]> rows(String head, String what, dev.mig.api.SourceLocation at, StepFailure f) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{head, what});
        if (f != null) {
            if (f.location() != null && !f.location().equals(at)) {
                rows.add(new String[]{"At", f.location().toString()});
            }
            if (f.statement() != null) {
                rows.add(new String[]{"Statement", f.caret() != null ? f.caret() : firstLines(f.statement())});
            }
            if (f.sqlState() != null) {
                rows.add(new String[]{"SQL State", f.sqlState()});
            }
            rows.add(new String[]{"Message", String.valueOf(f.message())});
            if (f.detail() != null) {
                rows.add(new String[]{"Detail", f.detail()});
            }
            if (f.hint() != null) {
                rows.add(new String[]{"Hint", f.hint()});
            }
            if (!f.migHint().isEmpty()) {
                rows.add(new String[]{"mig hint", String.join("\n", f.migHint())});
            }
        }
        return rows;
    }

    /** {@code Label:    value}, a value's further lines indented under its first. */
    private static List<String> format(List<String[]> rows) {
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            String[] parts = row[1].split("\n", -1);
            lines.add(pad(row[0] + ":", 11) + parts[0]);
            for (int i = 1; i < parts.length; i++) {
                lines.add(pad("", 11) + parts[i]);
            }
        }
        return lines;
    }

    /** One line: where and what, for a failure's summary ({@code sql/a.sql:3: relation "x" does not exist}). */
    static String summary(StepResult r) {
        StepFailure f = r.failure();
        if (f == null) {
            List<VerifyFailure> v = r.verifyFailures();
            return v.isEmpty() ? "failed" : firstOf(v);
        }
        String message = f.message() == null ? "failed" : f.message().lines().findFirst().orElse("");
        return (f.location() != null ? f.location() + ": " : "") + message;
    }

    /** Each failure's text, as the console prints it. */
    static List<String> texts(List<VerifyFailure> failures) {
        return failures.stream().map(VerifyFailure::text).toList();
    }

    /** The first failure's text, and how many more there are: {@code MESSAGE (FILE:LINE) (and 2 more)}. */
    static String firstOf(List<VerifyFailure> failures) {
        return failures.get(0).text() + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : "");
    }

    private static String firstLines(String statement) {
        String[] lines = statement.split("\n");
        if (lines.length <= 6) {
            return statement;
        }
        return String.join("\n", Arrays.copyOf(lines, 6)) + "\n... (" + (lines.length - 6) + " more lines)";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
