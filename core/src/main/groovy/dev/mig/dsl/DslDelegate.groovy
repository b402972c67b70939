package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.model.Action
import dev.mig.model.Count
import dev.mig.model.Expectation
import dev.mig.model.ObjectKind
import dev.mig.model.RecipeUse
import dev.mig.plan.CatalogNames
import dev.mig.plan.DslUsage
import dev.mig.plan.LoadContext
import dev.mig.plan.ScriptCompiler
import dev.mig.text.DidYouMean
import groovy.transform.CompileStatic

import java.lang.reflect.Method
import java.lang.reflect.Modifier

/**
 * Base of every DSL delegate. Delegates only record: they build model records and never touch
 * a database. A name a delegate does not know becomes a located plan problem with a
 * "did you mean" suggestion, unless the plan script itself defines it (a helper method or a
 * binding variable), so plan-level helpers stay usable inside every block (DELEGATE_FIRST).
 */
@CompileStatic
abstract class DslDelegate {

    protected final LoadContext context
    protected final Script script
    /** The recipes applied in this block, in order (the step's checksum covers their arguments). */
    protected final List<RecipeUse> recipeUses = []

    protected DslDelegate(LoadContext context, Script script) {
        this.context = context
        this.script = script
    }

    /** The word used in messages for this block, e.g. "step 'create chunks'". */
    protected abstract String blockName()

    protected SourceLocation here() {
        context.callerLocation()
    }

    /** {@code sql 'text'} (a step's body, its undo, a hook): one or more statements, errors counting lines from the call. */
    protected void addSql(List<Action> into, String text) {
        SourceLocation at = here()
        if (text == null || text.trim().isEmpty()) {
            problem("sql '' is empty", "give the statements to run, or remove the line")
            return
        }
        into.add(new Action.Sql(text, null, at))
    }

    /** {@code sqlFile 'path'}: SQL from a file relative to the plan file; errors point at that file's lines. */
    protected void addSqlFile(List<Action> into, String path) {
        SourceLocation at = here()
        LoadContext.SqlFile file = context.readRelative(path, at)
        if (file != null) {
            into.add(new Action.Sql(file.text(), file.path(), at))
        }
    }

    /** {@code groovy { db -> }}: code run with a groovy.sql.Sql on the connection, in the block's transaction. */
    protected void addCode(List<Action> into, @DelegatesTo(value = dev.mig.catalog.CatalogView, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        SourceLocation at = here()
        into.add(new Action.Code(body, context.closureSource('groovy', at), at))
    }

    protected void problem(String message, String hint = null) {
        if (context.loaded()) {
            // a block that runs against the database (a guard) reached this delegate through its
            // owner: there is no plan check left to report to, and returning null would surface as
            // a NullPointerException in the plan's code
            throw new IllegalStateException(message + (hint == null ? '' : "; ${hint}") + ' (mig check finds this before anything runs)')
        }
        context.problem(here(), message, hint)
    }

    /** The name check the catalog applies at run time, applied now: {@code table 'a.b.c'} is a plan error. */
    protected boolean validName(ObjectKind kind, String word, String name) {
        Optional<String> wrong = CatalogNames.problem(kind, name)
        wrong.ifPresent { String m -> problem("${word}: ${m}".toString(), NAME_HINT) }
        !wrong.isPresent()
    }

    protected boolean validMember(String word, String table, String member) {
        validName(ObjectKind.TABLE, word, table) && validName(ObjectKind.SCHEMA, word, member)
    }

    static final String NAME_HINT = 'names are written as SQL writes them: name, schema.name, "Quoted Name"'

    /** {@code atLeast(3)} wherever a count is expected. */
    Count atLeast(long n) {
        Count.atLeast(n)
    }

    /** {@code tables 35}, {@code foreignKeys atLeast(1)}, or one name as text: null (a plan problem) otherwise. */
    protected Expectation.NameSet countSet(String kind, Object count) {
        if (count instanceof CharSequence) {
            return namesSet(kind, [count.toString()] as String[])
        }
        Count n = toCount(count, kind)
        n == null ? null : new Expectation.NameSet(kind, n, null, null)
    }

    /** {@code policies 'a', 'b'}: exactly these; null (a plan problem) for none. */
    protected Expectation.NameSet namesSet(String kind, String[] names) {
        if (names.length == 0) {
            problem("${kind} needs a number, atLeast(n) or names".toString(), "${kind} 2  or  ${kind} 'a', 'b'".toString())
            return null
        }
        new Expectation.NameSet(kind, null, names.toList(), null)
    }

    protected static void addTo(List<Expectation.NameSet> into, Expectation.NameSet set) {
        if (set != null) {
            into.add(set)
        }
    }

    protected Count toCount(Object value, String what) {
        if (value instanceof Count) {
            return (Count) value
        }
        if (value instanceof Number) {
            return Count.exactly(((Number) value).longValue())
        }
        problem("${what} expects a number or atLeast(n), got ${value}".toString())
        return null
    }

    static final String APPLY_USAGE = DslUsage.APPLY

    /** {@code apply 'recipe', args...} in a block that takes recipes: the recipe's body runs with this delegate. */
    protected void applyRecipe(String recipe, Object[] args, boolean inUndo) {
        context.recipes().apply(this, recipe, args, here(), recipeUses, inUndo)
    }

    protected void namedRecipeArguments(String recipe) {
        problem("apply '${recipe}' with named arguments".toString(),
                "recipe arguments are positional, in the order the recipe declares them: apply '${recipe}', 'first', 'second'".toString())
    }

    /**
     * {@code use} belongs at the top of a file or directly in {@code plan { }}, not in other blocks
     * (plans write {@code use}; the compiler renames it to this word, see ScriptCompiler.USE_WORD).
     */
    void useRecipes(String file) {
        problem("use '${file}' inside ${blockName()}".toString(),
                'use belongs at the top of a file or directly in plan { }, before the steps that apply its recipes')
    }

    void useRecipes(Map<String, Object> options, String file) {
        useRecipes(file)
    }

    /** Runs a nested block with {@code delegate} and DELEGATE_FIRST, as declared by @DelegatesTo. */
    protected static void runBlock(@DelegatesTo(strategy = Closure.DELEGATE_FIRST) Closure<?> body, Object delegate) {
        Closure<?> copy = (Closure<?>) body.clone()
        copy.resolveStrategy = Closure.DELEGATE_FIRST
        copy.delegate = delegate
        copy.call()
    }

    Object methodMissing(String name, Object args) {
        Object[] argv = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        if (script.metaClass.respondsTo(script, name, argv)) {
            return script.invokeMethod(name, argv)
        }
        if (script.binding.hasVariable(name) && script.binding.getVariable(name) instanceof Closure) {
            // through the metaclass, which spreads argv over the closure's parameters: a statically
            // compiled call(argv) handed the whole array to the first parameter
            return ((Closure<?>) script.binding.getVariable(name)).invokeMethod('call', argv)
        }
        String word = name == ScriptCompiler.USE_WORD ? 'use' : name
        if (word == 'use') {
            problem("wrong arguments for use in ${blockName()}: (${DslUsage.arguments(argv)})".toString(),
                    DslUsage.hint('PlanScript', 'use'))
            return null
        }
        if (knownElements().contains(word)) {
            problem("wrong arguments for ${word} in ${blockName()}: (${DslUsage.arguments(argv)})".toString(), usage(word))
            return null
        }
        String hint = DidYouMean.suggest(word, knownElements()).map { String s -> "did you mean '${s}'?".toString() }
                .orElse("known here: ${knownElements().sort().join(', ')}".toString())
        problem("unknown element '${word}' in ${blockName()}".toString(), hint)
        return null
    }

    /** {@code usage: ...} for a DSL word of this block, the hint when it is called with the wrong arguments (DslUsage's table). */
    protected String usage(String element) {
        DslUsage.hint(getClass().simpleName, element)
    }

    Object propertyMissing(String name) {
        if (script.binding.hasVariable(name)) {
            return script.binding.getVariable(name)
        }
        if (script.metaClass.hasProperty(script, name) != null) {
            return script.getProperty(name)   // an @Field of the plan file
        }
        String hint = DidYouMean.suggest(name, knownElements()).map { String s -> "did you mean '${s}'?".toString() }
                .orElse("a bare word is read as a name; quote text like 'this', or define the name with def")
        if (inGString(name)) {
            hint = 'Groovy replaced ${' + name + '} in a "..." string before mig saw it: write SQL with placeholders' +
                    " in '...' or triple single quotes, so that mig replaces them (docs/DSL.md, Placeholders)"
        }
        problem("unknown name '${name}' in ${blockName()}".toString(), hint)
        return null
    }

    /** Whether the plan line being run writes ${name} (or ${prefix:name}): a placeholder Groovy read as code. */
    private boolean inGString(String name) {
        try {
            SourceLocation at = here()
            if (at.file() == null || at.line() < 1 || !java.nio.file.Files.isRegularFile(at.file())) {
                return false
            }
            List<String> lines = java.nio.file.Files.readAllLines(at.file())
            String pattern = '\\$\\{\\s*(\\w+\\s*:\\s*)?' + java.util.regex.Pattern.quote(name) + '\\b'
            return at.line() <= lines.size() && java.util.regex.Pattern.compile(pattern).matcher(lines[at.line() - 1]).find()
        } catch (IOException | RuntimeException ignored) {
            return false
        }
    }

    /** The DSL words of this block: its public methods, minus the plumbing. */
    protected Collection<String> knownElements() {
        words(getClass())
    }

    /**
     * The DSL words of a block's delegate class: its public methods, minus the plumbing, Groovy's own
     * and property accessors; {@code useRecipes} is the word {@code use} (where the block declares it).
     */
    static Set<String> words(Class<?> delegate) {
        Set<String> names = new TreeSet<>()
        for (Method m : delegate.getMethods()) {
            if (Modifier.isPublic(m.modifiers) && !Modifier.isStatic(m.modifiers) && m.declaringClass != Object
                    && !m.declaringClass.name.startsWith('groovy.') && !m.name.contains('$') && !(m.name in PLUMBING)
                    && !(m.name ==~ /(get|set|is)[A-Z].*/)
                    && !(m.declaringClass == DslDelegate && m.name == ScriptCompiler.USE_WORD)) {
                names.add(m.name == ScriptCompiler.USE_WORD ? 'use' : m.name)
            }
        }
        names
    }

    private static final Set<String> PLUMBING = ['methodMissing', 'propertyMissing', 'getMetaClass', 'setMetaClass',
                                                 'invokeMethod', 'getProperty', 'setProperty', 'build', 'recipeUses'] as Set<String>
}
