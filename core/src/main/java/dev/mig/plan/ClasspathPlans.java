package dev.mig.plan;

import dev.mig.api.SourceLocation;
import dev.mig.model.Plan;
import dev.mig.text.TextFile;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Plans shipped inside a jar (or a folder on the class path): {@code classpath:db/plan.groovy}.
 * The plan is read from the thread context class loader, as {@code use 'classpath:...'} recipes
 * are; its {@code sqlFile} and {@code use} names resolve against its folder on the class path.
 * Messages name it {@code classpath:db/plan.groovy:LINE}. Step checksums cover what a step runs,
 * never where its files were, so a plan moved from a folder into a jar keeps its checksums.
 */
public final class ClasspathPlans {

    private static final int SHOWN_ENTRIES = 6;

    private ClasspathPlans() {
    }

    /** Whether {@code location} names a class path resource rather than a file. */
    public static boolean isClasspath(String location) {
        return location != null && location.startsWith(Source.CLASSPATH);
    }

    /** Runs {@code work} with {@code loader} as the thread context class loader (null: leaves it as it is). */
    public static <T> T with(ClassLoader loader, Supplier<T> work) {
        if (loader == null) {
            return work.get();
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static Plan load(PlanLoader loader, String location, boolean strict) {
        Source.OnClasspath source = Source.OnClasspath.named(location.substring(Source.CLASSPATH.length()));
        SourceLocation at = new SourceLocation(source.displayPath(), 0);
        Optional<String> text;
        try {
            text = source.read();
        } catch (TextFile.NotText e) {
            throw new PlanException(List.of(new PlanProblem(at, "plan file " + e.getMessage(), e.hint())));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PlanException(List.of(new PlanProblem(at, "plan file cannot be read: " + e.getMessage(),
                    "check the jar on the class path")));
        }
        if (text.isEmpty() || source.resource().isEmpty() || source.resource().endsWith("/")) {
            throw new PlanException(List.of(new PlanProblem(at,
                    "plan file not found on the class path (looked for " + source.resource() + " in " + searched() + ")",
                    "put the jar or folder holding " + source.resource() + " on the class path: MIG_CLASSPATH for the mig"
                            + " command, the application's own class path for the API and the Spring Boot starter")));
        }
        return loader.load(text.get(), source, strict);
    }

    /** The class path entries the context class loader searches, as file names: no more than a few. */
    static String searched() {
        Set<String> entries = new LinkedHashSet<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    entries.add(display(url));
                }
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        if (entries.isEmpty()) {
            return "an empty class path";
        }
        List<String> shown = new ArrayList<>(entries).subList(0, Math.min(SHOWN_ENTRIES, entries.size()));
        int more = entries.size() - shown.size();
        return String.join(File.pathSeparator, shown) + (more > 0 ? " and " + more + " more entries" : "");
    }

    private static String display(URL url) {
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI()).toString();
            }
            // a jar served over http may carry user:password: never print it
            return url.getUserInfo() == null ? url.toString() : url.toString().replace(url.getUserInfo() + "@", "***@");
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url.toString();
        }
    }
}
