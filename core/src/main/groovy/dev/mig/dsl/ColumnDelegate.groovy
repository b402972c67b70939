package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.model.Expectation
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code column('c') { }}: null properties are not checked. */
@CompileStatic
class ColumnDelegate extends DslDelegate {

    private final String table
    private final String name
    private String type
    private Boolean notNull
    private String defaultValue

    ColumnDelegate(LoadContext context, Script script, String table, String name) {
        super(context, script)
        this.table = table
        this.name = name
    }

    @Override
    protected String blockName() { "column '${name}' of table '${table}'" }

    /** The type as PostgreSQL prints it, or a common alias: 'text', 'varchar(20)', 'timestamptz'. */
    void type(String value) { type = value }

    void notNull(boolean value) { notNull = value }

    /** The default expression as PostgreSQL prints it, e.g. "now()". */
    void defaultValue(String value) { defaultValue = value }

    Expectation.ColumnSpec build(SourceLocation at) {
        new Expectation.ColumnSpec(name, type, notNull, defaultValue, at)
    }
}
