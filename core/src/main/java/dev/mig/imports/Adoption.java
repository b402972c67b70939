package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.journal.HistoryOutcome;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.run.PlanLock;
import dev.mig.run.PlanSession;
import dev.mig.run.Runner;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code mig import --adopt}: takes over a database another tool migrated. Reads that tool's
 * history table ({@link ToolHistory}), checks each applied migration against its file (the tool's
 * checksum where it keeps one), and records the imported plan's steps the tool applied as applied
 * in mig's journal, with an {@code adopted} history row naming the row they came from: under the
 * plan lock, in one transaction, without running any of their SQL. The other table is only read.
 * A failed or dirty row, a changed file or a row without a file stops it with nothing recorded (exit 5).
 */
public final class Adoption {

    /** What was recorded: steps adopted now, steps mig's journal had applied already, steps left for mig run. */
    public record Result(String table, List<String> adopted, List<String> appliedEarlier, List<String> pending, List<String> warnings) {

        public Result(String table, List<String> adopted, List<String> appliedEarlier, List<String> pending) {
            this(table, adopted, appliedEarlier, pending, List.of());
        }
    }

    private Adoption() {
    }

    public static Result adopt(Plan plan, MigrationFolder.Result folder, Runner.Connector connector, String targetDisplay,
                               String journalSchema, String migVersion) {
        return adopt(plan, folder, null, null, connector, targetDisplay, journalSchema, migVersion);
    }

    /**
     * @param source       the folder imported (Liquibase's and Sqitch's checksums are of its files as the tool read them)
     * @param historyTable {@code --history-table [SCHEMA.]TABLE}, or null for the tool's own name ({@link HistoryTable})
     */
    public static Result adopt(Plan plan, MigrationFolder.Result folder, java.nio.file.Path source, String historyTable,
                               Runner.Connector connector, String targetDisplay, String journalSchema, String migVersion) {
        Journal journal = new Journal(journalSchema, migVersion);
        try (PlanSession session = PlanSession.open(connector, targetDisplay, journal, plan.name(), Duration.ofSeconds(60), holder -> { },
                PlanLock.Holder.ADOPT)) {
            Connection c = session.connection();
            journal.ensure(c);
            try {
                Result r = adoptLocked(c, journal, plan, folder, source, historyTable);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "database error during adoption: " + e.getMessage(), null,
                    "check the role's privileges on the other tool's history table and on schema " + journalSchema, e);
        }
    }

    private static Result adoptLocked(Connection c, Journal journal, Plan plan, MigrationFolder.Result folder, java.nio.file.Path source,
                                      String historyTable) throws SQLException {
        ImportFormat format = folder.format();
        HistoryCheck more = source == null ? null : switch (format) {
            case LIQUIBASE -> LiquibaseHistory.read(c, historyTable, source);
            case SQITCH -> SqitchHistory.read(c, historyTable, source, folder.migrations());
            default -> null;
        };
        ToolHistory history = more != null ? more.history() : ToolHistory.read(format, c, historyTable);
        List<String> warnings = new ArrayList<>();
        Map<String, Migration> byName = new LinkedHashMap<>();
        folder.migrations().forEach(m -> byName.put(m.name(), m));
        Map<String, Step> byVersion = new LinkedHashMap<>();
        for (Step step : plan.steps()) {
            String v = MigrationVersions.of(format, step.name());
            if (v != null) {
                byVersion.put(v, step);
            }
        }

        List<String> problems = new ArrayList<>(history.stops());
        for (ToolHistory.Applied row : history.applied().values()) {
            Step step = byVersion.get(row.version());
            if (step == null) {
                problems.add(row.row() + ": version " + row.version() + " has no file in the folder; restore the file, or the"
                        + " database has migrations this folder does not know" + CodeMigrations.skippedHint(folder.warnings()));
            } else if (row.file() != null && !row.file().equals(step.name()) && !CodeMigrations.sameFlywayClass(row.file(), step.name())) {
                problems.add(step.name() + ": Flyway applied version " + row.version() + " as " + row.file() + " (" + row.row()
                        + "); Flyway's validate refuses a renamed migration too: rename the file back, or run flyway repair");
            } else if (row.checksum() != null && format == ImportFormat.FLYWAY && !byName.get(step.name()).code()) {
                String file = Integer.toString(FlywayChecksum.of(byName.get(step.name()).up()));
                if (!file.equals(row.checksum())) {
                    problems.add(step.name() + ": changed since Flyway applied it (" + row.row() + " has checksum " + row.checksum()
                            + ", the file's is " + file + "); restore the file as it was applied, or run flyway repair if the change is meant");
                }
            } else if (row.checksum() != null && format == ImportFormat.PRISMA) {
                if (!PrismaChecksum.matches(byName.get(step.name()).up(), row.checksum())) {
                    problems.add(step.name() + "/" + PrismaFolder.SCRIPT + ": changed since Prisma applied it (" + row.row() + " has checksum "
                            + row.checksum() + ", the file's is " + PrismaChecksum.of(MigrationFolder.read(byName.get(step.name()).up()))
                            + "); restore the file as it was applied (Prisma Migrate reports it as modified after it was applied)");
                }
            } else if (more != null) {
                more.check(step, byName.get(step.name()), row, problems, warnings);
            }
        }
        if (history.upTo() != null && format == ImportFormat.GOLANG_MIGRATE && !byVersion.containsKey(history.upTo())) {
            problems.add(history.table() + " says version " + history.upTo() + " is applied, and the folder has no file of it");
        }
        if (!problems.isEmpty()) {
            throw new MigException(ExitCode.DRIFT, "cannot adopt " + history.table() + " (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "; nothing was recorded):\n  " + String.join("\n  ", problems),
                    "the plan was written; fix what is listed and run mig import --adopt again (with --force)");
        }

        Map<String, JournalEntry> entries = journal.read(c, plan.name());
        List<String> adopted = new ArrayList<>();
        List<String> earlier = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        UUID runId = UUID.randomUUID();
        for (Step step : plan.steps()) {
            String v = MigrationVersions.of(format, step.name());
            ToolHistory.Applied row = v == null ? null : history.applied().get(v);
            boolean upTo = v != null && history.upTo() != null && MigrationVersions.compare(v, history.upTo()) <= 0;
            JournalEntry entry = entries.get(step.name());
            if (row == null && !upTo) {
                pending.add(step.name());
            } else if (entry != null && entry.status() == StepStatus.APPLIED) {
                earlier.add(step.name());
            } else {
                String from = row != null ? row.row() : history.table() + (format == ImportFormat.FLYWAY ? " baseline " : " version ")
                        + history.upTo();
                journal.setState(c, plan.name(), step.name(), step.index(), step.checksum(), StepStatus.APPLIED, 0, null);
                journal.appendHistory(c, new Journal.HistoryRecord(runId, plan.name(), step.name(), step.checksum(),
                        HistoryOutcome.ADOPTED, OffsetDateTime.now(), 0, null, null, "adopted from " + from, null));
                adopted.add(step.name());
            }
        }
        return new Result(history.table(), adopted, earlier, pending, warnings);
    }
}
