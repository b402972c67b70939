package dev.mig.run;

import java.time.Duration;
import java.util.Set;

/**
 * What the user asked of one {@code mig run}.
 *
 * @param keepGoing after a failed step, still try every later step whose requirements did not fail
 * @param dryRun    run the plan in one transaction and roll it back at the end
 */
public record RunOptions(String journalSchema,
                         Duration lockWait,
                         boolean acceptDrift,
                         Set<String> tags,
                         String until,
                         boolean keepGoing,
                         boolean dryRun) {

    public static final String DEFAULT_JOURNAL_SCHEMA = "mig";

    public RunOptions {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
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
        return new RunOptions(DEFAULT_JOURNAL_SCHEMA, Duration.ofSeconds(60), false, Set.of(), null, false, false);
    }
}
