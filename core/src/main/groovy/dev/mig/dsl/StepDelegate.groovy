package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.catalog.CatalogView
import dev.mig.model.Action
import dev.mig.model.Guard
import dev.mig.model.RecipeUse
import dev.mig.model.Step
import dev.mig.model.VerifyBlock
import dev.mig.plan.Checksums
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic
import groovy.transform.PackageScope
import groovy.transform.stc.ClosureParams
import groovy.transform.stc.SimpleType

/** The body of {@code step('name') { }}, and of its {@code undo { }} block. */
@CompileStatic
class StepDelegate extends DslDelegate {

    private final String name
    private final SourceLocation location
    private final boolean undoBlock
    private String description
    private final List<String> requires = []
    private final List<Guard> guards = []
    private final List<Action> cleanup = []
    private final List<Action> actions = []
    private final List<Action> undo = []
    private VerifyBlock verify = VerifyBlock.EMPTY
    private boolean transactional = true
    /** Where the step wrote {@code transaction true}; a backfill step refuses it. */
    private SourceLocation transactionTrueAt
    private SourceLocation backfillAt
    private String lockTimeout
    private String statementTimeout
    private Integer retries
    private SourceLocation retriesAt
    private String lockRetryFor
    private SourceLocation lockRetryForAt
    private boolean runAlways
    private final Set<String> tags = new LinkedHashSet<>()
    private final List<String> lintAllowed = []
    private String insteadOf

    StepDelegate(LoadContext context, Script script, String name, SourceLocation location, boolean undoBlock) {
        super(context, script)
        this.name = name
        this.location = location
        this.undoBlock = undoBlock
    }

    @Override
    protected String blockName() { undoBlock ? "the undo block of step '${name}'" : "step '${name}'" }

    void description(String text) { description = text }

    /** Earlier steps of this plan that must have succeeded. */
    void requires(String... stepNames) { requires.addAll(stepNames) }

    /**
     * {@code insteadOf 'vector index'}: this step stands in for that earlier one where its guard
     * skipped it, and is skipped where it applied; it also requires it.
     */
    void insteadOf(String stepName) {
        if (undoBlock) {
            problem('insteadOf inside undo', 'insteadOf belongs to the step itself')
            return
        }
        if (insteadOf != null) {
            problem("a step stands in for one step; this one has insteadOf '${insteadOf}' already".toString(),
                    "make a second step for '${stepName}'".toString())
            return
        }
        insteadOf = stepName
        if (!requires.contains(stepName)) {
            requires.add(stepName)
        }
    }

    /** false = the step is skipped (and recorded as skipped). */
    void guard(@DelegatesTo(value = CatalogView, strategy = Closure.DELEGATE_FIRST) Closure<?> condition) {
        guard([:], condition)
    }

    /** {@code guard(onFalse: 'fail', message: '...') { }}: onFalse is 'skip' (default), 'fail' or 'warn'. */
    void guard(Map<String, Object> options, @DelegatesTo(value = CatalogView, strategy = Closure.DELEGATE_FIRST) Closure<?> condition) {
        SourceLocation at = here()
        Guard.OnFalse onFalse = Guard.OnFalse.SKIP
        def unknown = options.keySet() - ['onFalse', 'message']
        if (unknown) {
            problem("unknown guard option${unknown.size() > 1 ? 's' : ''} ${unknown.join(', ')}".toString(), "guard takes onFalse: 'skip'|'fail'|'warn' and message: '...'")
        }
        if (options.onFalse != null) {
            String value = options.onFalse.toString()
            switch (value) {
                case 'skip': onFalse = Guard.OnFalse.SKIP; break
                case 'fail': onFalse = Guard.OnFalse.FAIL; break
                case 'warn': onFalse = Guard.OnFalse.WARN; break
                default: problem("guard onFalse '${value}' is not one of skip, fail, warn".toString(), "guard(onFalse: 'fail', message: 'why') { ... }")
            }
        }
        String message = options.message?.toString()
        guards.add(new Guard(condition, onFalse, message, context.closureSource('guard', at), at))
    }

    /** Catalog-cleanup actions, run in the step's transaction before its SQL. */
    void cleanup(@DelegatesTo(value = CleanupDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        CleanupDelegate delegate = new CleanupDelegate(context, script, blockName())
        runBlock(body, delegate)
        cleanup.addAll(delegate.build())
        recipeUses.addAll(delegate.recipeUses().collect { RecipeUse use ->
            undoBlock ? new RecipeUse(use.recipe(), use.arguments(), use.location(), true) : use
        })
    }

    /** {@code apply 'ensure extension', 'vector', 'extensions'}: the recipe's step elements, as if written here. */
    void apply(String recipe, Object... args) { applyRecipe(recipe, args, undoBlock) }

    void apply(Map<String, Object> named, String recipe, Object... args) { namedRecipeArguments(recipe) }

    /** One or more SQL statements; lines of errors count from this call's line. */
    void sql(String text) { addSql(actions, text) }

    /** SQL from a file relative to the plan file; errors point at that file's lines. */
    void sqlFile(String path) { addSqlFile(actions, path) }

    /**
     * {@code ensureEnum 'agent_status', 'development', 'testing', 'active'}: creates the enum, or adds
     * the labels it lacks in their places; a label to remove or reorder fails the step.
     */
    void ensureEnum(String name, String... labels) { addAction(EnsureWords.enumType(this, here(), name, labels.toList())) }

    void ensureEnum(String name, List<String> labels) {
        addAction(EnsureWords.enumType(this, here(), name, labels.collect { Object l -> String.valueOf(l) }))
    }

    /** {@code ensureSchema 'kb'}: CREATE SCHEMA where there is none. */
    void ensureSchema(String name) { ensureSchema([:], name) }

    /** {@code ensureSchema 'kb', owner: 'app'}: with AUTHORIZATION when it is created. */
    void ensureSchema(Map<String, Object> options, String name) { addAction(EnsureWords.schema(this, here(), options, name)) }

    /** {@code ensureExtension 'vector'}: CREATE EXTENSION where it is not installed; fails where the server lacks it. */
    void ensureExtension(String name) { ensureExtension([:], name) }

    /** {@code ensureExtension 'vector', schema: 'extensions', version: '0.7.0'}: updated to that version when older. */
    void ensureExtension(Map<String, Object> options, String name) { addAction(EnsureWords.extension(this, here(), options, name)) }

    /**
     * {@code backfill { table 'orders'; set 'n = n + 1'; batchSize 10_000 }}: an UPDATE in batches
     * of the table's primary key, one short transaction each, resumed from the journal's progress;
     * the step has no transaction of its own (docs/DSL.md, "Batched backfills").
     */
    void backfill(@DelegatesTo(value = BackfillDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        SourceLocation at = here()
        if (undoBlock) {
            problem('backfill inside undo', 'an undo block holds sql, sqlFile and groovy; write the reverse UPDATE as sql')
            return
        }
        if (backfillAt != null) {
            problem("a step holds one backfill; this one has one at line ${backfillAt.line()}".toString(),
                    'make a second step for the second backfill')
            return
        }
        BackfillDelegate delegate = new BackfillDelegate(context, script, blockName())
        runBlock(body, delegate)
        backfillAt = at
        addAction(delegate.build(at))
    }

    private void addAction(Action action) {
        if (action != null) {
            actions.add(action)
        }
    }

    /** Arbitrary code; {@code db} is a groovy.sql.Sql on the step's own connection and transaction. */
    void groovy(@DelegatesTo(value = CatalogView, strategy = Closure.DELEGATE_FIRST)
                @ClosureParams(value = SimpleType, options = 'groovy.sql.Sql') Closure<?> body) { addCode(actions, body) }

    /** Expectations checked inside the step's transaction; a failure rolls the step back. */
    void verify(@DelegatesTo(value = VerifyDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        verify([:], body)
    }

    /**
     * {@code verify(whenSkipped: true) { }}: expectations also checked when a guard skips the step,
     * for a guard that says "already done" (an enum that exists must have these labels).
     */
    void verify(Map<String, Object> options, @DelegatesTo(value = VerifyDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        SourceLocation at = here()
        def unknown = options.keySet() - ['whenSkipped']
        if (unknown || (options.containsKey('whenSkipped') && !(options.whenSkipped instanceof Boolean))) {
            problem(unknown ? "unknown option ${unknown.join(', ')} of verify".toString() : 'verify whenSkipped: takes true or false',
                    'verify(whenSkipped: true) { ... }')
            return
        }
        VerifyDelegate delegate = new VerifyDelegate(context, script, "the verify block of ${blockName()}".toString())
        runBlock(body, delegate)
        VerifyBlock added = delegate.build(context.closureSource('verify', at))
        if (options.whenSkipped == true) {
            added = new VerifyBlock(added.expectations(), added.source(), added.expectations())
        }
        // a second block (a recipe's, say) adds to the first; one block keeps the checksum it always had
        verify = verify.plus(added)
    }

    /** What {@code mig undo} runs to revert this step: the same elements as a step body. */
    void undo(@DelegatesTo(value = StepDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        StepDelegate delegate = undoDelegate()
        if (delegate != null) {
            runBlock(body, delegate)
            takeUndo(delegate)
        }
    }

    private StepDelegate undoDelegate() {
        if (undoBlock) {
            problem('undo inside undo', 'an undo block holds sql, sqlFile and groovy')
            return null
        }
        new StepDelegate(context, script, name, here(), true)
    }

    private void takeUndo(StepDelegate delegate) {
        undo.addAll(delegate.actions)
        recipeUses.addAll(delegate.recipeUses)
    }

    /** A backfill step commits batch by batch: it has no transaction of its own, and its retries are per batch. */
    private void backfillStep() {
        if (transactionTrueAt != null) {
            context.problem(transactionTrueAt, "transaction true in step '${name}', which has a backfill".toString(),
                    'a backfill commits each batch in its own short transaction, never in one big one; remove transaction true')
        }
        if (actions.size() > 1 || !cleanup.isEmpty()) {
            context.problem(backfillAt, "step '${name}' has a backfill and other SQL or code".toString(),
                    'a backfill step holds the backfill alone (with its guard and verify); put the other statements in a step of their own')
        }
        transactional = false
        retriesAt = null
    }

    /**
     * The words of a step body compiled as data ({@link dev.mig.plan.LiteralSteps}), each
     * {@code [line, word, args...]}: called in order, each at its own line, as the closure would call them.
     */
    @PackageScope
    void replay(List<List<Object>> words) {
        for (List<Object> word : words) {
            SourceLocation before = context.pin(new SourceLocation(location.file(), (Integer) word[0]))
            try {
                replayWord((String) word[1], word.subList(2, word.size()))
            } finally {
                context.pin(before)
            }
        }
    }

    @SuppressWarnings('unchecked')
    private void replayWord(String word, List<Object> args) {
        switch (word) {
            case 'description': description((String) args[0]); break
            case 'sql': sql((String) args[0]); break
            case 'sqlFile': sqlFile((String) args[0]); break
            case 'lockTimeout': lockTimeout((String) args[0]); break
            case 'statementTimeout': statementTimeout((String) args[0]); break
            case 'requires': requires(args.toArray(new String[0])); break
            case 'tags': tags(args.toArray(new String[0])); break
            case 'transaction': transaction((Boolean) args[0]); break
            case 'runAlways': runAlways((Boolean) args[0]); break
            case 'retries': retries(args[0]); break
            case 'undo':
                StepDelegate delegate = undoDelegate()
                if (delegate != null) {
                    delegate.replay((List<List<Object>>) args[0])
                    takeUndo(delegate)
                }
                break
            default: throw new IllegalStateException("mig: '${word}' is not a literal step word".toString())
        }
    }

    /** {@code transaction false}: statements run in autocommit (CONCURRENTLY, VACUUM). */
    void transaction(boolean value) {
        if (undoBlock) {
            stepSetting('transaction')
            return
        }
        transactional = value
        transactionTrueAt = value ? here() : null
    }

    void lockTimeout(String value) {
        if (undoBlock) {
            stepSetting('lockTimeout')
            return
        }
        lockTimeout = Durations.check(value, this.&problem)
    }

    /** {@code lockRetryFor '2m'}: how long mig's lock-retry schedule tries this step again (the plan's, else 60s). */
    void lockRetryFor(String value) {
        if (undoBlock) {
            stepSetting('lockRetryFor')
            return
        }
        lockRetryForAt = here()
        lockRetryFor = Durations.check(value, this.&problem)
    }

    void statementTimeout(String value) {
        if (undoBlock) {
            stepSetting('statementTimeout')
            return
        }
        statementTimeout = Durations.check(value, this.&problem)
    }

    /** An undo block runs as its step runs: a setting written inside it would be silently ignored. */
    private void stepSetting(String word) {
        problem("${word} inside undo".toString(), "an undo block runs with its step's ${word}; write it in the step itself")
    }

    /** Try the whole step again, after a rollback and a pause, on 55P03, 40P01 or 40001; not in a step without a transaction. */
    void retries(Object count) {
        retriesAt = here()
        retries = Retries.check(count, this.&problem)
    }

    /** Run on every {@code mig run} (grants, refreshing views). */
    void runAlways(boolean value) { runAlways = value }

    void tags(String... names) { tags.addAll(names) }

    /** {@code lint { allow 'index-not-concurrently' }}: rules mig lint does not report for this step. */
    void lint(@DelegatesTo(value = LintDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (undoBlock) {
            problem('lint inside undo', 'lint { allow ... } belongs to the step itself; mig lint does not read undo blocks')
            return
        }
        LintDelegate delegate = new LintDelegate(context, script, "the lint block of ${blockName()}".toString())
        runBlock(body, delegate)
        for (String rule : delegate.build()) {
            if (!lintAllowed.contains(rule)) {
                lintAllowed.add(rule)
            }
        }
    }

    Step build(int index) {
        if (backfillAt != null) {
            backfillStep()
        }
        if (retries != null && retries > 0 && !transactional && retriesAt != null) {
            context.problem(retriesAt, "retries ${retries} in step '${name}', which has transaction false".toString(),
                    'a step without a transaction is not retried: its statements commit one by one, and a retry would run'
                            + ' again what already committed; run the plan again instead (an interrupted or failed'
                            + ' concurrent index build is repaired first)')
        }
        String why = LockRetryFor.offSchedule(lockTimeout, transactional, backfillAt != null)
        if (lockRetryForAt != null && why != null) {
            context.problem(lockRetryForAt, "lockRetryFor ${lockRetryFor} in step '${name}', ${why}".toString(), LockRetryFor.hint(why))
        }
        String checksum = Checksums.step(guards, cleanup, actions, verify, transactional, recipeUses)
        new Step(name, index, location, description, requires, guards, cleanup, actions, verify, undo,
                transactional, lockTimeout, statementTimeout, retries, runAlways, tags, recipeUses, checksum,
                lintAllowed, insteadOf, lockRetryFor)
    }
}
