package dev.mig.run;

import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Guard;
import dev.mig.model.Step;
import dev.mig.result.StepOutcome;
import dev.mig.result.StepResult;
import groovy.lang.Closure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A step written {@code insteadOf 'other'} (docs/DSL.md section 3, "Alternatives"): it runs where
 * the other step was skipped by its guard, and is skipped where the other applied. The decision is
 * the journal's, not the catalog's (once the other step applied, its own guard may say anything),
 * and it is made a guard of its own, first among the step's guards, so that the journal keeps it
 * as evidence and every report says why the step ran or was skipped.
 */
public final class StandIn {

    private StandIn() {
    }

    /** {@code step} as the run asks it: with the stand-in's guard first when it stands in for another. */
    static Step decided(Step step, List<StepResult> thisRun, Map<String, JournalEntry> journal) {
        if (step.insteadOf() == null) {
            return step;
        }
        return decided(step, otherSkipped(step.insteadOf(), thisRun, journal));
    }

    /** {@code step} with the stand-in's guard first, given whether the step it stands in for was skipped. */
    public static Step decided(Step step, boolean skipped) {
        String other = step.insteadOf();
        String message = skipped
                ? "'" + other + "' was skipped by its guard: this step stands in for it"
                : "'" + other + "' is applied: this step stands in for it only where its guard skips it";
        List<Guard> guards = new ArrayList<>();
        guards.add(new Guard(constant(skipped), Guard.OnFalse.SKIP, message, "insteadOf '" + other + "'", step.location()));
        guards.addAll(step.guards());
        return step.withGuards(guards);
    }

    /** Whether a guard is the one {@link #decided} put first: it reads the journal, not the catalog. */
    public static boolean isStandIn(Guard guard) {
        return guard.condition().getClass().getEnclosingClass() == StandIn.class;
    }

    /** This run's outcome of the other step when it ran, else the journal's (requires made sure it is one of the two). */
    static boolean otherSkipped(String other, List<StepResult> thisRun, Map<String, JournalEntry> journal) {
        for (StepResult r : thisRun) {
            if (r.step().name().equals(other) && (r.outcome() == StepOutcome.SKIPPED || r.outcome() == StepOutcome.APPLIED)) {
                return r.outcome() == StepOutcome.SKIPPED;
            }
        }
        JournalEntry entry = journal.get(other);
        return entry != null && entry.status() == StepStatus.SKIPPED;
    }

    private static Closure<Boolean> constant(boolean value) {
        return new Closure<Boolean>(null) {
            @SuppressWarnings("unused")
            public Boolean doCall() {
                return value;
            }
        };
    }
}
