package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.catalog.Identifiers
import dev.mig.plan.DslUsage
import dev.mig.plan.LoadContext
import dev.mig.plan.ScriptCompiler
import groovy.transform.CompileStatic

import java.lang.reflect.Method
import java.lang.reflect.Modifier

/**
 * What plan files and recipe files both say at their top: {@code use} to load recipe files,
 * {@code recipe} to define one, and {@code ident} to quote names for SQL.
 */
@CompileStatic
abstract class MigScript extends Script {

    protected LoadContext loadContext() {
        (LoadContext) binding.getVariable(LoadContext.BINDING_NAME)
    }

    /**
     * {@code use 'recipes/cleanup.groovy'} (relative to this file) or {@code use 'classpath:mig/recipes/catalog.groovy'}.
     * Plans write {@code use}; the compiler renames it to this word (see ScriptCompiler.USE_WORD).
     */
    void useRecipes(String file) {
        useRecipes([:], file)
    }

    /** {@code use 'x.groovy', version: '1.2'}: the file must declare version 1.2 or 1.2.x. */
    void useRecipes(Map<String, Object> options, String file) {
        LoadContext context = loadContext()
        context.recipes().useAtTop(file, options, context.callerLocation())
    }

    /** {@code recipe('clear name') { String name -> dropConstraintNamed name }}. */
    void recipe(String name, @DelegatesTo(value = DslDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        recipe([:], name, body)
    }

    /** {@code recipe('clear name', description: 'what it does') { String name -> ... }}. */
    void recipe(Map<String, Object> options, String name,
                @DelegatesTo(value = DslDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        LoadContext context = loadContext()
        context.recipes().define(name, options, body, context.callerLocation())
    }

    /**
     * A name quoted for SQL, the one way names enter statements: {@code ident('chunks')} gives
     * {@code "chunks"}. Usable everywhere in plans and recipes, guards and groovy blocks included.
     */
    String ident(String name) {
        Identifiers.quote(name)
    }

    /** {@code ident('kb', 'chunks')} gives {@code "kb"."chunks"}. */
    String ident(String schema, String name) {
        Identifiers.qualified(schema, name)
    }

    /** {@code ident()} names nothing; without this overload Groovy could not choose between the two above. */
    String ident() {
        (String) wrongArguments('ident', new Object[0])
    }

    /** The simple name of the base class, which names this file's top level in {@link DslUsage}'s table. */
    protected abstract String topLevel()

    /** "the plan file" or "the recipe file", for messages. */
    protected abstract String fileKind()

    /**
     * A word of the top of the file called with arguments it does not take ({@code plan('x')} without
     * its block, {@code recipe 'x'}) is a plan error with the word's usage; any other name goes on
     * as Groovy's MissingMethodException, which the loader reports as an unknown element.
     */
    Object methodMissing(String name, Object args) {
        Object[] argv = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        String word = name == ScriptCompiler.USE_WORD ? 'use' : name
        if (!words(getClass()).contains(word)) {
            throw new MissingMethodException(name, getClass(), argv)
        }
        wrongArguments(word, argv)
    }

    private Object wrongArguments(String word, Object[] argv) {
        // ident works in every block; the other words belong to the top of the file
        String where = word == 'ident' ? '' : " at the top of ${fileKind()}"
        String message = "wrong arguments for ${word}${where}: (${DslUsage.arguments(argv)})".toString()
        String hint = DslUsage.hint(topLevel(), word)
        LoadContext context = loadContext()
        if (context.loaded()) {
            // called from a guard, expect or groovy block while the plan runs: no plan check to report to
            throw new IllegalStateException(message + (hint == null ? '' : "; ${hint}".toString()))
        }
        SourceLocation at = context.callerLocation()
        context.problem(at, message, hint)
        return null
    }

    /** The words of a plan's or recipe file's top level: the public methods mig's script base classes declare. */
    static Set<String> words(Class<?> script) {
        Set<String> names = new TreeSet<>()
        for (Method m : script.getMethods()) {
            if (Modifier.isPublic(m.modifiers) && !Modifier.isStatic(m.modifiers) && MigScript.isAssignableFrom(m.declaringClass)
                    && m.declaringClass.name.startsWith('dev.mig.dsl.') && !m.name.contains('$') && m.name != 'methodMissing'
                    && m.name != 'run') {
                names.add(m.name == ScriptCompiler.USE_WORD ? 'use' : m.name)
            }
        }
        names
    }
}
