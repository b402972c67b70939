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

    public Optional<Step> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }
}
