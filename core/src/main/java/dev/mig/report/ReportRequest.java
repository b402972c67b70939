package dev.mig.report;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.SourceLocation;
import dev.mig.model.Plan;
import dev.mig.result.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /**
     * Checks, before anything runs, that the report can be written: the path is not a folder, and
     * its folder exists or can be created, and is writable. A usage error (exit 2) naming the option.
     */
    public void check() {
        Path absolute = path.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw unusable("is a folder", "name a file in it, for example --report " + kind.word() + ":" + path.resolve("report." + extension()));
        }
        Path folder = absolute.getParent();
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw unusable("cannot be created: " + existing + " is a file, not a folder", "name a path in a folder");
        }
        if (!Files.isWritable(existing)) {
            throw unusable(existing.equals(folder) ? "is in a folder mig may not write to (" + existing + ")"
                    : "needs folder " + folder + ", which cannot be created: " + existing + " is not writable",
                    "name a path in a folder you can write to");
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw unusable("exists and is read-only", "remove it or name another file");
        }
    }

    private MigException unusable(String what, String hint) {
        return new MigException(ExitCode.PLAN_ERROR, "--report " + kind.word() + ":" + path + ": " + path + " " + what
                + "; nothing was run", hint);
    }

    private String extension() {
        return kind == Kind.JUNIT ? "xml" : kind.word();
    }

    /** Writes one report; {@link #writeAll} tries each. */
    @FunctionalInterface
    public interface Writer {
        void write(ReportRequest report) throws IOException;
    }

    /**
     * Writes every report (one that fails does not keep the others from being written); the ones
     * that could not be written as one error with exit code 7, or null when all were.
     */
    public static MigException writeAll(List<ReportRequest> reports, Writer writer) {
        List<String> failed = new ArrayList<>();
        for (ReportRequest report : reports) {
            try {
                writer.write(report);
            } catch (IOException | RuntimeException e) {
                failed.add(report.kind.word() + ":" + report.path + " (" + describe(e) + ")");
            }
        }
        if (failed.isEmpty()) {
            return null;
        }
        return new MigException(ExitCode.REPORT_FAILED, "cannot write report " + String.join(", ", failed)
                + "; any earlier file at that path is unchanged",
                "check that the folder exists, is writable and the disk has room; exit 7 says a report is missing");
    }

    /** Java's file errors say only the path; say what went wrong with it. */
    private static String describe(Exception e) {
        String kind = e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way: "
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or folder: "
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied: "
                : e instanceof java.nio.file.NotDirectoryException ? "not a folder: " : "";
        return kind + e.getMessage();
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
        StringBuilder s = new StringBuilder(dev.mig.text.Redactor.redact(String.valueOf(error.getMessage())));
        SourceLocation at = error.location();
        if (at != null) {
            s.append("\nAt: ").append(at);
        }
        if (error.hint() != null) {
            s.append("\nHint: ").append(dev.mig.text.Redactor.redact(error.hint()));
        }
        return s.toString();
    }
}
