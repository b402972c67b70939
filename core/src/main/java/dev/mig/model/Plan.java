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
                   List<Hook> hooks) {

    public Plan {
        steps = List.copyOf(steps);
        recipes = List.copyOf(recipes);
        hooks = List.copyOf(hooks);
    }

    /** A plan without hooks. */
    public Plan(String name, String description, Path file, SourceLocation location, PlanSettings settings,
                List<Step> steps, VerifyBlock verify, List<Recipe> recipes, ResolvedSettings defaults) {
        this(name, description, file, location, settings, steps, verify, recipes, defaults, List.of());
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
                        statementTimeout != null ? statementTimeout : s.statementTimeout(), s.searchPath(), s.retries(), s.owns()),
                steps, verify, recipes, defaults.withTimeouts(lockTimeout, statementTimeout, source), hooks);
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
