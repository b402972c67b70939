package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Plan;
import dev.mig.model.Recipe;
import dev.mig.text.TextFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the DSL delegates share while one plan file loads: where the plan lives, the files it
 * compiled (the plan and its recipe files), the problems found so far, the source of its
 * closures, and its recipes. Delegates record problems here and carry on, so that one load
 * reports every problem at once.
 */
public final class LoadContext {

    /** The binding variable under which plan and recipe scripts find their context. */
    public static final String BINDING_NAME = "__migLoadContext";

    private final Path planFile;
    private final Source planSource;
    private final List<PlanProblem> problems = new ArrayList<>();
    private final Recipes recipes = new Recipes(this);
    /** Every compiled file: plan and recipe files, found from a stack frame's class loader. */
    private final Map<ClassLoader, Compiled> byLoader = new IdentityHashMap<>();
    private final Map<Path, Compiled> byPath = new HashMap<>();
    /** Closure occurrences per line; a recipe applied twice counts its own lines afresh. */
    private final Deque<Map<String, Integer>> closureOccurrences = new ArrayDeque<>();
    private int planBlocks;
    /** The line of a step's literal word while it replays ({@link LiteralSteps}); null otherwise. */
    private SourceLocation pinned;
    private boolean loaded;
    private Plan plan;
    private int planCount;

    private record Compiled(Source source, String className, ClosureSources closureSources) {
    }

    LoadContext(Path planFile) {
        this(Source.of(planFile));
    }

    /** For a plan on disk or on the class path: messages name {@code source.displayPath()}. */
    LoadContext(Source planSource) {
        this.planFile = planSource.displayPath();
        this.planSource = planSource;
        closureOccurrences.push(new HashMap<>());
    }

    /**
     * A context for DSL blocks built outside a plan file (a verify closure in a test): problems
     * are located at {@code file} without a line.
     */
    public static LoadContext detached(Path file) {
        return new LoadContext(file.toAbsolutePath().normalize());
    }

    public Path planFile() {
        return planFile;
    }

    Source planSource() {
        return planSource;
    }

    /** The plan's recipes: {@code use}, {@code recipe} and {@code apply} go through here. */
    public Recipes recipes() {
        return recipes;
    }

    /** Makes a compiled file known: its lines can then be located, its closures' source read. */
    void register(Class<?> scriptClass, Source source, ClosureSources sources) {
        Compiled compiled = new Compiled(source, scriptClass.getName(), sources);
        byLoader.put(scriptClass.getClassLoader(), compiled);
        byPath.put(source.displayPath(), compiled);
    }

    /** The file a location is in, as a {@link Source} to resolve names against (the plan when unknown). */
    Source sourceOf(SourceLocation location) {
        Compiled compiled = location.file() == null ? null : byPath.get(location.file());
        return compiled == null ? planSource : compiled.source();
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * The plan or recipe line that is calling into the DSL right now: the innermost frame of a
     * compiled file (walks only as far as that frame). Files are told apart by their class
     * loader, so a recipe file and a plan of the same name never mix.
     */
    public SourceLocation callerLocation() {
        if (pinned != null) {
            return pinned;
        }
        return WALKER.walk(frames -> frames
                .filter(f -> f.getLineNumber() > 0)
                .map(f -> {
                    Compiled compiled = byLoader.get(f.getDeclaringClass().getClassLoader());
                    return compiled == null ? null : new SourceLocation(compiled.source().displayPath(), f.getLineNumber());
                })
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(new SourceLocation(planFile, 0)));
    }

    /**
     * Until set back, {@link #callerLocation} is {@code location}: a literal word of a step compiled
     * as data ({@link LiteralSteps}) runs with no plan frame of its own, at the line it was written on.
     * Returns what was pinned before, to set back.
     */
    public SourceLocation pin(SourceLocation location) {
        SourceLocation before = pinned;
        pinned = location;
        return before;
    }

    /** The deepest plan line in a throwable's stack, or the plan file without a line. */
    public SourceLocation locate(Throwable t) {
        return locate(t, planFile);
    }

    /** The deepest line of the compiled file {@code file} in a throwable's stack, or that file without a line. */
    public SourceLocation locate(Throwable t, Path file) {
        Compiled compiled = byPath.get(file);
        if (compiled != null) {
            String fileName = compiled.source().fileName();
            for (Throwable c = t; c != null; c = c.getCause()) {
                for (StackTraceElement frame : c.getStackTrace()) {
                    String className = frame.getClassName();
                    if (frame.getLineNumber() > 0 && fileName.equals(frame.getFileName())
                            && (className.equals(compiled.className()) || className.startsWith(compiled.className() + "$"))) {
                        return new SourceLocation(file, frame.getLineNumber());
                    }
                }
            }
        }
        return new SourceLocation(file, 0);
    }

    /** Records a problem; inside a recipe being applied, the message says which apply led there. */
    public void problem(SourceLocation location, String message, String hint) {
        problems.add(new PlanProblem(location, message + recipes.applyingSuffix(), hint));
    }

    /** Records a problem exactly as given. */
    void problemAsIs(SourceLocation location, String message, String hint) {
        problems.add(new PlanProblem(location, message, hint));
    }

    void problems(List<PlanProblem> more) {
        problems.addAll(more);
    }

    public List<PlanProblem> problems() {
        return problems;
    }

    /** The normalisable source of the closure given to {@code method} at {@code location}. */
    public String closureSource(String method, SourceLocation location) {
        Compiled compiled = byPath.get(location.file());
        if (compiled == null) {
            return "";
        }
        return compiled.closureSources().of(method, location.line(), occurrence(method, location));
    }

    /** The declared parameters of the closure given to {@code method} at {@code location}. */
    public List<Recipe.Parameter> closureParameters(String method, SourceLocation location) {
        Compiled compiled = byPath.get(location.file());
        if (compiled == null) {
            return List.of();
        }
        return compiled.closureSources().parameters(method, location.line(), occurrence(method, location));
    }

    private int occurrence(String method, SourceLocation location) {
        String key = method + "@" + location.file() + ":" + location.line();
        return closureOccurrences.peek().merge(key, 1, Integer::sum) - 1;
    }

    void enterRecipe() {
        closureOccurrences.push(new HashMap<>());
    }

    void leaveRecipe() {
        closureOccurrences.pop();
    }

    /** Reads a file named relative to the file at {@code location}; a missing file is a problem and yields null. */
    public SqlFile readRelative(String relative, SourceLocation location) {
        Source file = sourceOf(location).resolve(relative);
        try {
            Optional<String> text = file.read();
            if (text.isEmpty()) {
                problem(location, "sqlFile '" + relative + "' not found (looked for " + lookedFor(file) + ")",
                        "paths are relative to the folder of the file that names them");
                return null;
            }
            return new SqlFile(file.displayPath(), text.get());
        } catch (TextFile.NotText e) {
            problem(location, "sqlFile '" + relative + "' " + e.getMessage() + " (" + lookedFor(file) + ")", e.hint());
            return null;
        } catch (IOException | java.io.UncheckedIOException e) {
            problem(location, "sqlFile '" + relative + "' cannot be read: " + e.getMessage(), null);
            return null;
        }
    }

    static String lookedFor(Source file) {
        return file instanceof Source.OnDisk disk ? disk.path().toString() : file.display() + " on the class path";
    }

    public record SqlFile(Path path, String text) {
    }

    /** Inside {@code plan { }}: where {@code use} and {@code recipe} at the top of a file no longer belong. */
    public boolean inPlanBlock() {
        return planBlocks > 0;
    }

    public void enterPlanBlock() {
        planBlocks++;
    }

    public void leavePlanBlock() {
        planBlocks--;
    }

    /** A recipe file used from inside {@code plan { }} runs at its own top level; returns what to restore. */
    int enterFile() {
        int saved = planBlocks;
        planBlocks = 0;
        return saved;
    }

    void leaveFile(int saved) {
        planBlocks = saved;
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

    /** Loading is over: what reaches a delegate now comes from a block running against a database. */
    void finishLoading() {
        loaded = true;
    }

    public boolean loaded() {
        return loaded;
    }
}
