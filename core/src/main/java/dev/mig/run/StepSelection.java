package dev.mig.run;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.SelectedSteps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The selection options of {@code mig run}, {@code plan} and {@code baseline}: {@code --tags}
 * (empty: every step), {@code --until} (null: to the end), {@code --skip-tags}, and
 * {@code --[no-]with-requires}. Which steps they take depends on the database (a requirement
 * already applied need not be taken), so {@link #resolve} reads the journal's rows.
 */
public record StepSelection(Set<String> tags, Set<String> skipTags, String until, boolean withRequires) {

    public static final StepSelection EVERY_STEP = new StepSelection(Set.of(), Set.of(), null, true);

    public StepSelection {
        tags = tags == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(tags));
        skipTags = skipTags == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(skipTags));
        for (String tag : tags) {
            if (skipTags.contains(tag)) {
                throw new MigException(ExitCode.PLAN_ERROR, "--tags and --skip-tags both name '" + tag + "'",
                        "a step with this tag would be selected and left out at once: name it in one of them");
            }
        }
    }

    /** Whether an option narrows the run ({@code --tags}, {@code --until} or {@code --skip-tags}). */
    public boolean narrows() {
        return !tags.isEmpty() || !skipTags.isEmpty() || until != null;
    }

    /**
     * The steps taken on a database whose journal has these rows. The options select, in plan
     * order, the steps with one of the tags up to the {@code --until} step (counted once it is
     * selected), less those with one of the skip tags. With {@code withRequires}, every step those
     * require (through {@code requires}, transitively) that is neither applied nor skipped on the
     * database is taken too; a selected step applied earlier (and not {@code runAlways}) does not
     * run, so its requirements are not taken. A step of the run that requires a step
     * {@code --skip-tags} leaves out, not applied on the database, is a {@link MigException}
     * (exit 2) naming both, with or without {@code withRequires}: the run could only fail there.
     */
    public SelectedSteps resolve(Plan plan, Map<String, JournalEntry> entries) {
        Map<String, String> leftOut = new LinkedHashMap<>();
        List<String> selected = new ArrayList<>();
        boolean untilReached = false;
        for (Step step : plan.steps()) {
            boolean tagged = tags.isEmpty() || step.tags().stream().anyMatch(tags::contains);
            if (untilReached || !tagged) {
                leftOut.put(step.name(), untilReached ? SelectedSteps.AFTER_UNTIL : SelectedSteps.NOT_TAGGED);
                continue;
            }
            untilReached = step.name().equals(until);
            if (skipTagOf(step) != null) {
                leftOut.put(step.name(), SelectedSteps.EXCLUDED);
                continue;
            }
            selected.add(step.name());
        }
        // requires names earlier steps only (PlanValidator): from the last step back, each step taken is walked after all that require it
        Map<String, Set<String>> requiredBy = new HashMap<>();
        Set<String> taken = new HashSet<>(selected);
        List<Conflict> conflicts = new ArrayList<>();
        List<Step> steps = plan.steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (!taken.contains(step.name()) || !runs(step, entries.get(step.name()))) {
                continue;
            }
            for (String name : step.requires()) {
                if (taken.contains(name) || done(entries.get(name))) {
                    requiredBy.computeIfPresent(name, (n, by) -> add(by, step.name()));
                    continue;
                }
                Step required = plan.step(name).orElseThrow();
                String skipTag = skipTagOf(required);
                if (skipTag != null) {
                    conflicts.add(new Conflict(step, name, skipTag));
                } else if (withRequires) {
                    taken.add(name);
                    requiredBy.put(name, add(new HashSet<>(), step.name()));
                    leftOut.remove(name);
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw conflict(conflicts);
        }
        Map<String, List<String>> required = new LinkedHashMap<>();
        for (Step step : steps) {
            Set<String> by = requiredBy.get(step.name());
            if (by != null) {
                required.put(step.name(), steps.stream().map(Step::name).filter(by::contains).toList());
            }
        }
        return new SelectedSteps(tags, skipTags, until, withRequires, selected, required, leftOut);
    }

    private static Set<String> add(Set<String> names, String name) {
        names.add(name);
        return names;
    }

    private String skipTagOf(Step step) {
        return step.tags().stream().filter(skipTags::contains).sorted().findFirst().orElse(null);
    }

    /** Whether a run that takes the step tries it: not applied, or applied and run every time. */
    private static boolean runs(Step step, JournalEntry entry) {
        return entry == null || entry.status() != StepStatus.APPLIED || step.runAlways();
    }

    /** Whether a requirement is met on the database, as a run counts it: applied or skipped. */
    private static boolean done(JournalEntry entry) {
        return entry != null && (entry.status() == StepStatus.APPLIED || entry.status() == StepStatus.SKIPPED);
    }

    /** A step of the run that requires a step --skip-tags leaves out, by one of its tags. */
    private record Conflict(Step step, String required, String tag) {
        @Override
        public String toString() {
            return "'" + step.name() + "' (" + step.location() + ") requires '" + required + "' (tag " + tag + ")";
        }
    }

    private MigException conflict(List<Conflict> conflicts) {
        Collections.reverse(conflicts);
        String skip = "--skip-tags " + String.join(",", skipTags);
        if (conflicts.size() == 1) {
            Conflict c = conflicts.get(0);
            return new MigException(ExitCode.PLAN_ERROR, "step '" + c.step().name() + "' requires '" + c.required()
                    + "', which " + skip + " leaves out (tag " + c.tag() + ") and which is not applied on this database;"
                    + " nothing was run", c.step().location(), "apply '" + c.required() + "' first: run without " + skip
                    + ", or with a selection that leaves '" + c.step().name() + "' out", null);
        }
        return new MigException(ExitCode.PLAN_ERROR, conflicts.size() + " steps of the selection require steps that " + skip
                + " leaves out and that are not applied on this database; nothing was run:"
                + conflicts.stream().map(c -> "\n  " + c).collect(Collectors.joining()),
                "apply the required steps first: run without " + skip + ", or with a selection that leaves the steps"
                        + " requiring them out");
    }
}
