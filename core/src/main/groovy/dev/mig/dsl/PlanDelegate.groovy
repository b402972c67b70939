package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.catalog.Catalog
import dev.mig.catalog.QualifiedName
import dev.mig.model.Hook
import dev.mig.model.Plan
import dev.mig.model.PlanSettings
import dev.mig.model.Placeholders
import dev.mig.model.Step
import dev.mig.model.VerifyBlock
import dev.mig.plan.DslUsage
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code plan('name') { }}. */
@CompileStatic
class PlanDelegate extends DslDelegate {

    private final String name
    private final SourceLocation location
    private String description
    private String lockTimeout = PlanSettings.DEFAULTS.lockTimeout()
    private String statementTimeout = PlanSettings.DEFAULTS.statementTimeout()
    private String searchPath = PlanSettings.DEFAULTS.searchPath()
    private int retries = PlanSettings.DEFAULTS.retries()
    private String lockRetryFor
    private SourceLocation lockRetryForAt
    private SourceLocation lockTimeoutAt
    private final List<String> owns = []
    private final List<Step> steps = []
    private VerifyBlock verify = VerifyBlock.EMPTY
    private final List<Hook> hooks = []
    private final Map<String, String> placeholderValues = new LinkedHashMap<>()
    private SourceLocation placeholdersAt
    private boolean placeholderReplacement = true

    PlanDelegate(LoadContext context, Script script, String name, SourceLocation location) {
        super(context, script)
        this.name = name
        this.location = location
    }

    @Override
    protected String blockName() { "plan '${name}'" }

    void description(String text) { description = text }

    /** Plan-wide default for every step: {@code lockTimeout '5s'}; unset, steps with a transaction run on mig's lock-retry schedule. */
    void lockTimeout(String value) {
        lockTimeoutAt = here()
        lockTimeout = Durations.check(value, this.&problem)
    }

    /**
     * How long mig's lock-retry schedule tries a step again after lock timeouts: {@code lockRetryFor '2m'}
     * (60s by default), for every step with a transaction that sets no lockTimeout.
     */
    void lockRetryFor(String value) {
        lockRetryForAt = here()
        lockRetryFor = Durations.check(value, this.&problem)
    }

    /** Plan-wide default statement timeout; none by default. */
    void statementTimeout(String value) { statementTimeout = Durations.check(value, this.&problem) }

    /** Plan-wide default of {@code retries} for every step with a transaction; 0 by default. */
    void retries(Object count) {
        Integer checked = Retries.check(count, this.&problem)
        if (checked != null) {
            retries = checked
        }
    }

    /**
     * {@code owns 'kb', 'core'}: the schemas this plan creates and alone fills, which
     * {@code mig reset} may drop. Names are folded like SQL ({@code '"Kb"'} keeps its case).
     */
    void owns(String... schemas) {
        for (String text : schemas) {
            String name
            try {
                name = QualifiedName.parseIdentifier(text)
            } catch (IllegalArgumentException e) {
                problem("owns: '${text}' is not a schema name (${e.message})".toString(), "owns 'kb', 'core'")
                continue
            }
            if (name.isEmpty()) {
                problem('owns: a schema name is empty', "owns 'kb', 'core'")
            } else if (name.startsWith('pg_') || name == 'information_schema') {
                problem("owns: '${name}' is a system schema; a plan cannot own it".toString(), "owns 'kb', 'core'")
            } else if (owns.contains(name)) {
                problem("owns: '${name}' is named twice".toString())
            } else {
                owns.add(name)
            }
        }
    }

    /**
     * {@code placeholders table_prefix: 'app_', region: 'eu'}: values of {@code ${name}} in the
     * plan's SQL; an environment of mig.groovy and {@code --set} win over them. A null value
     * declares a name that must be given elsewhere before the plan runs.
     */
    void placeholders(Map<String, Object> values) {
        placeholdersAt = placeholdersAt ?: here()
        values.each { String name, Object value ->
            if (!(name ==~ /(?:[A-Za-z]\w*:)?[A-Za-z_][\w.\-]*/) || name.startsWith('mig:')) {
                problem("placeholders: '${name}' is not a placeholder name".toString(),
                        'a name is a letter or _, then letters, digits, _, . or -; mig: names are built in')
            } else if (value != null && !(value instanceof CharSequence || value instanceof Number || value instanceof Boolean)) {
                problem("placeholders: the value of '${name}' is a ${value.getClass().simpleName}, not text".toString(),
                        "placeholders ${name}: 'text'".toString())
            } else {
                placeholderValues.put(name, value?.toString())
            }
        }
    }

    /** {@code placeholderReplacement false}: run the plan's SQL as written, {@code ${...}} included (Flyway's switch). */
    void placeholderReplacement(boolean on) { placeholderReplacement = on }

    /**
     * Schemas in which unqualified names are looked up by guards, cleanup and verify, in order:
     * {@code searchPath 'kb', 'public'}, {@code searchPath(['kb', 'public'])} or {@code searchPath 'kb, public'}.
     */
    void searchPath(String... schemas) { searchPath(schemas.toList()) }

    void searchPath(List<?> schemas) {
        if (schemas.isEmpty() || schemas.any { it == null || it.toString().trim().isEmpty() }) {
            problem('searchPath names no schema, or an empty one', DslUsage.hint('PlanDelegate', 'searchPath'))
            return
        }
        String setting = schemas.collect { it.toString().trim() }.join(', ')
        try {
            Catalog.parseSearchPath(setting)
        } catch (IllegalArgumentException e) {
            problem("searchPath: ${e.message}".toString(), DslUsage.hint('PlanDelegate', 'searchPath'))
            return
        }
        searchPath = setting
    }

    /** {@code use 'recipes/x.groovy'} in the plan block, before the steps that apply its recipes. */
    @Override
    void useRecipes(String file) { useRecipes([:], file) }

    /** {@code use 'x.groovy', version: '1.2'}. */
    @Override
    void useRecipes(Map<String, Object> options, String file) { context.recipes().use(file, options, here()) }

    void step(String stepName, @DelegatesTo(value = StepDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        StepDelegate delegate = stepDelegate(stepName)
        runBlock(body, delegate)
        steps.add(delegate.build(steps.size()))
    }

    /**
     * {@code step(name) { ... }} whose body holds only literal words, as the compiler hands it over
     * ({@link dev.mig.plan.LiteralSteps}): {@code [[line, word, args...], ...]}, replayed in order.
     */
    void mig$step(String stepName, List<List<Object>> words) {
        StepDelegate delegate = stepDelegate(stepName)
        delegate.replay(words)
        steps.add(delegate.build(steps.size()))
    }

    private StepDelegate stepDelegate(String stepName) {
        SourceLocation at = here()
        if (stepName == null || stepName.trim().isEmpty()) {
            context.problem(at, 'a step needs a name', "step('create users') { ... }")
        }
        new StepDelegate(context, script, stepName ?: '', at, false)
    }

    /**
     * {@code addNotNull 'orders', 'customer_id'}: four steps, CHECK (column IS NOT NULL) NOT VALID,
     * VALIDATE, SET NOT NULL (no scan, PostgreSQL 12+), drop the check (docs/DSL.md, "Safe schema changes").
     */
    void addNotNull(String table, String column) { addSteps(SafeWords.addNotNull(this, here(), steps.size(), table, column)) }

    /** {@code addForeignKey 'orders', 'customer_id', references: 'customers'}: ADD ... NOT VALID, then VALIDATE in a step of its own. */
    void addForeignKey(Map<String, Object> options, String table, String... columns) {
        addSteps(SafeWords.addForeignKey(this, here(), steps.size(), options, table, columns.toList()))
    }

    /** {@code addForeignKey 'orders', ['a', 'b'], references: 'parents(a, b)'}. */
    void addForeignKey(Map<String, Object> options, String table, List<String> columns) {
        addSteps(SafeWords.addForeignKey(this, here(), steps.size(), options, table, columns.collect { String.valueOf(it) }))
    }

    /** {@code addCheck 'orders', 'amount_positive', 'amount > 0'}: ADD ... NOT VALID, then VALIDATE in a step of its own. */
    void addCheck(String table, String name, String condition) {
        addSteps(SafeWords.addCheck(this, here(), steps.size(), table, name, condition))
    }

    /** {@code createIndex 'orders', 'customer_id'}: CREATE INDEX CONCURRENTLY in a step without a transaction. */
    void createIndex(String table, String... columns) { createIndex([:], table, columns) }

    /** {@code createIndex 'orders', 'customer_id', unique: true, where: 'deleted_at IS NULL', name: 'orders_customer_idx'}. */
    void createIndex(Map<String, Object> options, String table, String... columns) {
        addSteps(SafeWords.createIndex(this, here(), steps.size(), options, table, columns.toList()))
    }

    /**
     * {@code changeColumnType 'orders', 'amount', to: 'bigint'} (and {@code using: 'amount / 100.0'}, {@code batchSize:},
     * {@code keepOld: true}): a new column kept in step by a trigger, a batched backfill, the NOT NULL and
     * indexes carried over, a short swap, the old column dropped (docs/DSL.md, "Safe schema changes").
     */
    void changeColumnType(Map<String, Object> options, String table, String column) {
        addSteps(ColumnTypeWord.changeColumnType(this, here(), steps.size(), options, table, column))
    }

    private void addSteps(List<Step> more) {
        steps.addAll(more)
    }

    /** Plan-level expectations, checked read-only after all steps. */
    void verify(@DelegatesTo(value = VerifyDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        SourceLocation at = here()
        VerifyDelegate delegate = new VerifyDelegate(context, script, "plan-level verify")
        runBlock(body, delegate)
        verify = delegate.build(context.closureSource('verify', at))
    }

    /** Runs once the plan lock is held, before the first step; a failure stops the run before any step. */
    void beforeRun(@DelegatesTo(value = HookDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) { hook(Hook.When.BEFORE_RUN, body) }

    /** Runs after each step this run applied, in a transaction of its own once the step committed. */
    void afterStep(@DelegatesTo(value = HookDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) { hook(Hook.When.AFTER_STEP, body) }

    /** Runs when every step and the plan-level verify succeeded, also when nothing was pending. */
    void afterRun(@DelegatesTo(value = HookDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) { hook(Hook.When.AFTER_RUN, body) }

    /** Runs after a step, a hook or the plan-level verify failed, in a transaction of its own. */
    void onFailure(@DelegatesTo(value = HookDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) { hook(Hook.When.ON_FAILURE, body) }

    private void hook(Hook.When when, @DelegatesTo(value = HookDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        HookDelegate delegate = new HookDelegate(context, script, when, here())
        runBlock(body, delegate)
        hooks.add(delegate.build())
    }

    Plan build() {
        if (lockRetryForAt != null && lockTimeout != null && lockTimeoutAt != null) {
            context.problem(lockRetryForAt, "lockRetryFor ${lockRetryFor} in plan '${name}', which sets lockTimeout ${lockTimeout}".toString(),
                    LockRetryFor.CONFLICT_HINT)
        }
        PlanSettings settings = new PlanSettings(lockTimeout, statementTimeout, searchPath, retries, owns, lockRetryFor)
        Map<String, String> sources = placeholderValues.collectEntries { k, v -> [(k): 'the plan'] } as Map<String, String>
        new Plan(name, description, context.planFile(), location, settings, steps, verify, [],
                dev.mig.model.ResolvedSettings.declared(settings), hooks,
                new Placeholders(placeholderValues, sources, placeholdersAt, placeholderReplacement))
    }
}
