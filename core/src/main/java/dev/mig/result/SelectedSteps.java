package dev.mig.result;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps one run takes (or {@code mig plan} shows, or {@code mig baseline} judges), as
 * {@code --tags}, {@code --until}, {@code --skip-tags} and {@code --[no-]with-requires} chose them
 * on a database: what the options select, the pending steps taken because a selected step
 * requires them, and each step left out with why.
 *
 * @param tags         {@code --tags}, as given; empty for every step
 * @param skipTags     {@code --skip-tags}, as given; empty for none
 * @param until        {@code --until}, null for to the end
 * @param withRequires whether the pending steps the selected ones require are taken too
 * @param selected     the steps the options select themselves, in plan order
 * @param required     each step taken only because a step of the run requires it (directly, or through
 *                     another such step), with the steps of the run that require it; both in plan order
 * @param leftOut      each step the run leaves out, in plan order, with why: {@link #NOT_TAGGED},
 *                     {@link #AFTER_UNTIL} or {@link #EXCLUDED}
 */
public record SelectedSteps(Set<String> tags, Set<String> skipTags, String until, boolean withRequires,
                            List<String> selected, Map<String, List<String>> required, Map<String, String> leftOut) {

    public static final String NOT_TAGGED = "not selected by --tags";
    public static final String AFTER_UNTIL = "after --until";
    public static final String EXCLUDED = "excluded by --skip-tags";

    public SelectedSteps {
        tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
        skipTags = Collections.unmodifiableSet(new LinkedHashSet<>(skipTags));
        selected = List.copyOf(selected);
        Map<String, List<String>> requiredCopy = new LinkedHashMap<>();
        required.forEach((step, by) -> requiredCopy.put(step, List.copyOf(by)));
        required = Collections.unmodifiableMap(requiredCopy);
        leftOut = Collections.unmodifiableMap(new LinkedHashMap<>(leftOut));
    }

    /** Every step of a plan with these names: what a run without selection options takes. */
    public static SelectedSteps every(List<String> steps) {
        return new SelectedSteps(Set.of(), Set.of(), null, true, steps, Map.of(), Map.of());
    }

    /** Whether an option narrowed the run ({@code --tags}, {@code --until} or {@code --skip-tags}). */
    public boolean narrows() {
        return !tags.isEmpty() || !skipTags.isEmpty() || until != null;
    }

    /** Whether the run takes the step: selected, or required by one it takes. */
    public boolean takes(String step) {
        return !leftOut.containsKey(step);
    }

    /** The steps {@code --skip-tags} left out that the other options select, in plan order. */
    public List<String> excluded() {
        return leftOut.entrySet().stream().filter(e -> e.getValue().equals(EXCLUDED)).map(Map.Entry::getKey).toList();
    }

    /** Whether a not-run reason is one of the selection's (the reports count such steps, they do not list them). */
    public static boolean isSelectionReason(String reason) {
        return reason != null && (reason.equals(NOT_TAGGED) || reason.equals(EXCLUDED));
    }
}
