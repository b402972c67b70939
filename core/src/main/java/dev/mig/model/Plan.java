package dev.mig.model;

import dev.mig.api.SourceLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded plan: its steps in file order, the plan-level verify block, and every recipe it can see.
 * {@code defaults} are its plan-wide timeouts and retries with where each came from; they follow
 * {@code settings}, with an environment's replacements once {@link #withDefaultTimeouts} applied them.
 */
public record Plan(String name,
                   String description,
                   Path file,
                   SourceLocation location,
                   PlanSettings settings,
                   List<Step> steps,
                   VerifyBlock verify,
                   List<Recipe> recipes,
                   ResolvedSettings defaults,
                   List<Hook> hooks,
                   Placeholders placeholders) {

    public Plan {
        steps = List.copyOf(steps);
        recipes = List.copyOf(recipes);
        hooks = List.copyOf(hooks);
        placeholders = placeholders == null ? Placeholders.NONE : placeholders;
    }

    /** A plan without hooks and without placeholder values of its own. */
    public Plan(String name, String description, Path file, SourceLocation location, PlanSettings settings,
                List<Step> steps, VerifyBlock verify, List<Recipe> recipes, ResolvedSettings defaults) {
        this(name, description, file, location, settings, steps, verify, recipes, defaults, List.of(), Placeholders.NONE);
    }

    /** A plan as its file declares it: every setting is the plan's own (or mig's default). */
    public Plan(String name, String description, Path file, SourceLocation location, PlanSettings settings,
                List<Step> steps, VerifyBlock verify, List<Recipe> recipes) {
        this(name, description, file, location, settings, steps, verify, recipes, ResolvedSettings.declared(settings));
    }

    /**
     * This plan with other default timeouts ({@code source} gave them: "environment 'prod' of
     * mig.groovy"), null keeping the plan's own; steps that set their own timeouts keep them.
     * Checksums do not cover timeouts, so nothing drifts.
     */
    public Plan withDefaultTimeouts(String lockTimeout, String statementTimeout, String source) {
        if (lockTimeout == null && statementTimeout == null) {
            return this;
        }
        PlanSettings s = settings;
        return new Plan(name, description, file, location,
                new PlanSettings(lockTimeout != null ? lockTimeout : s.lockTimeout(),
                        statementTimeout != null ? statementTimeout : s.statementTimeout(), s.searchPath(), s.retries(), s.owns(),
                        s.lockRetryFor()),
                steps, verify, recipes, defaults.withTimeouts(lockTimeout, statementTimeout, source), hooks, placeholders);
    }

    /**
     * This plan with another budget for mig's lock-retry schedule ({@code source} gave it: "environment
     * 'prod' of mig.groovy"); null keeps the plan's own; steps that set their own keep theirs.
     */
    public Plan withLockRetryFor(String lockRetryFor, String source) {
        if (lockRetryFor == null) {
            return this;
        }
        PlanSettings s = settings;
        return new Plan(name, description, file, location,
                new PlanSettings(s.lockTimeout(), s.statementTimeout(), s.searchPath(), s.retries(), s.owns(), lockRetryFor),
                steps, verify, recipes, defaults.withLockRetryFor(lockRetryFor, source), hooks, placeholders);
    }

    /** This plan with another {@code searchPath} (the schemas, as the setting writes them). */
    public Plan withSearchPath(String searchPath) {
        PlanSettings s = settings;
        return new Plan(name, description, file, location,
                new PlanSettings(s.lockTimeout(), s.statementTimeout(), searchPath, s.retries(), s.owns(), s.lockRetryFor()),
                steps, verify, recipes, defaults, hooks, placeholders);
    }

    /** This plan with placeholder values that win over the ones it has ({@code source}: "--set", an environment). */
    public Plan withPlaceholders(java.util.Map<String, ?> values, String source) {
        return withSteps(steps, placeholders.with(values, source));
    }

    /** This plan with other steps (the same steps, their SQL with placeholders replaced) and values. */
    public Plan withSteps(List<Step> newSteps, Placeholders values) {
        return new Plan(name, description, file, location, settings, newSteps, verify, recipes, defaults, hooks, values);
    }

    /** The timeouts and retries that apply to {@code step}, each with where it came from. */
    public ResolvedSettings settingsFor(Step step) {
        return defaults.forStep(step);
    }

    /** This plan's hooks that run at {@code when}, in the order the plan declares them. */
    public List<Hook> hooks(Hook.When when) {
        return hooks.stream().filter(h -> h.when() == when).toList();
    }

    public Optional<Step> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }
}
