package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigVersion;
import dev.mig.journal.BackfillProgress;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.journal.StepStatus;
import dev.mig.model.BackfillKey;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.lifecycle.PlanStatus;
import dev.mig.report.Printable;
import dev.mig.report.StatusJson;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mig status PLAN}: applied / pending / skipped / failed / drifted per step. Read-only. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show each step's state on the target: applied, pending, skipped, failed, drifted."
        + " Changes nothing on the target: it reads the journal only, but loading the plan runs its top-level code and"
        + " recipe bodies (no guard, cleanup, SQL or verify runs).")
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final CliContext context;

    @Mixin
    CommonOptions common;

    // -v also shows what the guards of applied steps read; -q lists only the steps a run would still do something with
    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, or json: one JSON document on stdout (docs/DSL.md section 13) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--fleet-file", paramLabel = "PATH", description = "The state of every tenant of this file (as mig run --fleet-file).")
    java.util.List<Path> fleetFiles = new java.util.ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "With a fleet: how many tenants are read at once (default 4).")
    Integer parallel;

    @Option(names = "--shard", paramLabel = "I/N", description = "With a fleet: only the tenants of part I of N (as mig run --shard).")
    String shard;

    String fleet;

    /** Set while parsing, so that --config is read for the fleet without --env. */
    @Option(names = "--fleet", paramLabel = "NAME", description = "The state of every tenant database of this fleet of mig.groovy.")
    void fleet(String name) {
        this.fleet = name;
        common.configReadElsewhere = true;
    }

    StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (fleet != null || !fleetFiles.isEmpty()) {
            return fleetStatus();
        }
        if (parallel != null || shard != null) {
            throw new dev.mig.api.MigException(ExitCode.PLAN_ERROR, (parallel != null ? "--parallel" : "--shard")
                    + " is for a fleet, and no fleet was given", "add --fleet NAME or --fleet-file PATH");
        }
        if (JsonFormat.json(format)) {
            return JsonFormat.run(context, "status", this::json);
        }
        Plan plan = Mig.plan(planFile).model();
        Target target = common.requireTarget(context, "status", null);
        Map<String, JournalEntry> entries = Map.of();
        Map<String, dev.mig.journal.AppliedOrigins.Origin> origins = Map.of();
        Map<String, BackfillProgress.Row> backfills = Map.of();
        try (Connection connection = Connections.open(target)) {
            connection.setReadOnly(true);
            Journal journal = new Journal(common.journalSchema, MigVersion.get());
            if (journal.exists(connection)) {
                entries = journal.read(connection, plan.name());
                origins = dev.mig.journal.AppliedOrigins.read(connection, journal, plan.name());
                backfills = new BackfillProgress(journal).readAll(connection, plan.name());
            }
        }
        var out = context.out();
        out.println("plan '" + Printable.name(plan.name()) + "' (" + plan.location().displayFile() + ") on " + target.display());
        int drifted = 0;
        int pending = 0;
        for (Step step : plan.steps()) {
            JournalEntry entry = entries.get(step.name());
            String state;
            String detail = "";
            if (entry == null) {
                state = "pending";
                pending++;
            } else if (entry.status() == StepStatus.APPLIED && !entry.checksum().equals(step.checksum()) && !step.runAlways()) {
                state = "DRIFTED";
                detail = "changed since it was applied " + when(entry);
                drifted++;
            } else if (entry.status() == StepStatus.RUNNING) {
                state = "interrupted";
                detail = backfills.containsKey(step.name()) ? "a run stopped inside this backfill; the next run resumes after its last batch"
                        : "a run stopped inside this non-transactional step; the next run repeats it";
                pending++;
            } else {
                state = entry.status().word();
                if (entry.status() == StepStatus.APPLIED && origins.containsKey(step.name()) && origins.get(step.name()).adopted()) {
                    // mig import --adopt recorded it: say which row of the other tool's table, not a run time it never had
                    detail = java.util.Objects.requireNonNullElse(origins.get(step.name()).notices(), "adopted") + ", " + when(entry) + (step.runAlways() ? " (runs always)" : "");
                } else if (entry.status() == StepStatus.APPLIED) {
                    detail = when(entry) + " by " + entry.appliedBy() + " in " + entry.durationMs() + " ms"
                            + (step.runAlways() ? " (runs always)" : "");
                } else {
                    pending++;
                    detail = entry.status() == StepStatus.SKIPPED ? "its guard is asked again on the next run"
                            : backfills.containsKey(step.name()) ? "the next run resumes the backfill after its last batch"
                            : "the next run tries it again";
                }
            }
            boolean settled = entry != null && entry.status() == StepStatus.APPLIED && !state.equals("DRIFTED");
            if (output.quiet && settled) {
                continue;
            }
            out.println("  " + String.format("%-12s", state) + " " + Printable.name(step.name())
                    + (detail.isEmpty() ? "" : "  " + Printable.text(detail)));
            BackfillProgress.Row backfill = backfills.get(step.name());
            if (backfill != null && entry != null && (entry.status() == StepStatus.RUNNING || entry.status() == StepStatus.FAILED)) {
                out.println("               " + Printable.text(backfillLine(backfill)));
            }
            if (entry != null && entry.guardEvidence() != null
                    && (entry.status() == StepStatus.SKIPPED || entry.status() == StepStatus.FAILED || output.verbose && !output.quiet)) {
                for (String line : GuardEvidence.describe(entry.guardEvidence())) {
                    out.println("               " + line);
                }
            }
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        plan.steps().forEach(s -> names.add(s.name()));   // plan.step(n) per entry was quadratic in the plan's size
        long unknown = entries.keySet().stream().filter(n -> !names.contains(n)).count();
        if (unknown > 0) {
            out.println("  (" + unknown + " journal entr" + (unknown == 1 ? "y names a step" : "ies name steps") + " no longer in the plan)");
        }
        out.println(drifted > 0 ? drifted + " drifted, " + pending + " to run (exit 5)" : pending + " step" + (pending == 1 ? "" : "s") + " to run");
        return drifted > 0 ? ExitCode.DRIFT.code() : 0;
    }

    private int fleetStatus() throws Exception {
        if (JsonFormat.json(format)) {
            return JsonFormat.run(context, "status", () -> {
                FleetCommands.refuseUrl(common);
                Plan plan = Mig.plan(planFile).model();
                return FleetCommands.statusJson(context, plan, FleetCommands.name(fleet, fleetFiles), shard,
                        FleetRun.tenants(context, fleet, fleetFiles, common.config, planFile), parallel, common.journalSchema);
            });
        }
        FleetCommands.refuseUrl(common);
        Plan plan = Mig.plan(planFile).model();
        return FleetRun.status(context, plan, FleetCommands.name(fleet, fleetFiles), FleetRun.tenants(context, fleet, fleetFiles,
                common.config, planFile), shard, parallel, common.journalSchema, output.quiet);
    }

    private int json() throws SQLException {
        Plan plan = Mig.plan(planFile).model();
        Target target = common.requireTarget(context, "status", null);
        try (Connection connection = Connections.open(target)) {
            connection.setReadOnly(true);
            PlanStatus.Reading reading = PlanStatus.read(connection, new Journal(common.journalSchema, MigVersion.get()), plan.name());
            return new StatusJson(plan, target.display(), common.journalSchema, reading).print(context.out());
        }
    }

    /** {@code backfill 340,000 rows done in 34 batches, last key 340000, last batch 2026-12-05 21:03:04 UTC}. */
    static String backfillLine(BackfillProgress.Row row) {
        if (row.batches() == 0) {
            return "backfill: no batch committed yet; the next run starts at the first key";
        }
        return String.format(java.util.Locale.ROOT, "backfill %,d rows done in %,d batch%s, last key %s, last batch %s", row.rows(),
                row.batches(), row.batches() == 1 ? "" : "es", BackfillKey.show(row.lastKey()),
                row.lastBatchAt() == null ? "?" : row.lastBatchAt().withOffsetSameInstant(java.time.ZoneOffset.UTC).format(WHEN) + " UTC");
    }

    private static String when(JournalEntry entry) {
        return entry.appliedAt() == null ? "" : entry.appliedAt().format(WHEN);
    }
}
