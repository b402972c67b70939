package dev.mig.run;

import java.time.Duration;
import java.util.Set;

/**
 * What the user asked of one {@code mig run}.
 *
 * @param selection which steps: {@code --tags}, {@code --until}, {@code --skip-tags}, {@code --[no-]with-requires}
 * @param keepGoing after a failed step, still try every later step whose requirements did not fail
 * @param dryRun    run the plan in one transaction and roll it back at the end
 * @param tenantSchema the schema of a schema-per-tenant fleet's tenant this run is for, else null:
 *                  its rows of the journal, its plan lock, its search path ({@link TenantSchema})
 */
public record RunOptions(String journalSchema,
                         Duration lockWait,
                         boolean acceptDrift,
                         StepSelection selection,
                         boolean keepGoing,
                         boolean dryRun,
                         String tenantSchema) {

    public static final String DEFAULT_JOURNAL_SCHEMA = "mig";

    public RunOptions {
        selection = selection == null ? StepSelection.EVERY_STEP : selection;
    }

    /** A run on a database's own journal, not a tenant schema's. */
    public RunOptions(String journalSchema, Duration lockWait, boolean acceptDrift, StepSelection selection, boolean keepGoing,
                      boolean dryRun) {
        this(journalSchema, lockWait, acceptDrift, selection, keepGoing, dryRun, null);
    }

    public RunOptions(String journalSchema, Duration lockWait, boolean acceptDrift, Set<String> tags, String until,
                      boolean keepGoing, boolean dryRun) {
        this(journalSchema, lockWait, acceptDrift, new StepSelection(tags, Set.of(), until, true), keepGoing, dryRun);
    }

    public RunOptions(String journalSchema, Duration lockWait, boolean acceptDrift, Set<String> tags, String until,
                      boolean keepGoing) {
        this(journalSchema, lockWait, acceptDrift, tags, until, keepGoing, false);
    }

    /** Stops at the first failure, as a run does without {@code --keep-going}. */
    public RunOptions(String journalSchema, Duration lockWait, boolean acceptDrift, Set<String> tags, String until) {
        this(journalSchema, lockWait, acceptDrift, tags, until, false, false);
    }

    public static RunOptions defaults() {
        return new RunOptions(DEFAULT_JOURNAL_SCHEMA, Duration.ofSeconds(60), false, StepSelection.EVERY_STEP, false, false);
    }

    /** {@code --tags}: empty for every step. */
    public Set<String> tags() {
        return selection.tags();
    }

    /** {@code --until}: null for to the end. */
    public String until() {
        return selection.until();
    }
}
