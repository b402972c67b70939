package dev.mig.result;

/**
 * Whether a run checked the plan-level verify, so that its outcome is said rather than left to
 * silence: a plan without one has {@code expectations} 0; a run that did not check it says why.
 * Its failures are {@link RunResult#planVerifyFailures()}.
 *
 * @param expectations the plan-level verify's expectations (0: the plan has none)
 * @param notChecked   why this run did not check them ({@code a step failed}, {@code --until runs part of the plan},
 *                     ...); null when it did, or when there are none
 */
public record PlanVerifyCheck(int expectations, String notChecked) {

    /** A plan without a plan-level verify. */
    public static final PlanVerifyCheck NONE = new PlanVerifyCheck(0, null);

    /** The run checked the plan-level verify (whether it held is in the run's failures). */
    public boolean checked() {
        return expectations > 0 && notChecked == null;
    }
}
