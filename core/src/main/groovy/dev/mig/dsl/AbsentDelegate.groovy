package dev.mig.dsl

import dev.mig.model.Expectation
import dev.mig.model.ObjectKind
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code absent { }}: objects that must not exist. */
@CompileStatic
class AbsentDelegate extends DslDelegate {

    final List<Expectation> objects = []

    AbsentDelegate(LoadContext context, Script script) {
        super(context, script)
    }

    @Override
    protected String blockName() { 'absent' }

    void table(String name) { add(ObjectKind.TABLE, name) }

    void view(String name) { add(ObjectKind.VIEW, name) }

    void materializedView(String name) { add(ObjectKind.MATERIALIZED_VIEW, name) }

    void sequence(String name) { add(ObjectKind.SEQUENCE, name) }

    void index(String name) { add(ObjectKind.INDEX, name) }

    void relation(String name) { add(ObjectKind.RELATION, name) }

    void extension(String name) { add(ObjectKind.EXTENSION, name) }

    void function(String name) { add(ObjectKind.FUNCTION, name) }

    void type(String name) { add(ObjectKind.TYPE, name) }

    void schema(String name) { add(ObjectKind.SCHEMA, name) }

    void role(String name) { add(ObjectKind.ROLE, name) }

    void constraint(String name) { add(ObjectKind.CONSTRAINT, name) }

    /** {@code column 'chunks.score'} or {@code column 'kb.chunks.score'}; also {@code column 'chunks', 'score'}. */
    void column(String tableDotColumn) { add(ObjectKind.COLUMN, tableDotColumn) }

    void trigger(String tableDotTrigger) { add(ObjectKind.TRIGGER, tableDotTrigger) }

    void policy(String tableDotPolicy) { add(ObjectKind.POLICY, tableDotPolicy) }

    void enumType(String name) { add(ObjectKind.ENUM_TYPE, name) }

    void column(String table, String column) { validMember('column', table, column); objects.add(new Expectation.Member(ObjectKind.COLUMN, table, column, here())) }

    void trigger(String table, String name) { validMember('trigger', table, name); objects.add(new Expectation.Member(ObjectKind.TRIGGER, table, name, here())) }

    void policy(String table, String name) { validMember('policy', table, name); objects.add(new Expectation.Member(ObjectKind.POLICY, table, name, here())) }

    private void add(ObjectKind kind, String name) {
        validName(kind, kind.label(), name)
        objects.add(new Expectation.Exists(kind, name, here()))
    }
}
