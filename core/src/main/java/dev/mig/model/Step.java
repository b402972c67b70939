package dev.mig.model;

import dev.mig.api.SourceLocation;

import java.util.List;
import java.util.Set;

/**
 * One named step. {@code actions} run in order (SQL text, SQL files, Groovy code);
 * {@code recipes} are the recipes applied in it; {@code checksum} covers everything the step
 * would run, normalised. {@code retries} is null when the step takes the plan's; {@code lintAllowed}
 * names the rules {@code mig lint} does not report for it (not in the checksum: it changes nothing
 * the step does). {@code insteadOf} names the earlier step this one stands in for: it runs only
 * where that one was skipped by its guard (null for most steps; it is also in {@code requires}).
 * {@code lockRetryFor} is how long mig's lock-retry schedule tries the step again (null: the plan's).
 */
public record Step(String name,
                   int index,
                   SourceLocation location,
                   String description,
                   List<String> requires,
                   List<Guard> guards,
                   List<Action> cleanup,
                   List<Action> actions,
                   VerifyBlock verify,
                   List<Action> undo,
                   boolean transactional,
                   String lockTimeout,
                   String statementTimeout,
                   Integer retries,
                   boolean runAlways,
                   Set<String> tags,
                   List<RecipeUse> recipes,
                   String checksum,
                   List<String> lintAllowed,
                   String insteadOf,
                   String lockRetryFor) {

    public Step {
        requires = List.copyOf(requires);
        guards = List.copyOf(guards);
        cleanup = List.copyOf(cleanup);
        actions = List.copyOf(actions);
        undo = List.copyOf(undo);
        tags = Set.copyOf(tags);
        recipes = List.copyOf(recipes);
        lintAllowed = List.copyOf(lintAllowed);
    }

    /** A step that stands in for none. */
    public Step(String name, int index, SourceLocation location, String description, List<String> requires,
                List<Guard> guards, List<Action> cleanup, List<Action> actions, VerifyBlock verify, List<Action> undo,
                boolean transactional, String lockTimeout, String statementTimeout, Integer retries, boolean runAlways,
                Set<String> tags, List<RecipeUse> recipes, String checksum, List<String> lintAllowed) {
        this(name, index, location, description, requires, guards, cleanup, actions, verify, undo, transactional,
                lockTimeout, statementTimeout, retries, runAlways, tags, recipes, checksum, lintAllowed, null, null);
    }

    /** A step with mig's lock-retry schedule as long as the plan's. */
    public Step(String name, int index, SourceLocation location, String description, List<String> requires,
                List<Guard> guards, List<Action> cleanup, List<Action> actions, VerifyBlock verify, List<Action> undo,
                boolean transactional, String lockTimeout, String statementTimeout, Integer retries, boolean runAlways,
                Set<String> tags, List<RecipeUse> recipes, String checksum, List<String> lintAllowed, String insteadOf) {
        this(name, index, location, description, requires, guards, cleanup, actions, verify, undo, transactional,
                lockTimeout, statementTimeout, retries, runAlways, tags, recipes, checksum, lintAllowed, insteadOf, null);
    }

    /** This step with other guards: what a run asks when it decides for a step that stands in for another. */
    public Step withGuards(List<Guard> replaced) {
        return new Step(name, index, location, description, requires, replaced, cleanup, actions, verify, undo, transactional,
                lockTimeout, statementTimeout, retries, runAlways, tags, recipes, checksum, lintAllowed, insteadOf, lockRetryFor);
    }

    /**
     * How often the step is tried again after a lock timeout, deadlock or serialization failure:
     * its own {@code retries}, else the plan's; never for a step without a transaction.
     */
    public int retriesWith(PlanSettings settings) {
        if (!transactional) {
            return 0;
        }
        return retries != null ? retries : settings.retries();
    }

    public boolean hasUndo() {
        return !undo.isEmpty();
    }
}
