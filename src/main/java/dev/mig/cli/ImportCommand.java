package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.imports.ImportFormat;
import dev.mig.imports.Migration;
import dev.mig.imports.MigrationFolder;
import dev.mig.imports.PlanWriter;
import dev.mig.model.Plan;
import dev.mig.target.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code mig import DIR}: a plan from a folder of Flyway, golang-migrate, dbmate, goose, Prisma, popx, sqlx or plain migrations. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Write a plan from a folder of Flyway, golang-migrate, dbmate, goose, Prisma Migrate, popx, sqlx, Sqitch, Liquibase formatted SQL or plain ordered .sql migrations.")
final class ImportCommand implements java.util.concurrent.Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "DIR", description = "The folder of migration files.")
    Path dir;

    @Option(names = "--out", paramLabel = "PLAN", description = "The plan file to write (default: DIR's name + .groovy, beside DIR).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", description = "The plan's name (default: DIR's name).")
    String name;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "flyway, golang-migrate, dbmate, goose, prisma, popx, sqlx, sqitch, liquibase, plain or auto (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--skip-code-migrations", description = "Leave code migrations (goose .go, Flyway Java/Kotlin migrations) out of the plan, with a warning,"
            + " instead of writing steps that fail naming them.")
    boolean skipCode;

    @Option(names = "--force", description = "Overwrite the plan file and generated files if they exist.")
    boolean force;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    boolean stacktrace;

    @Option(names = "--adopt", paramLabel = "URL", description = "After writing the plan, record as applied in mig's journal on URL"
            + " the migrations the other tool's history table there says it applied (nothing of theirs runs; see DSL.md, mig import).")
    String adopt;

    @Option(names = "--check", description = "After writing the plan (and before --adopt), run it on a throwaway database and the files"
            + " by the other tool's rules on a second one, and compare the two schemas: exit 5 when they differ (see DSL.md, mig import --check).")
    boolean check;

    @Option(names = "--shadow", paramLabel = "embedded|URL", description = "Where --check makes its two throwaway databases: embedded"
            + " (default, a PostgreSQL of its own) or a server URL (CREATE DATABASE there, dropped at the end; never the --adopt database).")
    String shadow;

    @Option(names = "--history-table", paramLabel = "[SCHEMA.]TABLE", description = "For --adopt: where the other tool keeps its history"
            + " when not under its own name on the search path (Flyway's defaultSchema and table, Liquibase's liquibase-schema-name,"
            + " golang-migrate's x-migrations-table; for Sqitch the registry's changes table, e.g. myregistry.changes).")
    String historyTable;

    @Option(names = "--journal-schema", paramLabel = "SCHEMA", defaultValue = dev.mig.run.RunOptions.DEFAULT_JOURNAL_SCHEMA,
            description = "Schema of mig's journal for --adopt (default: ${DEFAULT-VALUE}).")
    String journalSchema;

    ImportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ImportFormat wanted = ImportFormat.named(format);
        if (wanted == null) {
            throw new MigException(ExitCode.PLAN_ERROR, "unknown --format '" + format + "'", "one of " + ImportFormat.names());
        }
        Target shadowServer = ImportCheckOutput.shadow(context, check, shadow, adopt);
        if (historyTable != null && adopt == null) {
            throw new MigException(ExitCode.PLAN_ERROR, "--history-table " + historyTable + " without --adopt", "add --adopt URL, the database whose history it names");
        }
        Path source = dir.toAbsolutePath().normalize();
        String folderName = source.getFileName() == null ? "imported" : source.getFileName().toString();
        Path plan = (out != null ? out : source.resolveSibling(folderName + ".groovy")).toAbsolutePath().normalize();
        Path planDir = plan.getParent();
        MigrationFolder.Result result = new MigrationFolder(source, planDir.resolve("imported")).skipCode(skipCode).read(wanted);

        List<Path> writes = new ArrayList<>(result.generated().keySet());
        writes.add(0, plan);
        if (!force) {
            List<String> existing = writes.stream().filter(Files::exists).map(Path::toString).toList();
            if (!existing.isEmpty()) {
                throw new MigException(ExitCode.PLAN_ERROR, "not overwriting " + String.join(", ", existing.subList(0, Math.min(3, existing.size())))
                        + (existing.size() > 3 ? " and " + (existing.size() - 3) + " more" : ""),
                        "pass --force to overwrite, or --out to write somewhere else");
            }
        }
        String text = PlanWriter.render(name != null ? name : folderName, source, result, planDir);
        try {
            for (Map.Entry<Path, String> file : result.generated().entrySet()) {
                Files.createDirectories(file.getKey().getParent());
                Files.writeString(file.getKey(), file.getValue(), StandardCharsets.UTF_8);
            }
            Files.createDirectories(planDir);
            Files.writeString(plan, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        // the plan must load as written; a problem here is a bug in import, reported like any plan error
        Plan loaded = Mig.plan(plan).model();
        List<Migration> m = result.migrations();
        long withoutTransaction = m.stream().filter(x -> !x.transactional()).count();
        long withUndo = m.stream().filter(x -> x.down() != null).count();
        long repeatable = m.stream().filter(Migration::repeatable).count();
        long code = m.stream().filter(Migration::code).count();
        context.out().println("imported " + m.size() + " " + result.format().cliName() + " migration" + (m.size() == 1 ? "" : "s")
                + " from " + dir + " into " + (out != null ? out : plan) + " (plan '" + loaded.name() + "'); format "
                + dev.mig.report.Printable.name(result.chosen()));
        context.out().println("  " + loaded.steps().size() + " steps: " + withoutTransaction + " without a transaction, "
                + withUndo + " with an undo block" + (repeatable > 0 ? ", " + repeatable + " repeatable (runAlways)" : "")
                + (code > 0 ? ", " + code + " code migration" + (code == 1 ? "" : "s") + " as steps that fail (or pass --skip-code-migrations)" : ""));
        if (!result.generated().isEmpty()) {
            context.out().println("  wrote " + result.generated().size() + " files of up and down parts under "
                    + planDir.relativize(planDir.resolve("imported")) + "/");
        }
        context.out().println("  mig check: no problems found");
        if (!result.warnings().isEmpty()) {
            context.out().println("warnings (" + result.warnings().size() + "; also at the top of the plan):");
            result.warnings().forEach(w -> context.out().println("  " + w));
        }
        if (check) {
            int checked = ImportCheckOutput.check(context, loaded, result, source, shadowServer, journalSchema);
            if (checked != 0) {
                if (adopt != null) {
                    context.out().println("--adopt not done: the check found the plan and the files differ");
                }
                return checked;
            }
        }
        if (adopt != null) {
            AdoptOutput.adopt(context, loaded, result, source, historyTable, adopt, journalSchema);
        }
        return 0;
    }
}
