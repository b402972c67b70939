package dev.mig.lint;

import dev.mig.api.SourceLocation;
import dev.mig.model.LintRule;

import java.util.List;

/**
 * What lint found in a plan: the findings in plan order ({@link Finding#allowed()} ones included),
 * the steps it did not read because the target has applied them already, the groovy blocks it
 * cannot read, and the rules it could not check (access-exclusive-lock without a target).
 */
public record LintResult(List<Finding> findings, List<String> appliedSteps, List<SourceLocation> groovyBlocks,
                         List<LintRule> notChecked) {

    public LintResult {
        findings = List.copyOf(findings);
        appliedSteps = List.copyOf(appliedSteps);
        groovyBlocks = List.copyOf(groovyBlocks);
        notChecked = List.copyOf(notChecked);
    }

    /** The findings that count: those no {@code lint { allow }} covers. */
    public List<Finding> reported() {
        return findings.stream().filter(f -> !f.allowed()).toList();
    }

    public List<Finding> allowed() {
        return findings.stream().filter(Finding::allowed).toList();
    }
}
