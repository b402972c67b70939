package dev.mig.imports;

import dev.mig.model.Step;

import java.util.List;

/**
 * A history table read with what {@link ToolHistory} does not carry, for tools that identify a
 * migration by more than a version (Liquibase's id, author and file; Sqitch's project and change):
 * the rows as {@link ToolHistory}, keyed by step name, and the check of one applied row against its
 * step's file.
 */
interface HistoryCheck {

    ToolHistory history();

    /** Adds to {@code problems} (drift: nothing is recorded) or {@code warnings} (said, adopted anyway) what the row and the file disagree on. */
    void check(Step step, Migration migration, ToolHistory.Applied row, List<String> problems, List<String> warnings);
}
