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
    private List<String> columns
    private Boolean partial

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

    /** The key columns in index order; an index with an expression key never matches. */
    void columns(String... names) {
        if (names.length == 0) {
            problem('columns needs at least one column', "columns 'tenant_id', 'created_at'")
            return
        }
        columns = names.toList()
    }

    /** {@code partial true}: the index has a WHERE clause. */
    void partial(boolean value) { partial = value }

    Expectation.Index build(SourceLocation at) {
        new Expectation.Index(name, unique, valid, method, table, columns, partial, at)
    }
}
