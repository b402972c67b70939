package dev.mig.dsl

import groovy.transform.CompileStatic

/**
 * The base class of every recipe file: {@code version '1.2'}, {@code use 'other.groovy'} and
 * {@code recipe('name') { params -> ... }} definitions. A recipe's body is a group of cleanup
 * actions or step elements, run with the delegate of the block that applies it.
 */
@CompileStatic
abstract class RecipeScript extends MigScript {

    /** The version of this file, which a plan may pin: {@code use 'x.groovy', version: '1.2'}. */
    void version(String value) {
        def context = loadContext()
        context.recipes().version(value, context.callerLocation())
    }

    @Override
    protected String topLevel() { 'RecipeScript' }

    @Override
    protected String fileKind() { 'the recipe file' }
}
