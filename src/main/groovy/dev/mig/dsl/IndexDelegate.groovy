package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.model.Expectation
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code index('i') { }}: null properties are not checked. */
@CompileStatic
class IndexDelegate extends DslDelegate {

    private final String name
    private Boolean unique
    private Boolean valid
    private String method
    private String table

    IndexDelegate(LoadContext context, Script script, String name) {
        super(context, script)
        this.name = name
    }

    @Override
    protected String blockName() { "index '${name}'" }

    void unique(boolean value) { unique = value }

    void valid(boolean value) { valid = value }

    /** The access method: btree, gin, gist, hash, brin, hnsw, ... */
    void method(String value) { method = value }

    /** The table the index is on. */
    void on(String value) { table = value }

    Expectation.Index build(SourceLocation at) {
        new Expectation.Index(name, unique, valid, method, table, at)
    }
}
