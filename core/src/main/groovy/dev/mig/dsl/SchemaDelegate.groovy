package dev.mig.dsl

import dev.mig.model.Expectation
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/**
 * The body of {@code schema('kb') { tables 35; enums 6 }} in a verify block: how many objects of
 * each kind the schema holds ({@code 35}, {@code atLeast(3)}), or exactly which ({@code enums
 * 'status', 'kind'}). Objects that belong to an extension are not counted (catalog.SchemaContents).
 */
@CompileStatic
class SchemaDelegate extends DslDelegate {

    private final String name
    final List<Expectation.NameSet> nameSets = []

    SchemaDelegate(LoadContext context, Script script, String name) {
        super(context, script)
        this.name = name
    }

    @Override
    protected String blockName() { "schema '${name}'" }

    /** {@code tables n}, {@code atLeast(n)} or names: ordinary and partitioned tables, partitions included. */
    void tables(Object count) { add('tables', count) }

    void tables(String... names) { addNames('tables', names) }

    void views(Object count) { add('views', count) }

    void views(String... names) { addNames('views', names) }

    void materializedViews(Object count) { add('materializedViews', count) }

    void materializedViews(String... names) { addNames('materializedViews', names) }

    void foreignTables(Object count) { add('foreignTables', count) }

    void foreignTables(String... names) { addNames('foreignTables', names) }

    /** {@code sequences n}, {@code atLeast(n)} or names: serial and identity ones included. */
    void sequences(Object count) { add('sequences', count) }

    void sequences(String... names) { addNames('sequences', names) }

    /** {@code indexes n}, {@code atLeast(n)} or names: constraint indexes included. */
    void indexes(Object count) { add('indexes', count) }

    void indexes(String... names) { addNames('indexes', names) }

    void enums(Object count) { add('enums', count) }

    void enums(String... names) { addNames('enums', names) }

    void domains(Object count) { add('domains', count) }

    void domains(String... names) { addNames('domains', names) }

    void compositeTypes(Object count) { add('compositeTypes', count) }

    void compositeTypes(String... names) { addNames('compositeTypes', names) }

    void rangeTypes(Object count) { add('rangeTypes', count) }

    void rangeTypes(String... names) { addNames('rangeTypes', names) }

    /** {@code functions n}, {@code atLeast(n)} or names: named {@code f(int, text)}; {@code 'f'} matches any overload. */
    void functions(Object count) { add('functions', count) }

    void functions(String... names) { addNames('functions', names) }

    void procedures(Object count) { add('procedures', count) }

    void procedures(String... names) { addNames('procedures', names) }

    void aggregates(Object count) { add('aggregates', count) }

    void aggregates(String... names) { addNames('aggregates', names) }

    /** {@code triggers n}, {@code atLeast(n)} or names: named {@code table.trigger}, or just the trigger. */
    void triggers(Object count) { add('triggers', count) }

    void triggers(String... names) { addNames('triggers', names) }

    /** {@code policies n}, {@code atLeast(n)} or names: named {@code table.policy}, or just the policy. */
    void policies(Object count) { add('policies', count) }

    void policies(String... names) { addNames('policies', names) }

    private void add(String kind, Object count) { addTo(nameSets, countSet(kind, count)) }

    private void addNames(String kind, String[] names) { addTo(nameSets, namesSet(kind, names)) }
}
