package dev.mig.dsl

import dev.mig.catalog.CatalogView
import dev.mig.model.Count
import dev.mig.model.Expectation
import dev.mig.model.ObjectKind
import dev.mig.model.VerifyBlock
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code verify { }}: every call is an expectation. */
@CompileStatic
class VerifyDelegate extends DslDelegate {

    private final String owner
    private final List<Expectation> expectations = []

    VerifyDelegate(LoadContext context, Script script, String owner) {
        super(context, script)
        this.owner = owner
    }

    @Override
    protected String blockName() { owner }

    void table(String name) { table(name, null) }

    void table(String name, @DelegatesTo(value = TableDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        def at = here()
        validName(ObjectKind.TABLE, 'table', name)
        TableDelegate delegate = new TableDelegate(context, script, name)
        if (body != null) {
            runBlock(body, delegate)
        }
        expectations.add(delegate.build(at))
    }

    void index(String name) { index(name, null) }

    void index(String name, @DelegatesTo(value = IndexDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        def at = here()
        validName(ObjectKind.INDEX, 'index', name)
        IndexDelegate delegate = new IndexDelegate(context, script, name)
        if (body != null) {
            runBlock(body, delegate)
        }
        expectations.add(delegate.build(at))
    }

    void extension(String name) { exists(ObjectKind.EXTENSION, name) }

    /** {@code function 'f'} any overload, or {@code function 'f(int, text)'}. */
    void function(String nameOrSignature) { exists(ObjectKind.FUNCTION, nameOrSignature) }

    void type(String name) { exists(ObjectKind.TYPE, name) }

    void enumType(String name) { exists(ObjectKind.ENUM_TYPE, name) }

    void enumType(String name, @DelegatesTo(value = EnumDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        def at = here()
        validName(ObjectKind.ENUM_TYPE, 'enumType', name)
        EnumDelegate delegate = new EnumDelegate(context, script, name)
        runBlock(body, delegate)
        expectations.add(new Expectation.EnumLabels(name, delegate.labels, at))
    }

    void schema(String name) { exists(ObjectKind.SCHEMA, name) }

    /** {@code schema('kb') { tables 35; views 2; enums 6; functions 12; triggers 12 }}: the schema exists and holds that many. */
    void schema(String name, @DelegatesTo(value = SchemaDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        def at = here()
        validName(ObjectKind.SCHEMA, 'schema', name)
        SchemaDelegate delegate = new SchemaDelegate(context, script, name)
        runBlock(body, delegate)
        expectations.add(new Expectation.Schema(name, delegate.nameSets, at))
    }

    void role(String name) { exists(ObjectKind.ROLE, name) }

    void view(String name) { exists(ObjectKind.VIEW, name) }

    void materializedView(String name) { exists(ObjectKind.MATERIALIZED_VIEW, name) }

    void sequence(String name) { exists(ObjectKind.SEQUENCE, name) }

    void policy(String table, String name) { validMember('policy', table, name); expectations.add(new Expectation.Member(ObjectKind.POLICY, table, name, here())) }

    void trigger(String table, String name) { validMember('trigger', table, name); expectations.add(new Expectation.Member(ObjectKind.TRIGGER, table, name, here())) }

    /** {@code absent { table 'old'; index 'old_idx' }}: none of them may exist. */
    void absent(@DelegatesTo(value = AbsentDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        def at = here()
        AbsentDelegate delegate = new AbsentDelegate(context, script)
        runBlock(body, delegate)
        expectations.add(new Expectation.Absent(delegate.objects, at))
    }

    /** {@code rowCount 'plugins', 2} or {@code rowCount 'plugins', atLeast(1)}. */
    void rowCount(String table, Object count) {
        def at = here()
        validName(ObjectKind.TABLE, 'rowCount', table)
        Count expected = toCount(count, 'rowCount')
        if (expected != null) {
            expectations.add(new Expectation.RowCount(table, expected, at))
        }
    }

    /** {@code expect('every user has an email') { value('select count(*) from users where email is null') == 0 }}. */
    void expect(String message, @DelegatesTo(value = CatalogView, strategy = Closure.DELEGATE_FIRST) Closure<?> condition) {
        expectations.add(new Expectation.Condition(message, condition, here()))
    }

    private void exists(ObjectKind kind, String name) {
        validName(kind, kind.label(), name)
        expectations.add(new Expectation.Exists(kind, name, here()))
    }

    VerifyBlock build(String source) {
        new VerifyBlock(expectations, source)
    }
}
