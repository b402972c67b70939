package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Recipe;
import dev.mig.model.RecipeUse;
import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The recipes one plan can see: every recipe defined at the top of the plan or in a recipe file
 * it loads with {@code use} (directly or through another recipe file), in one namespace. Loads
 * recipe files (each once, under its real name, like a plan), checks version pins, and applies
 * recipes to the block that asks, collecting every problem with its file and line.
 */
public final class Recipes {

    static final String SCRIPT_BASE_CLASS = "dev.mig.dsl.RecipeScript";
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)*");
    private static final List<String> USE_OPTIONS = List.of("version");
    private static final List<String> RECIPE_OPTIONS = List.of("description");
    private static final List<String> TOP_LEVEL_WORDS = List.of("recipe", "use", "version", "ident");

    private final LoadContext context;
    private final Map<String, Defined> byName = new LinkedHashMap<>();
    private final Map<String, RecipeFile> files = new LinkedHashMap<>();
    private final Deque<RecipeFile> loading = new ArrayDeque<>();
    private final Deque<Applying> applying = new ArrayDeque<>();
    private final List<Unresolved> unresolved = new ArrayList<>();

    Recipes(LoadContext context) {
        this.context = context;
    }

    /** A recipe file: where it is, its declared version, and whether it loaded. */
    private static final class RecipeFile {
        final Source source;
        String version;
        SourceLocation versionAt;
        boolean failed;

        RecipeFile(Source source) {
            this.source = source;
        }
    }

    /** A recipe as defined; becomes a {@link Recipe} once its file has declared its version. */
    private record Defined(String name, String description, List<Recipe.Parameter> parameters, Closure<?> body,
                           SourceLocation location, RecipeFile file) {
        Recipe toRecipe() {
            return new Recipe(name, description, parameters, body, location, file == null ? location.displayFile() : file.source.display(),
                    file == null ? String.valueOf(location.file()) : file.source.where(), file == null ? null : file.version);
        }
    }

    private record Applying(Defined recipe, SourceLocation at) {
    }

    private record Unresolved(String name, SourceLocation at, String suffix) {
    }

    // ---- use -------------------------------------------------------------------------------

    /** {@code use 'x.groovy'} at the top of a plan or recipe file. */
    public void useAtTop(String name, Map<String, Object> options, SourceLocation at) {
        if (context.inPlanBlock() || !applying.isEmpty()) {
            context.problem(at, "use '" + name + "' inside a block",
                    "use belongs at the top of a file or directly in plan { }, before the steps that apply its recipes");
            return;
        }
        use(name, options, at);
    }

    /** {@code use 'x.groovy', version: '1.2'}: loads the file once and checks the pin. */
    public void use(String name, Map<String, Object> options, SourceLocation at) {
        if (name == null || name.isBlank()) {
            context.problem(at, "use needs a file", "use 'recipes/cleanup.groovy' or use 'classpath:mig/recipes/catalog.groovy'");
            return;
        }
        List<String> unknown = options.keySet().stream().filter(k -> !USE_OPTIONS.contains(k)).toList();
        if (!unknown.isEmpty()) {
            context.problem(at, "unknown option " + String.join(", ", unknown) + " of use",
                    DidYouMean.suggest(unknown.get(0), USE_OPTIONS).map(s -> "did you mean '" + s + "'? ").orElse("")
                            + "use '" + name + "', version: '1.2'");
        }
        String required = options.get("version") == null ? null : options.get("version").toString();
        if (required != null && !VERSION.matcher(required).matches()) {
            context.problem(at, "use '" + name + "' requires version '" + required + "', which is not a version",
                    "versions are numbers separated by dots: '1', '1.2', '1.2.3'");
            required = null;
        }
        Source source = context.sourceOf(at).resolve(name);
        String key = source.displayPath().toString();
        RecipeFile file = files.get(key);
        if (file != null && loading.contains(file)) {
            List<String> chain = new ArrayList<>();
            for (Iterator<RecipeFile> it = loading.descendingIterator(); it.hasNext(); ) {
                chain.add(it.next().source.display());
            }
            chain.add(source.display());
            context.problem(at, "use cycle: " + String.join(" uses ", chain),
                    "a recipe file may not use itself, directly or through others: move the shared recipes into a file of their own");
            return;
        }
        if (file == null) {
            file = new RecipeFile(source);
            files.put(key, file);
            load(file, name, at);
        }
        if (required != null && !file.failed) {
            checkVersion(file, name, required, at);
        }
    }

    private void load(RecipeFile file, String name, SourceLocation usedAt) {
        Optional<String> text;
        try {
            text = file.source.read();
        } catch (IOException | java.io.UncheckedIOException e) {
            file.failed = true;
            context.problem(usedAt, "recipe file '" + name + "' cannot be read: " + e.getMessage(), null);
            return;
        }
        if (text.isEmpty()) {
            file.failed = true;
            context.problem(usedAt, "recipe file '" + name + "' not found (looked for " + LoadContext.lookedFor(file.source) + ")",
                    name.startsWith(Source.CLASSPATH)
                            ? "classpath: names a resource on mig's class path, such as classpath:mig/recipes/catalog.groovy; "
                            + "a team's jar of recipes goes on MIG_CLASSPATH"
                            : "paths are relative to the folder of the file that names them");
            return;
        }
        ScriptCompiler.Compiled compiled;
        try {
            compiled = ScriptCompiler.compile(text.get(), file.source.fileName(), file.source.displayPath(), SCRIPT_BASE_CLASS);
        } catch (PlanException e) {
            file.failed = true;
            context.problems(e.problems());
            return;
        }
        context.register(compiled.scriptClass(), file.source, compiled.closureSources());
        Binding binding = new Binding();
        binding.setVariable(LoadContext.BINDING_NAME, context);
        Script script = InvokerHelper.createScript(compiled.scriptClass(), binding);
        loading.push(file);
        int planBlocks = context.enterFile();
        try {
            script.run();
        } catch (MissingMethodException e) {
            file.failed = true;
            SourceLocation at = context.locate(e, file.source.displayPath());
            String hint = e.getMethod().equals("plan")
                    ? "a recipe file holds recipe('name') { ... } definitions; a plan goes in a file of its own"
                    : DidYouMean.suggest(e.getMethod(), TOP_LEVEL_WORDS).map(s -> "did you mean '" + s + "'?")
                    .orElse("a recipe file holds version '1.0', use '...' and recipe('name') { ... }");
            context.problem(at, "unknown element '" + e.getMethod() + "' at the top of the recipe file", hint);
        } catch (MissingPropertyException e) {
            file.failed = true;
            context.problem(context.locate(e, file.source.displayPath()), "unknown name '" + e.getProperty() + "'",
                    "define it with def before use, or quote it if it is text");
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            file.failed = true;
            context.problem(context.locate(e, file.source.displayPath()),
                    "the recipe file failed while loading: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null);
        } finally {
            context.leaveFile(planBlocks);
            loading.pop();
        }
    }

    private void checkVersion(RecipeFile file, String name, String required, SourceLocation at) {
        if (file.version == null) {
            context.problem(at, "use '" + name + "' requires version " + required + ", but " + file.source.display()
                            + " declares no version",
                    "add version '" + required + "' at the top of " + file.source.display() + ", or drop version: from this use");
        } else if (!versionMatches(required, file.version)) {
            context.problem(at, "use '" + name + "' requires version " + required + ", but " + file.source.display()
                            + " is version " + file.version + " (" + file.versionAt + ")",
                    "a required version matches the file's version or its leading parts ('1' accepts 1.4): "
                            + "update this use, or use the file that has version " + required);
        }
    }

    /** '1.2' is matched by 1.2 and 1.2.x; '1' by every 1.x. Parts compare as numbers, so '1.2' never matches 1.20. */
    static boolean versionMatches(String required, String declared) {
        long[] want = parts(required);
        long[] have = parts(declared);
        if (want.length > have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i] != have[i]) {
                return false;
            }
        }
        return true;
    }

    private static long[] parts(String version) {
        return Arrays.stream(version.split("\\.")).mapToLong(Long::parseLong).toArray();
    }

    // ---- definitions -----------------------------------------------------------------------

    /** {@code version '1.2'} at the top of a recipe file. */
    public void version(String value, SourceLocation at) {
        RecipeFile file = loading.peek();
        if (file == null || !applying.isEmpty()) {
            context.problem(at, "version belongs at the top of a recipe file", "a recipe file pins itself with version '1.2' on a line of its own");
            return;
        }
        if (value == null || !VERSION.matcher(value).matches()) {
            context.problem(at, "version '" + value + "' is not a version", "versions are numbers separated by dots: '1', '1.2', '1.2.3'");
            return;
        }
        if (file.version != null) {
            context.problem(at, "version is declared twice (first at line " + file.versionAt.line() + ")", "keep one version line per file");
            return;
        }
        file.version = value;
        file.versionAt = at;
    }

    /** {@code recipe('name', description: '...') { params -> ... }} at the top of a recipe file or plan. */
    public void define(String name, Map<String, Object> options,
                       @DelegatesTo(strategy = Closure.DELEGATE_FIRST) Closure<?> body, SourceLocation at) {
        if (context.inPlanBlock() || !applying.isEmpty()) {
            context.problem(at, "recipe('" + name + "') inside a block",
                    "define recipes at the top of a recipe file (or of the plan file, outside plan { })");
            return;
        }
        if (name == null || name.isBlank()) {
            context.problem(at, "a recipe needs a name", "recipe('clear name') { String name -> ... }");
            return;
        }
        List<String> unknown = options.keySet().stream().filter(k -> !RECIPE_OPTIONS.contains(k)).toList();
        if (!unknown.isEmpty()) {
            context.problem(at, "unknown option " + String.join(", ", unknown) + " of recipe '" + name + "'",
                    "recipe('" + name + "', description: 'what it does') { ... }");
        }
        List<Recipe.Parameter> parameters = context.closureParameters("recipe", at);
        Defined earlier = byName.get(name);
        if (earlier != null) {
            context.problem(at, "recipe '" + name + "' is defined twice: here and at " + earlier.location(),
                    "recipe names are one namespace for the plan and every file it uses: rename one of them");
            return;
        }
        Object description = options.get("description");
        byName.put(name, new Defined(name, description == null ? null : description.toString(), parameters, body, at, loading.peek()));
    }

    /** Every recipe the plan can see, in the order they were defined. */
    public List<Recipe> all() {
        return byName.values().stream().map(Defined::toRecipe).toList();
    }

    // ---- apply -----------------------------------------------------------------------------

    /**
     * {@code apply 'name', args...}: runs the recipe's body with {@code delegate} (DELEGATE_FIRST),
     * so that what it adds lands in that block; records the use in {@code uses}.
     */
    public void apply(Object delegate, String name, Object[] args, SourceLocation at, List<RecipeUse> uses, boolean inUndo) {
        Defined recipe = byName.get(name);
        if (recipe == null) {
            unresolved.add(new Unresolved(name, at, applyingSuffix()));
            return;
        }
        if (applying.stream().anyMatch(a -> a.recipe() == recipe)) {
            List<String> chain = new ArrayList<>();
            for (Iterator<Applying> it = applying.descendingIterator(); it.hasNext(); ) {
                chain.add("'" + it.next().recipe().name() + "'");
            }
            chain.add("'" + name + "'");
            context.problem(at, "recipe '" + name + "' applies itself: " + String.join(" applies ", chain),
                    "a recipe may apply other recipes, but never itself, directly or through others");
            return;
        }
        int required = recipe.toRecipe().requiredArguments();
        int maximum = recipe.toRecipe().maximumArguments();
        if (args.length < required || (maximum >= 0 && args.length > maximum)) {
            context.problem(at, "recipe '" + name + "' takes " + expected(required, maximum) + " " + recipe.toRecipe().signature()
                            + ", got " + (args.length == 0 ? "none" : args.length + ": " + arguments(args)),
                    "it is defined at " + recipe.location());
            return;
        }
        uses.add(new RecipeUse(name, Arrays.asList(args), at, inUndo));
        Closure<?> body = (Closure<?>) recipe.body().clone();
        body.setResolveStrategy(Closure.DELEGATE_FIRST);
        body.setDelegate(delegate);
        String outer = applyingSuffix();
        applying.push(new Applying(recipe, at));
        context.enterRecipe();
        try {
            body.call(args);
        } catch (MissingMethodException e) {
            if (e.getType() == body.getClass() && (e.getMethod().equals("call") || e.getMethod().equals("doCall"))) {
                context.problemAsIs(at, "recipe '" + name + "' takes " + recipe.toRecipe().signature() + ", got (" + typed(args) + ")" + outer,
                        "it is defined at " + recipe.location());
            } else {
                failed(recipe, e);
            }
        } catch (RuntimeException | StackOverflowError e) {
            failed(recipe, e);
        } finally {
            context.leaveRecipe();
            applying.pop();
        }
    }

    /** Located at the recipe's own line that threw; the suffix names the recipe and the apply. */
    private void failed(Defined recipe, Throwable e) {
        SourceLocation where = context.locate(e, recipe.location().file());
        context.problem(where.line() > 0 ? where : recipe.location(), "the recipe threw " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
    }

    private static String expected(int required, int maximum) {
        if (maximum < 0) {
            return "at least " + plural(required);
        }
        if (maximum == 0) {
            return "no arguments";
        }
        return required == maximum ? plural(required) : required + " to " + plural(maximum);
    }

    private static String plural(int n) {
        return n + (n == 1 ? " argument" : " arguments");
    }

    private static String arguments(Object[] args) {
        return Arrays.stream(args).map(Checksums::argument).collect(Collectors.joining(", "));
    }

    private static String typed(Object[] args) {
        return Arrays.stream(args).map(a -> (a == null ? "null" : a.getClass().getSimpleName() + " " + Checksums.argument(a)))
                .collect(Collectors.joining(", "));
    }

    /** While a recipe is applied, problems say which apply led there (innermost first). */
    String applyingSuffix() {
        if (applying.isEmpty()) {
            return "";
        }
        List<String> frames = new ArrayList<>();
        for (Applying a : applying) {
            frames.add("in recipe '" + a.recipe().name() + "' applied at " + a.at());
        }
        return " (" + String.join(", ", frames) + ")";
    }

    /**
     * After the whole plan ran: applies of unknown recipes become problems, with a suggestion,
     * or, when a later {@code use} defined the name, the advice to move that use up.
     */
    void finish() {
        Set<String> failedFiles = files.values().stream().filter(f -> f.failed).map(f -> f.source.display())
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        for (Unresolved u : unresolved) {
            Defined later = byName.get(u.name());
            if (later != null) {
                context.problemAsIs(u.at(), "recipe '" + u.name() + "' is applied before it is defined (at " + later.location() + ")" + u.suffix(),
                        "move the use (or the recipe) above the step that applies it");
                continue;
            }
            String hint = DidYouMean.suggest(u.name(), byName.keySet()).map(s -> "did you mean '" + s + "'?")
                    .orElse(byName.isEmpty() ? "no recipes are visible: load some with use 'recipes/x.groovy' or use 'classpath:mig/recipes/catalog.groovy'"
                            : "visible recipes: " + byName.keySet().stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")));
            if (!failedFiles.isEmpty()) {
                hint += " (" + String.join(", ", failedFiles) + " could not be loaded)";
            }
            context.problemAsIs(u.at(), "unknown recipe '" + u.name() + "'" + u.suffix(), hint);
        }
    }
}
