package dev.mig.plan;

import dev.mig.model.Guard;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.text.DidYouMean;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks what the DSL cannot see one call at a time: names, order of requirements. */
final class PlanValidator {

    private final LoadContext context;

    PlanValidator(LoadContext context) {
        this.context = context;
    }

    void validate(Plan plan) {
        Map<String, Step> firstByName = new HashMap<>();
        for (Step step : plan.steps()) {
            Step earlier = firstByName.putIfAbsent(step.name(), step);
            if (earlier != null) {
                context.problem(step.location(), "duplicate step name '" + step.name() + "' (first defined at line "
                        + earlier.location().line() + ")", "step names identify steps in the journal: give each a unique name");
            }
        }
        List<String> names = plan.steps().stream().map(Step::name).toList();
        for (Step step : plan.steps()) {
            for (String required : step.requires()) {
                Step target = firstByName.get(required);
                if (target == null) {
                    String hint = DidYouMean.suggest(required, names).map(s -> "did you mean '" + s + "'?")
                            .orElse("requires names earlier steps of this plan");
                    context.problem(step.location(), "step '" + step.name() + "' requires unknown step '" + required + "'", hint);
                } else if (target == step) {
                    context.problem(step.location(), "step '" + step.name() + "' requires itself", "remove it from requires");
                } else if (target.index() > step.index()) {
                    context.problem(step.location(), "step '" + step.name() + "' requires '" + required
                            + "', which comes later (line " + target.location().line() + ")",
                            "steps run in file order: move '" + required + "' above '" + step.name() + "'");
                }
            }
            Step replaced = step.insteadOf() == null ? null : firstByName.get(step.insteadOf());
            if (replaced != null && replaced != step && replaced.guards().stream().noneMatch(g -> g.onFalse() == Guard.OnFalse.SKIP)) {
                context.problem(step.location(), "step '" + step.name() + "' is insteadOf '" + replaced.name()
                                + "', which has no guard that skips it: this step would never run",
                        "give '" + replaced.name() + "' the guard that says where it cannot run, e.g. guard { extension('vector').available }");
            }
        }
    }
}
