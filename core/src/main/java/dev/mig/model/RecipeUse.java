package dev.mig.model;

import dev.mig.api.SourceLocation;

import java.util.List;

/**
 * One {@code apply 'recipe', args...} inside a step (its body, cleanup or undo), or inside a
 * recipe applied there. The step's checksum covers the arguments of those outside undo, since
 * closures a recipe adds (guards, groovy, verify) see them without their text showing it.
 */
public record RecipeUse(String recipe, List<Object> arguments, SourceLocation location, boolean inUndo) {

    public RecipeUse {
        arguments = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(arguments));
    }
}
