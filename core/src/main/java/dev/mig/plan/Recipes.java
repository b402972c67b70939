package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Recipe;
import dev.mig.model.RecipeUse;
import dev.mig.text.DidYouMean;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import groovy.lang.MissingMethodException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The recipes one plan can see: every recipe defined at the top of the plan or in a recipe file
 * it loads with {@code use} (directly or through another recipe file), in one namespace. Files
 * are loaded by {@link RecipeFiles}; here recipes are defined, and applied to the block that
 * asks, collecting every problem with its file and line.
 */
public final class Recipes {

    private static final List<String> RECIPE_OPTIONS = List.of("description");

    private final LoadContext context;
    private final Map<String, Defined> byName = new LinkedHashMap<>();
    private final RecipeFiles files;
    private final Deque<Applying> applying = new ArrayDeque<>();
    private final List<Unresolved> unresolved = new ArrayList<>();

    Recipes(LoadContext context) {
        this.context = context;
        this.files = new RecipeFiles(context);
    }

    /** A recipe as defined; becomes a {@link Recipe} once its file has declared its version. */
    private record Defined(String name, String description, List<Recipe.Parameter> parameters, Closure<?> body,
                           SourceLocation location, RecipeFiles.RecipeFile file) {
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
        files.use(name, options, at);
    }

    /** {@code use 'x.groovy', version: '1.2'} directly in {@code plan { }}. */
    public void use(String name, Map<String, Object> options, SourceLocation at) {
        files.use(name, options, at);
    }

    /** {@code version '1.2'} at the top of a recipe file. */
    public void version(String value, SourceLocation at) {
        files.version(value, at, !applying.isEmpty());
    }

    // ---- definitions -----------------------------------------------------------------------

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
        byName.put(name, new Defined(name, description == null ? null : description.toString(), parameters, body, at, files.current()));
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
        Recipe described = recipe.toRecipe();
        int required = described.requiredArguments();
        int maximum = described.maximumArguments();
        if (args.length < required || (maximum >= 0 && args.length > maximum)) {
            context.problem(at, "recipe '" + name + "' takes " + expected(required, maximum) + " " + described.signature()
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
                context.problemAsIs(at, "recipe '" + name + "' takes " + described.signature() + ", got (" + typed(args) + ")" + outer,
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
        Set<String> failedFiles = files.failed();
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
