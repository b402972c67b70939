package dev.mig.report;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.SourceLocation;
import dev.mig.model.Plan;
import dev.mig.run.RunResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** One {@code --report KIND:PATH}: which kind of report, and where it goes. */
public record ReportRequest(Kind kind, Path path) {

    /** The kinds of report, by the word {@code --report} takes. */
    public enum Kind {
        JSON, JUNIT, MD;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static String words() {
            return Arrays.stream(values()).map(Kind::word).collect(Collectors.joining(", "));
        }
    }

    /** {@code json:out.json}; an unknown kind or a missing path is a usage error (exit 2) naming the kinds. */
    public static ReportRequest parse(String text) {
        int colon = text.indexOf(':');
        String word = colon < 0 ? text : text.substring(0, colon);
        String path = colon < 0 ? "" : text.substring(colon + 1);
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.word().equals(word)).findFirst().orElse(null);
        if (kind == null) {
            throw new MigException(ExitCode.PLAN_ERROR, "--report '" + text + "': unknown kind '" + word
                    + "'; the kinds are " + Kind.words(),
                    "write KIND:PATH, for example --report json:out.json --report junit:out.xml --report md:summary.md");
        }
        if (path.isBlank()) {
            throw new MigException(ExitCode.PLAN_ERROR, "--report '" + text + "' names no file",
                    "write KIND:PATH, for example --report " + kind.word() + ":out." + (kind == Kind.JUNIT ? "xml" : kind.word()));
        }
        return new ReportRequest(kind, Path.of(path));
    }

    /** Writes the report of a run that went through its steps. */
    public void write(RunResult result) throws IOException {
        switch (kind) {
            case JSON -> JsonReport.write(path, result);
            case JUNIT -> JUnitReport.write(path, result);
            case MD -> MarkdownReport.write(path, result);
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** Writes the report of a run stopped before its steps (drift, lock, connection). */
    public void writeStopped(Plan plan, String target, MigException error) throws IOException {
        switch (kind) {
            case JSON -> JsonReport.writeError(path, plan, target, error);
            case JUNIT -> JUnitReport.writeStopped(path, plan, target, error);
            case MD -> MarkdownReport.writeStopped(path, plan, target, error);
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** The lines a stopped run's report gives: the message (passwords redacted), where, and the hint. */
    static String stoppedText(MigException error) {
        StringBuilder s = new StringBuilder(dev.mig.target.Redactor.redact(String.valueOf(error.getMessage())));
        SourceLocation at = error.location();
        if (at != null) {
            s.append("\nAt: ").append(at);
        }
        if (error.hint() != null) {
            s.append("\nHint: ").append(dev.mig.target.Redactor.redact(error.hint()));
        }
        return s.toString();
    }
}
