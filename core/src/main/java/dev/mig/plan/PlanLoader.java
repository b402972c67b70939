package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Plan;
import dev.mig.text.DidYouMean;
import dev.mig.text.TextFile;
import groovy.lang.Binding;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loads a plan file: compiles it under its real file name with the DSL's script base class,
 * runs it to build the model (nothing touches a database; recipe files it uses are compiled and
 * run the same way), then validates the model.
 * Every problem found is reported at once in a {@link PlanException}. With the plan cache on (the
 * command line), a literal plan's model is kept and, while its text and SQL files are unchanged,
 * is the plan without compiling or running anything ({@link LiteralPlans}).
 */
public final class PlanLoader {

    static final String SCRIPT_BASE_CLASS = "dev.mig.dsl.PlanScript";

    public Plan load(Path file) {
        return load(file, false);
    }

    /**
     * With {@code strict} the plan file is compiled with static type checking first
     * ({@code mig check --strict}); recipe files it uses are read as always.
     */
    public Plan load(Path file, boolean strict) {
        if (file.toString().startsWith(Source.CLASSPATH)) {
            return ClasspathPlans.load(this, file.toString(), strict);
        }
        Path planFile = file.toAbsolutePath().normalize();
        if (!Files.exists(planFile)) {
            throw new PlanException(List.of(new PlanProblem(new SourceLocation(file, 0),
                    "plan file not found", "give the path of a .groovy plan, e.g. mig run dsl-examples/quickstart.groovy")));
        }
        String text;
        try {
            text = TextFile.read(planFile);
        } catch (TextFile.NotText e) {
            throw new PlanException(List.of(new PlanProblem(new SourceLocation(file, 0), "plan file " + e.getMessage(),
                    e.hint())));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PlanException(List.of(new PlanProblem(new SourceLocation(file, 0),
                    "plan file cannot be read: " + e.getMessage(), "check that it is UTF-8 text and readable")));
        }
        return load(text, planFile, strict);
    }

    /**
     * Loads plan text as if it were the file {@code file}, which need not exist: messages name it,
     * and {@code sqlFile} and {@code use} paths resolve against its folder.
     */
    public Plan load(String text, Path file) {
        return load(text, file, false);
    }

    private Plan load(String text, Path file, boolean strict) {
        return load(text, Source.of(file), strict);
    }

    /** Loads plan text read from {@code source}: on disk, or a class path resource ({@code classpath:db/plan.groovy}). */
    Plan load(String text, Source source, boolean strict) {
        Path planFile = source.displayPath();
        PlanCache cache = strict || !(source instanceof Source.OnDisk) ? null : PlanCache.active();
        String modelKey = cache == null ? null : cache.modelKey(text, planFile);
        byte[] model = modelKey == null ? null : cache.loadModel(modelKey);
        Plan cached = model == null ? null : LiteralPlans.decode(model);
        if (cached != null) {
            return cached;
        }
        Loaded loaded = compileAndRun(text, source, strict);
        Plan plan = loaded.plan();
        if (modelKey != null && loaded.literal()) {
            byte[] encoded = LiteralPlans.encode(plan);
            if (encoded != null) {
                cache.storeModel(modelKey, encoded);
            }
        }
        return plan;
    }

    /** A loaded plan, and whether its file is literal ({@link LiteralSteps#literalPlan}). */
    private record Loaded(Plan plan, boolean literal) {
    }

    private Loaded compileAndRun(String text, Source source, boolean strict) {
        Path planFile = source.displayPath();
        LoadContext context = new LoadContext(source);
        ScriptCompiler.Compiled compiled = ScriptCompiler.compile(text, source.fileName(), planFile, SCRIPT_BASE_CLASS, strict);
        context.register(compiled.scriptClass(), context.planSource(), compiled.closureSources());
        Binding binding = new Binding();
        binding.setVariable(LoadContext.BINDING_NAME, context);
        Script script = InvokerHelper.createScript(compiled.scriptClass(), binding);
        try {
            script.run();
        } catch (MissingMethodException e) {
            SourceLocation at = context.locate(e);
            String suggestion = DidYouMean.suggest(e.getMethod(), List.of("plan", "use", "recipe")).map(s -> "did you mean '" + s + "'?")
                    .orElse("a plan file holds one plan('name') { ... }, and may use recipe files first");
            context.problem(at, "unknown element '" + e.getMethod() + "' at the top of the plan", suggestion);
        } catch (MissingPropertyException e) {
            context.problem(context.locate(e), "unknown name '" + e.getProperty() + "'", "define it with def before use, or quote it if it is text");
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            context.problem(context.locate(e), "the plan failed while loading: " + describe(e), null);
        }
        context.recipes().finish();

        Plan plan = context.plan();
        if (plan == null && context.problems().isEmpty()) {
            context.problem(new SourceLocation(planFile, 1), "the file defines no plan",
                    "start it with plan('name') { step('first') { sql '...' } }");
        }
        if (plan != null) {
            new PlanValidator(context).validate(plan);
            new TransactionValidator(context).validate(plan);
            new DialectValidator(context).validate(plan);
        }
        context.finishLoading();
        if (!context.problems().isEmpty()) {
            throw new PlanException(inFileOrder(context.problems(), planFile));
        }
        // recipes may be defined after plan { } (a use below it): the list is complete only now
        return new Loaded(new Plan(plan.name(), plan.description(), plan.file(), plan.location(), plan.settings(), plan.steps(),
                plan.verify(), context.recipes().all(), plan.defaults(), plan.hooks(), plan.placeholders()),
                LiteralSteps.literalPlan(compiled.scriptClass()));
    }

    /** The plan's problems by line, then those of each other file (recipe files) by line, files in order of first mention. */
    private static List<PlanProblem> inFileOrder(List<PlanProblem> problems, Path planFile) {
        List<Path> files = new ArrayList<>();
        files.add(planFile);
        for (PlanProblem p : problems) {
            if (!files.contains(p.location().file())) {
                files.add(p.location().file());
            }
        }
        List<PlanProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.<PlanProblem>comparingInt(p -> files.indexOf(p.location().file()))
                .thenComparingInt(p -> p.location().line()));
        return sorted;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
