package dev.mig.model;

import dev.mig.api.SourceLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A loaded plan: its steps in file order, the plan-level verify block, and every recipe it can see. */
public record Plan(String name,
                   String description,
                   Path file,
                   SourceLocation location,
                   PlanSettings settings,
                   List<Step> steps,
                   VerifyBlock verify,
                   List<Recipe> recipes) {

    public Plan {
        steps = List.copyOf(steps);
        recipes = List.copyOf(recipes);
    }

    /**
     * This plan with other default timeouts (an environment's), null keeping the plan's own; steps
     * that set their own timeouts keep them. Checksums do not cover timeouts, so nothing drifts.
     */
    public Plan withDefaultTimeouts(String lockTimeout, String statementTimeout) {
        if (lockTimeout == null && statementTimeout == null) {
            return this;
        }
        PlanSettings s = settings;
        return new Plan(name, description, file, location,
                new PlanSettings(lockTimeout != null ? lockTimeout : s.lockTimeout(),
                        statementTimeout != null ? statementTimeout : s.statementTimeout(), s.searchPath(), s.retries(), s.owns()),
                steps, verify, recipes);
    }

    public Optional<Step> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }
}
