package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.catalog.SchemaFingerprint;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.RunResult;
import dev.mig.result.StepFailure;
import dev.mig.result.StepResult;
import dev.mig.run.RunListener;
import dev.mig.run.RunOptions;
import dev.mig.run.Runner;
import dev.mig.target.Connections;
import dev.mig.target.Target;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code mig import --check}: the written plan run by mig's runner on one throwaway database, the folder's files
 * applied by the other tool's rules ({@link ToolReplay}) on a second, and the two catalogs compared
 * ({@link SchemaFingerprint}). Code migrations run on neither side. The caller makes and drops the databases.
 */
public final class ImportCheck {

    private static final Pattern FLYWAY_PLACEHOLDER = Pattern.compile("\\\\\\$\\{[^}\\s]+}");

    /**
     * @param differences  the fingerprint lines of one side only; {@code mine} is the plan's side
     * @param objects      the lines compared that are objects (columns, indexes, comments...)
     * @param tables       the tables whose row counts were compared
     * @param planMs       the plan's run on its shadow
     * @param filesMs      the files' replay on theirs
     * @param notReplayed  the code migrations neither side ran (file names)
     * @param hints        what usually causes the differences found (empty when there are none)
     */
    public record Result(List<SchemaFingerprint.Difference> differences, int objects, int tables, long planMs, long filesMs,
                         List<String> notReplayed, List<String> hints) {

        public boolean same() {
            return differences.isEmpty();
        }
    }

    private ImportCheck() {
    }

    /** Runs {@code plan} on {@code planShadow} and replays {@code folder} (read from {@code sourceDir}) on {@code filesShadow}. */
    public static Result check(Plan plan, MigrationFolder.Result folder, Path sourceDir, Target planShadow, Target filesShadow,
                               String journalSchema, String migVersion) {
        List<String> code = folder.migrations().stream().filter(Migration::code).map(Migration::name).toList();
        List<Step> steps = plan.steps().stream().filter(s -> !code.contains(s.name())).toList();
        Plan runnable = plan.withSteps(steps, plan.placeholders());

        long t0 = System.nanoTime();
        RunOptions options = new RunOptions(journalSchema, Duration.ofSeconds(60), false, Set.of(), null);
        RunResult run = new Runner(runnable, options, RunListener.NONE, migVersion).run(() -> Connections.open(planShadow),
                "the check's shadow of the plan");
        long planMs = (System.nanoTime() - t0) / 1_000_000;
        if (run.exitCode() != ExitCode.OK) {
            throw planFailure(run, folder);
        }

        long t1 = System.nanoTime();
        List<String> notReplayed;
        try (Connection c = Connections.open(filesShadow)) {
            notReplayed = ToolReplay.replay(folder, sourceDir, c);
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "check: the shadow of the files: " + e.getMessage());
        }
        long filesMs = (System.nanoTime() - t1) / 1_000_000;

        SchemaFingerprint fromPlan = fingerprint(planShadow, journalSchema);
        SchemaFingerprint fromFiles = fingerprint(filesShadow, journalSchema);
        List<SchemaFingerprint.Difference> differences = fromPlan.diff(fromFiles);
        return new Result(differences, fromFiles.objects(), fromFiles.tables(), planMs, filesMs, notReplayed,
                differences.isEmpty() ? List.of() : hints(folder, notReplayed));
    }

    /** What usually makes the plan's schema differ from the files': the most likely first. */
    static List<String> hints(MigrationFolder.Result folder, List<String> notReplayed) {
        List<String> out = new ArrayList<>();
        if (folder.format() == ImportFormat.FLYWAY) {
            List<String> with = folder.migrations().stream().filter(m -> !m.code())
                    .filter(m -> FLYWAY_PLACEHOLDER.matcher(MigrationFolder.read(m.up())).find())
                    .map(m -> m.up().getFileName().toString()).toList();
            if (!with.isEmpty()) {
                out.add("Flyway substitutes \\${...} as a placeholder, mig reads it as the text ${...} (in " + String.join(", ", with.subList(0, Math.min(3, with.size())))
                        + (with.size() > 3 ? " and " + (with.size() - 3) + " more" : "") + "): write the text Flyway made of it into the file");
            }
        }
        if (!notReplayed.isEmpty()) {
            out.add("a code migration (" + notReplayed.get(0) + ") ran on neither side, but SQL after it may expect what it does");
        }
        if (folder.warnings().stream().anyMatch(w -> w.contains("skipped") || w.contains("not carried"))) {
            out.add("import skipped a file or a setting (see its warnings): the tool may run it where the plan does not");
        }
        if (out.isEmpty()) {
            out.add("usually placeholders the tool substitutes, a code migration or a skipped file; compare the lines above with the files that make them");
        }
        return out;
    }

    private static SchemaFingerprint fingerprint(Target shadow, String journalSchema) {
        try (Connection c = Connections.open(shadow)) {
            return SchemaFingerprint.of(c, journalSchema);
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "check: cannot read the catalog of " + shadow.display() + ": " + e.getMessage());
        }
    }

    private static MigException planFailure(RunResult run, MigrationFolder.Result folder) {
        for (StepResult s : run.steps()) {
            if (s.outcome().failed()) {
                StepFailure f = s.failure();
                String why = f == null ? s.outcome().toString().toLowerCase() + (s.reason() == null ? "" : ": " + s.reason())
                        : (f.location() == null ? "" : f.location() + ": ") + f.message() + (f.sqlState() == null ? "" : " (SQL State " + f.sqlState() + ")");
                boolean placeholder = folder.format() == ImportFormat.FLYWAY && folder.migrations().stream()
                        .anyMatch(m -> m.name().equals(s.name()) && !m.code() && FLYWAY_PLACEHOLDER.matcher(MigrationFolder.read(m.up())).find());
                return new MigException(ExitCode.STEP_FAILED, "check: step '" + s.name() + "' of the plan failed on its shadow: " + why,
                        placeholder ? "the file writes \\${...}, which Flyway substitutes as a placeholder and mig reads as the text ${...}:"
                                + " write the text Flyway made of it into the file and import again"
                                : "mig run would fail there too: fix the file the step runs and import again");
            }
        }
        return new MigException(ExitCode.STEP_FAILED, "check: the plan's run on its shadow ended with exit " + run.exitCode().code(),
                "run the plan with mig rehearse to see each step");
    }
}
