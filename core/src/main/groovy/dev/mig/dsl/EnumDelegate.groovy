package dev.mig.dsl

import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The body of {@code enumType('e') { labels 'a', 'b' }}. */
@CompileStatic
class EnumDelegate extends DslDelegate {

    private final String name
    List<String> labels

    EnumDelegate(LoadContext context, Script script, String name) {
        super(context, script)
        this.name = name
    }

    @Override
    protected String blockName() { "enum type '${name}'" }

    /** The labels, in order. */
    void labels(String... values) { labels = values.toList() }
}
