package dev.mig;

import dev.mig.api.InvalidPlanException;
import dev.mig.plan.ClasspathPlans;
import dev.mig.plan.PlanLoader;

import java.nio.file.Path;

/**
 * mig as a library: load a plan, then run it on a DataSource or a URL.
 *
 * <pre>{@code
 * LoadedPlan plan = Mig.plan(Path.of("db/plan.groovy"));
 * MigResult result = plan.runner().tags("schema").silent().run(dataSource);
 * if (!result.succeeded()) throw new IllegalStateException(result.summary());
 * }</pre>
 *
 * Loading compiles and validates the plan without a database; every problem is thrown at once as
 * an {@link InvalidPlanException} with file and line.
 */
public final class Mig {

    private Mig() {
    }

    /** Loads a plan file; its {@code sqlFile} and {@code use} paths resolve against its folder. */
    public static LoadedPlan plan(Path file) {
        return new LoadedPlan(new PlanLoader().load(file));
    }

    /**
     * Loads a plan named as the command line names it: a file path, or a resource of the thread
     * context class loader such as {@code classpath:db/plan.groovy} (a plan shipped in the
     * application's jar, whose {@code sqlFile} and {@code use} names resolve beside it in the jar).
     */
    public static LoadedPlan plan(String location) {
        return plan(location, null);
    }

    /** As {@link #plan(String)}, with {@code classpath:} names read from {@code loader} (null: the thread context class loader). */
    public static LoadedPlan plan(String location, ClassLoader loader) {
        return ClasspathPlans.with(loader, () -> new LoadedPlan(new PlanLoader().load(Path.of(location))));
    }

    /**
     * As {@link #plan(Path)}, compiled with static type checking first ({@code mig check --strict}):
     * a misspelt word in any block is a problem with its line, even in a branch that never runs.
     * Recipe files the plan uses are read as always.
     */
    public static LoadedPlan planTypeChecked(Path file) {
        return new LoadedPlan(new PlanLoader().load(file, true));
    }

    /**
     * Loads plan text, compiled as the file {@code fileName} (messages say {@code fileName:LINE});
     * relative {@code sqlFile} and {@code use} paths resolve against the working directory.
     */
    public static LoadedPlan planFromString(String fileName, String text) {
        return planFromString(fileName, text, Path.of(""));
    }

    /** As {@link #planFromString(String, String)}, with relative paths resolved against {@code baseDirectory}. */
    public static LoadedPlan planFromString(String fileName, String text, Path baseDirectory) {
        String name = fileName.endsWith(".groovy") ? fileName : fileName + ".groovy";
        return new LoadedPlan(new PlanLoader().load(text, baseDirectory.resolve(name)));
    }
}
