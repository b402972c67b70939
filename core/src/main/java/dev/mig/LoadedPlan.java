package dev.mig;

import dev.mig.model.Plan;
import dev.mig.model.Step;

import java.util.List;

/** A plan that compiled and validated: ready to run, any number of times, on any targets. */
public final class LoadedPlan {

    private final Plan plan;

    LoadedPlan(Plan plan) {
        this.plan = plan;
    }

    public String name() {
        return plan.name();
    }

    /** The steps' names in plan order. */
    public List<String> stepNames() {
        return plan.steps().stream().map(Step::name).toList();
    }

    /** A runner with the defaults of {@code mig run}: journal schema {@code mig}, lock wait 60 s, silent. */
    public MigRunner runner() {
        return new MigRunner(plan);
    }

    /** The plan's model, as mig's own commands use it. Not a stable API: prefer the methods above. */
    public Plan model() {
        return plan;
    }
}
