package dev.mig.run;

import java.time.Duration;
import java.util.Set;

/** What the user asked of one {@code mig run}. */
public record RunOptions(String journalSchema,
                         Duration lockWait,
                         boolean acceptDrift,
                         Set<String> tags,
                         String until) {

    public static final String DEFAULT_JOURNAL_SCHEMA = "mig";

    public RunOptions {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    public static RunOptions defaults() {
        return new RunOptions(DEFAULT_JOURNAL_SCHEMA, Duration.ofSeconds(60), false, Set.of(), null);
    }
}
