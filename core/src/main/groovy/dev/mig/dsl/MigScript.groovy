package dev.mig.dsl

import dev.mig.catalog.Identifiers
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

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
}
