package dev.mig.dsl

import dev.mig.catalog.FunctionSignature
import dev.mig.catalog.QualifiedName
import dev.mig.model.Action
import dev.mig.model.RecipeUse
import dev.mig.plan.DslUsage
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/**
 * The body of {@code cleanup { }}: catalog-cleanup actions, each safe when there is nothing to
 * clean. None of them uses CASCADE: when something still depends on what an action drops, the
 * step fails with PostgreSQL's error rather than silently dropping the dependent too.
 * Unqualified names resolve through the plan's {@code searchPath}.
 */
@CompileStatic
class CleanupDelegate extends DslDelegate {

    /** How a cleanup word is called, for the hints of its own problems. */
    private static String usageOf(String word) { DslUsage.of('CleanupDelegate', word) }

    /** What {@code dropRelationNamed kinds:} accepts; CleanupExecutor maps each to its relkinds. */
    private static final List<String> RELATION_KINDS = ['index', 'sequence', 'table', 'view', 'materialized view']

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
        Object kinds = options.kinds
        if (kinds != null && (!(kinds instanceof Collection) || ((Collection<?>) kinds).any { !(it?.toString() in RELATION_KINDS) })) {
            problem("dropRelationNamed kinds: ${kinds} is not a list of ${RELATION_KINDS.join(', ')}".toString(),
                    "dropRelationNamed 'name', kinds: ['index', 'sequence']")
        }
        add('dropRelationNamed', name, options)
    }

    void dropRelationNamed(String name) { add('dropRelationNamed', name, [:]) }

    /** Drops the index if a failed concurrent build left it INVALID. */
    void dropIndexIfInvalid(String name) { add('dropIndexIfInvalid', name, [:]) }

    /**
     * Drops every overload of the function, procedure or aggregate {@code name}: in the schema
     * the name gives, else in the first {@code searchPath} schema that has one of that name (and
     * only there). Written without an argument list, since it drops them all.
     */
    void dropFunctionOverloads(String name) {
        if (name != null && !name.isEmpty()) {
            try {
                if (FunctionSignature.parse(name).argumentTypes() != null) {
                    problem("dropFunctionOverloads takes a name without an argument list: it drops every overload".toString(),
                            usageOf("dropFunctionOverloads"))
                    return
                }
            } catch (IllegalArgumentException e) {
                problem(e.message)
                return
            }
        }
        add('dropFunctionOverloads', name, [:])
    }

    /** Drops every row-level-security policy on {@code table}; row level security itself stays as it is. */
    void dropPoliciesOn(String table) { add('dropPoliciesOn', table, [:]) }

    /** Drops every user trigger on {@code table}; internal triggers (those of foreign keys) are not touched. */
    void dropTriggersOn(String table) { add('dropTriggersOn', table, [:]) }

    /**
     * Drops the enum, composite, domain or range type {@code name} if nothing depends on it (no
     * column, function, view, other type...); if something does, drops nothing and reports what.
     */
    void dropTypeIfUnused(String name) { add('dropTypeIfUnused', name, [:]) }

    /**
     * Drops the sequences of the plan's {@code searchPath} schemas that no column owns (not
     * {@code serial}, {@code OWNED BY} or identity) and nothing uses (no column default, view...).
     */
    void dropOrphanedSequences() { record('dropOrphanedSequences', null, [:]) }

    /** The same in one schema: {@code dropOrphanedSequences schema: 'kb'}. */
    void dropOrphanedSequences(Map<String, Object> options) {
        def unknown = options.keySet() - ['schema']
        if (unknown) {
            problem("unknown option ${unknown.join(', ')} of dropOrphanedSequences".toString(), usageOf("dropOrphanedSequences"))
            return
        }
        Object schema = options.schema
        if (!(schema instanceof CharSequence)) {
            problem("dropOrphanedSequences schema: expects one schema name, got ${schema}".toString(), usageOf("dropOrphanedSequences"))
            return
        }
        try {
            QualifiedName.parseIdentifier(schema.toString())
        } catch (IllegalArgumentException e) {
            problem("dropOrphanedSequences schema: ${e.message}".toString())
            return
        }
        record('dropOrphanedSequences', null, [schema: (Object) schema.toString()])
    }

    /** {@code apply 'clear name', 'unique_chunk'}: the recipe's cleanup actions, as if written here. */
    void apply(String recipe, Object... args) { applyRecipe(recipe, args, false) }

    void apply(Map<String, Object> named, String recipe, Object... args) { namedRecipeArguments(recipe) }

    /** The recipes applied in this block, for the step. */
    List<RecipeUse> recipeUses() { recipeUses }

    private void add(String kind, String name, Map<String, Object> options) {
        if (name == null || name.isEmpty()) {
            problem("${kind} needs a name".toString(), usageOf(kind))
            return
        }
        try {
            QualifiedName.parse(name)
        } catch (IllegalArgumentException e) {
            problem("${kind}: ${e.message}".toString(), 'write names as SQL does: kb.chunks, or \'"My Table"\' to keep capitals, spaces or dots')
            return
        }
        record(kind, name, options)
    }

    private void record(String kind, String name, Map<String, Object> options) {
        actions.add(new Action.Cleanup(kind, name, options, here()))
    }

    List<Action> build() { actions }
}
