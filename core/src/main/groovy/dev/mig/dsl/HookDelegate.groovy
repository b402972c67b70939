package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.catalog.CatalogView
import dev.mig.model.Action
import dev.mig.model.Hook
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic
import groovy.transform.stc.ClosureParams
import groovy.transform.stc.SimpleType

/** The body of a plan-level hook: {@code afterRun { sql 'REFRESH MATERIALIZED VIEW report' }}. */
@CompileStatic
class HookDelegate extends DslDelegate {

    private final Hook.When when
    private final SourceLocation location
    private final List<Action> actions = []
    private boolean transactional = true

    HookDelegate(LoadContext context, Script script, Hook.When when, SourceLocation location) {
        super(context, script)
        this.when = when
        this.location = location
    }

    @Override
    protected String blockName() { when.word() }

    /** One or more SQL statements; lines of errors count from this call's line. */
    void sql(String text) { addSql(actions, text) }

    /** SQL from a file relative to the plan file; errors point at that file's lines. */
    void sqlFile(String path) { addSqlFile(actions, path) }

    /** Code; {@code db} is a groovy.sql.Sql on the run's connection, in the hook's transaction. */
    void groovy(@DelegatesTo(value = CatalogView, strategy = Closure.DELEGATE_FIRST)
                @ClosureParams(value = SimpleType, options = 'groovy.sql.Sql') Closure<?> body) { addCode(actions, body) }

    /** {@code transaction false}: the hook's statements run in autocommit (VACUUM). */
    void transaction(boolean value) { transactional = value }

    Hook build() {
        if (actions.isEmpty()) {
            context.problem(location, "${when.word()} { } does nothing".toString(), "give it sql '...', sqlFile '...' or groovy { db -> ... }")
        }
        new Hook(when, actions, transactional, location)
    }
}
