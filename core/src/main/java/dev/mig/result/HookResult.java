package dev.mig.result;

import dev.mig.model.Hook;

import java.util.List;

/**
 * What a plan-level hook did in a run.
 *
 * @param hook       the hook
 * @param afterStep  for {@code afterStep}: the step it followed; null for the others
 * @param durationMs how long it took
 * @param failure    why it failed (its statement, line, SQL State); null when it succeeded
 * @param notices    the server's notices and warnings it raised
 */
public record HookResult(Hook hook, String afterStep, long durationMs, StepFailure failure, List<String> notices) {

    public HookResult {
        notices = List.copyOf(notices);
    }

    public boolean failed() {
        return failure != null;
    }

    /** {@code afterStep (after 'create users')}, {@code afterRun}: how output names it. */
    public String label() {
        return hook.when().word() + (afterStep == null ? "" : " (after '" + afterStep + "')");
    }
}
