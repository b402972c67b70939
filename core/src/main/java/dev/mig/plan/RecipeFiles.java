package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.text.DidYouMean;
import dev.mig.text.TextFile;
import groovy.lang.Binding;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The recipe files one plan loads with {@code use}: each is read once (from disk or the class
 * path), compiled under its real name like a plan and run, so that its {@code recipe}
 * definitions register with {@link Recipes}. Checks version pins and refuses cycles.
 */
final class RecipeFiles {

    static final String SCRIPT_BASE_CLASS = "dev.mig.dsl.RecipeScript";
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)*");
    private static final List<String> USE_OPTIONS = List.of("version");
    private static final List<String> TOP_LEVEL_WORDS = List.of("recipe", "use", "version", "ident");

    private final LoadContext context;
    private final Map<String, RecipeFile> files = new LinkedHashMap<>();
    private final Deque<RecipeFile> loading = new ArrayDeque<>();

    RecipeFiles(LoadContext context) {
        this.context = context;
    }

    /** A recipe file: where it is, its declared version, and whether it loaded. */
    static final class RecipeFile {
        final Source source;
        String version;
        SourceLocation versionAt;
        boolean failed;

        RecipeFile(Source source) {
            this.source = source;
        }
    }

    /** The file whose top level is running now, or null (the plan's). */
    RecipeFile current() {
        return loading.peek();
    }

    /** The files that could not be loaded, as users name them. */
    Set<String> failed() {
        Set<String> failed = new LinkedHashSet<>();
        for (RecipeFile f : files.values()) {
            if (f.failed) {
                failed.add(f.source.display());
            }
        }
        return failed;
    }

    /** {@code use 'x.groovy', version: '1.2'}: loads the file once and checks the pin. */
    void use(String name, Map<String, Object> options, SourceLocation at) {
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
        } catch (TextFile.NotText e) {
            file.failed = true;
            context.problem(usedAt, "recipe file '" + name + "' " + e.getMessage() + " (" + LoadContext.lookedFor(file.source) + ")",
                    e.hint());
            return;
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

    /** {@code version '1.2'} at the top of a recipe file. */
    void version(String value, SourceLocation at, boolean applying) {
        RecipeFile file = loading.peek();
        if (file == null || applying) {
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
}
