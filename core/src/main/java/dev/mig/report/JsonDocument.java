package dev.mig.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.api.SourceLocation;
import dev.mig.plan.PlanException;
import dev.mig.plan.PlanProblem;
import dev.mig.text.Redactor;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code mig status}, {@code mig plan} and {@code mig lint} print with {@code --format json}:
 * one document on stdout, in the conventions of {@code --report json:} ({@link JsonReport}):
 * camelCase keys, every key always there (null when it has no value), {@code durationMs}, plan
 * lines as numbers, and timestamps as ISO-8601 with their offset. See docs/DSL.md section 13.
 */
public final class JsonDocument {

    /**
     * The version of the status, plan and lint documents, raised when a field changes meaning or
     * type (adding a field does not raise it).
     */
    public static final int SCHEMA_VERSION = 1;

    /** Two-space indent, {@code "key": value}, one array element per line, as {@code --report json:}. */
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private JsonDocument() {
    }

    /** The keys every document starts with: schemaVersion, mig, command. */
    public static Map<String, Object> start(String command) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("mig", MigVersion.get());
        root.put("command", command);
        return root;
    }

    /** Prints the document and a newline, then flushes: the only thing the command writes on stdout. */
    public static void print(PrintStream out, Map<String, Object> root) {
        try {
            out.println(WRITER.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** {@code 2026-12-05T06:29:29.123+00:00}, or null. */
    public static String timestamp(OffsetDateTime at) {
        return at == null ? null : at.toString();
    }

    /**
     * The document of a command that stopped before it could say anything else (a plan that does
     * not load, no target, no connection): the exit code it ends with and the error as stderr
     * tells it, passwords removed. {@code problems} lists each problem of a plan that does not load.
     */
    public static Map<String, Object> error(String command, Throwable e) {
        Map<String, Object> root = start(command);
        int exit = e instanceof MigException me ? me.exitCode().code() : ExitCode.STEP_FAILED.code();
        root.put("exitCode", exit);
        Map<String, Object> error = new LinkedHashMap<>();
        List<Map<String, Object>> problems = List.of();
        if (e instanceof PlanException pe) {
            error.put("message", pe.problems().size() + " problem" + (pe.problems().size() == 1 ? "" : "s") + " in the plan");
            error.put("hint", null);
            error.put("file", null);
            error.put("line", null);
            problems = pe.problems().stream().map(JsonDocument::problem).toList();
        } else if (e instanceof MigException me) {
            error.put("message", Redactor.redact(me.getMessage()));
            error.put("hint", Redactor.redact(me.hint()));
            location(error, me.location());
        } else {
            error.put("message", "internal error: " + Redactor.redact(String.valueOf(e)));
            error.put("hint", "this is a bug in mig; rerun with --stacktrace and report it");
            location(error, null);
        }
        error.put("problems", problems);
        root.put("error", error);
        return root;
    }

    private static Map<String, Object> problem(PlanProblem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        location(m, p.location());
        m.put("message", Redactor.redact(p.message()));
        m.put("hint", Redactor.redact(p.hint()));
        return m;
    }

    /** {@code file} as the text output shows it and {@code line}, each null when unknown. */
    static void location(Map<String, Object> m, SourceLocation at) {
        m.put("file", at == null || at.file() == null ? null : at.displayFile());
        m.put("line", at == null || at.line() <= 0 ? null : at.line());
    }
}
