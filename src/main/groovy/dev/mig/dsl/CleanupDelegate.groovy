package dev.mig.dsl

import dev.mig.model.Action
import dev.mig.model.RecipeUse
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code cleanup { }}: catalog-cleanup actions, each safe when there is nothing to clean. */
@CompileStatic
class CleanupDelegate extends DslDelegate {

    private final String owner
    private final List<Action> actions = []

    CleanupDelegate(LoadContext context, Script script, String owner) {
        super(context, script)
        this.owner = owner
    }

    @Override
    protected String blockName() { "the cleanup block of ${owner}" }

    /** Drops the constraint of this name on whatever table holds it. */
    void dropConstraintNamed(String name) { add('dropConstraintNamed', name, [:]) }

    /** Drops the relation of this name if it is of one of {@code kinds} (index, sequence, table, view, materialized view). */
    void dropRelationNamed(Map<String, Object> options, String name) {
        def unknown = options.keySet() - ['kinds']
        if (unknown) {
            problem("unknown option ${unknown.join(', ')} of dropRelationNamed".toString(), "dropRelationNamed 'name', kinds: ['index', 'sequence']")
        }
        add('dropRelationNamed', name, options)
    }

    void dropRelationNamed(String name) { add('dropRelationNamed', name, [:]) }

    /** Drops the index if a failed concurrent build left it INVALID. */
    void dropIndexIfInvalid(String name) { add('dropIndexIfInvalid', name, [:]) }

    /** {@code apply 'clear name', 'unique_chunk'}: the recipe's cleanup actions, as if written here. */
    void apply(String recipe, Object... args) { applyRecipe(recipe, args, false) }

    void apply(Map<String, Object> named, String recipe, Object... args) { namedRecipeArguments(recipe) }

    /** The recipes applied in this block, for the step. */
    List<RecipeUse> recipeUses() { recipeUses }

    private void add(String kind, String name, Map<String, Object> options) {
        if (name == null || name.isEmpty()) {
            problem("${kind} needs a name".toString())
            return
        }
        actions.add(new Action.Cleanup(kind, name, options, here()))
    }

    List<Action> build() { actions }
}
