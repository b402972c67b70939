package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/** The base class of every plan file: its one word is {@code plan('name') { ... }}. */
@CompileStatic
abstract class PlanScript extends Script {

    void plan(String name, @DelegatesTo(value = PlanDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        LoadContext context = (LoadContext) binding.getVariable(LoadContext.BINDING_NAME)
        SourceLocation at = context.callerLocation()
        if (name == null || name.trim().isEmpty()) {
            context.problem(at, 'the plan needs a name', "plan('my-app') { ... }: the name keys the journal")
        }
        PlanDelegate delegate = new PlanDelegate(context, this, name ?: '', at)
        DslDelegate.runBlock(body, delegate)
        context.definePlan(delegate.build(), at)
    }
}
