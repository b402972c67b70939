package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the DSL delegates share while one plan file loads: where the plan lives, the problems
 * found so far, and the source of its closures. Delegates record problems here and carry on,
 * so that one load reports every problem at once.
 */
public final class LoadContext {

    /** The binding variable under which the plan script finds its context. */
    public static final String BINDING_NAME = "__migLoadContext";

    private final Path planFile;
    private ClosureSources closureSources = ClosureSources.EMPTY;
    private final List<PlanProblem> problems = new ArrayList<>();
    private final Map<String, Integer> closureOccurrences = new HashMap<>();
    private String scriptClassName = "";
    private Plan plan;
    private int planCount;

    LoadContext(Path planFile) {
        this.planFile = planFile;
    }

    void closureSources(ClosureSources sources) {
        this.closureSources = sources;
    }

    public Path planFile() {
        return planFile;
    }

    void scriptClassName(String name) {
        this.scriptClassName = name;
    }

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** The plan line that is calling into the DSL right now (walks only as far as that frame). */
    public SourceLocation callerLocation() {
        return WALKER.walk(frames -> frames
                .filter(f -> f.getLineNumber() > 0 && isPlanClass(f.getClassName()))
                .findFirst()
                .map(f -> new SourceLocation(planFile, f.getLineNumber()))
                .orElse(new SourceLocation(planFile, 0)));
    }

    private boolean isPlanClass(String className) {
        return className.equals(scriptClassName) || className.startsWith(scriptClassName + "$");
    }

    /** The deepest plan line in a throwable's stack, or the plan file without a line. */
    public SourceLocation locate(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement frame : c.getStackTrace()) {
                if (frame.getLineNumber() > 0 && isPlanClass(frame.getClassName())) {
                    return new SourceLocation(planFile, frame.getLineNumber());
                }
            }
        }
        return new SourceLocation(planFile, 0);
    }

    public void problem(SourceLocation location, String message, String hint) {
        problems.add(new PlanProblem(location, message, hint));
    }

    public List<PlanProblem> problems() {
        return problems;
    }

    /** The normalisable source of the closure given to {@code method} at {@code location}. */
    public String closureSource(String method, SourceLocation location) {
        String key = method + "@" + location.line();
        int occurrence = closureOccurrences.merge(key, 1, Integer::sum) - 1;
        return closureSources.of(method, location.line(), occurrence);
    }

    /** Reads a file named relative to the plan; a missing file is a problem and yields null. */
    public SqlFile readRelative(String relative, SourceLocation location) {
        Path path = planFile.toAbsolutePath().getParent().resolve(relative).normalize();
        if (!Files.isRegularFile(path)) {
            problem(location, "sqlFile '" + relative + "' not found (looked for " + path + ")",
                    "paths are relative to the plan file's folder");
            return null;
        }
        try {
            return new SqlFile(path, Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException | java.io.UncheckedIOException e) {
            problem(location, "sqlFile '" + relative + "' cannot be read: " + e.getMessage(), null);
            return null;
        }
    }

    public record SqlFile(Path path, String text) {
    }

    public void definePlan(Plan defined, SourceLocation location) {
        planCount++;
        if (planCount > 1) {
            problem(location, "a second plan(...) in one file", "one plan per file: move it to a file of its own");
            return;
        }
        this.plan = defined;
    }

    Plan plan() {
        return plan;
    }
}
