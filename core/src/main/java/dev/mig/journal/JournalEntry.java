package dev.mig.journal;

import java.time.OffsetDateTime;

/**
 * The current state of one step on one database, as the journal tells it.
 *
 * @param guardEvidence JSON: what each guard of the last attempt read and answered, or null
 */
public record JournalEntry(String plan,
                           String step,
                           String checksum,
                           StepStatus status,
                           OffsetDateTime appliedAt,
                           long durationMs,
                           String appliedBy,
                           String migVersion,
                           String guardEvidence) {
}
