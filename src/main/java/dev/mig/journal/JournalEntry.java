package dev.mig.journal;

import java.time.OffsetDateTime;

/** The current state of one step on one database, as the journal tells it. */
public record JournalEntry(String plan,
                           String step,
                           String checksum,
                           StepStatus status,
                           OffsetDateTime appliedAt,
                           long durationMs,
                           String appliedBy,
                           String migVersion) {
}
