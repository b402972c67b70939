package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.model.Count
import dev.mig.model.Expectation
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code table('t') { }} in a verify block. */
@CompileStatic
class TableDelegate extends DslDelegate {

    private final String name
    private Count columns
    private Count indexes
    private final Map<String, Expectation.ColumnSpec> columnSpecs = new LinkedHashMap<>()

    TableDelegate(LoadContext context, Script script, String name) {
        super(context, script)
        this.name = name
    }

    @Override
    protected String blockName() { "table '${name}'" }

    /** {@code columns 12} or {@code columns atLeast(3)}. */
    void columns(Object count) { columns = toCount(count, 'columns') }

    void column(String name) { this.column(name, (Closure<?>) null) }

    void column(String column, @DelegatesTo(value = ColumnDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        SourceLocation at = here()
        ColumnDelegate delegate = new ColumnDelegate(context, script, name, column)
        if (body != null) {
            runBlock(body, delegate)
        }
        columnSpecs.put(column, delegate.build(at))
    }

    /** {@code indexes 3} or {@code indexes atLeast(2)}, counting every index of the table. */
    void indexes(Object count) { indexes = toCount(count, 'indexes') }

    Expectation.Table build(SourceLocation at) {
        new Expectation.Table(name, columns, columnSpecs, indexes, at)
    }
}
