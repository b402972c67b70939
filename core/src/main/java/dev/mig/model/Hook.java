package dev.mig.model;

import dev.mig.api.SourceLocation;

import java.util.List;

/**
 * A plan-level callback: SQL or groovy a run executes at a fixed point, outside every step.
 *
 * @param when          which point ({@link When})
 * @param actions       its {@code sql}, {@code sqlFile} and {@code groovy} blocks, in order
 * @param transactional false for {@code transaction false} (VACUUM, REFRESH ... CONCURRENTLY of many views)
 * @param location      where the plan declares it
 */
public record Hook(When when, List<Action> actions, boolean transactional, SourceLocation location) {

    public Hook {
        actions = List.copyOf(actions);
    }

    /** The points of a run a hook can run at, by their DSL words. */
    public enum When {
        /** Once the lock is held and the journal read, before the first step. */
        BEFORE_RUN("beforeRun"),
        /** After each step this run applied, once the step committed. */
        AFTER_STEP("afterStep"),
        /** After every step and the plan-level verify succeeded (also when nothing was pending). */
        AFTER_RUN("afterRun"),
        /** After a step, a hook or the plan-level verify failed. */
        ON_FAILURE("onFailure");

        private final String word;

        When(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }
}
