package dev.mig.dsl

import dev.mig.api.SourceLocation
import dev.mig.plan.LoadContext
import groovy.transform.CompileStatic

/**
 * The base class of every plan file: its word is {@code plan('name') { ... }}, after any
 * {@code use} of recipe files and recipes of its own.
 */
@CompileStatic
abstract class PlanScript extends MigScript {

    void plan(String name, @DelegatesTo(value = PlanDelegate, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        LoadContext context = loadContext()
        SourceLocation at = context.callerLocation()
        if (name == null || name.trim().isEmpty()) {
            context.problem(at, 'the plan needs a name', "plan('my-app') { ... }: the name keys the journal")
        }
        PlanDelegate delegate = new PlanDelegate(context, this, name ?: '', at)
        context.enterPlanBlock()
        try {
            DslDelegate.runBlock(body, delegate)
        } finally {
            context.leavePlanBlock()
        }
        context.definePlan(delegate.build(), at)
    }

    @Override
    protected String topLevel() { 'PlanScript' }

    @Override
    protected String fileKind() { 'the plan file' }
}
