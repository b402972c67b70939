package dev.mig.dsl

import dev.mig.model.LintRule
import dev.mig.plan.DslUsage
import dev.mig.plan.LoadContext
import dev.mig.text.DidYouMean
import groovy.transform.CompileStatic

/**
 * The body of a step's {@code lint { allow 'index-not-concurrently' }}: rules {@code mig lint} does
 * not report for this step. A rule name it does not know is a plan problem.
 */
@CompileStatic
class LintDelegate extends DslDelegate {

    static final String ALLOW_USAGE = DslUsage.of('LintDelegate', 'allow')

    private final String blockName
    private final List<String> allowed = []

    LintDelegate(LoadContext context, Script script, String blockName) {
        super(context, script)
        this.blockName = blockName
    }

    @Override
    protected String blockName() { blockName }

    /** Rules not reported for the statements of this step. */
    void allow(String... rules) {
        if (rules.length == 0) {
            problem("allow names no rule in ${blockName}".toString(), "usage: ${ALLOW_USAGE}".toString())
        }
        for (String rule : rules) {
            if (LintRule.named(rule).isPresent()) {
                if (!allowed.contains(rule)) {
                    allowed.add(rule)
                }
                continue
            }
            String hint = DidYouMean.suggest(rule, LintRule.names()).map { String s -> "did you mean '${s}'?".toString() }
                    .orElse("the rules are: ${LintRule.names().join(', ')}".toString())
            problem("unknown lint rule '${rule}' in ${blockName}".toString(), hint)
        }
    }

    List<String> build() { allowed }
}
