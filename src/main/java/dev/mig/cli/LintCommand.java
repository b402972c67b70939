package dev.mig.cli;

import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.catalog.Catalog;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.lint.LintResult;
import dev.mig.lint.Linter;
import dev.mig.lint.TargetFacts;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.report.LintReport;
import dev.mig.lifecycle.PlanPreview;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mig lint PLAN}: the plan's risky statements, with what to write instead (see docs/DSL.md
 * section 9, "mig lint"). With a target it reads the catalog in a read-only transaction that is
 * rolled back; without one it reads the plan alone.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Flag risky statements before they run: table rewrites, ACCESS EXCLUSIVE locks on large tables,"
                + " foreign keys and checks without NOT VALID, indexes built without CONCURRENTLY, SET NOT NULL without a"
                + " validated check, type changes, polymorphic foreign keys, type and function names of other databases,"
                + " UPDATE and DELETE of many rows in one transaction (with the backfill block to write instead)."
                + " Changes nothing on the target (it reads the"
                + " catalog in a read-only transaction); loading the plan runs its top-level code and recipe bodies, as"
                + " mig check does.",
        footer = {"", "Rules: table-rewrite, access-exclusive-lock, foreign-key-not-valid, check-not-valid,",
                "index-not-concurrently, not-null-without-check, type-change, polymorphic-foreign-key, other-dialect,",
                "unbatched-write;",
                "a step's lint { allow 'rule' } leaves a rule unreported for that step.",
                "Exit codes: 0 no findings, 1 findings (or reading the target failed), 2 usage or plan error,",
                "6 cannot connect to the target."})
final class LintCommand implements Callable<Integer> {

    /** The exit code when lint reports anything: the plan has statements to look at before it runs. */
    static final int FINDINGS = 1;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(bytes|b|kb|mb|gb|tb)?", Pattern.CASE_INSENSITIVE);

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = "--no-target", description = "Lint from the plan alone, even when MIG_URL, DATABASE_URL or PG* name a database.")
    boolean noTarget;

    @Option(names = "--large-table-rows", paramLabel = "N", defaultValue = "100000",
            description = "access-exclusive-lock and unbatched-write report tables from this many estimated rows (default: ${DEFAULT-VALUE}).")
    long largeTableRows;

    @Option(names = "--large-table-size", paramLabel = "SIZE", defaultValue = "100MB",
            description = "... or from this size: 500kB, 100MB, 2GB (default: ${DEFAULT-VALUE}).")
    String largeTableSize;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one line per finding) or json (default: ${DEFAULT-VALUE}).")
    String format;

    // refused (docs/DSL.md, "Fleets"): lint is about the plan's text, so a fleet is linted once, not per tenant
    @Option(names = "--fleet-file", paramLabel = "PATH", hidden = true)
    List<Path> fleetFiles = new ArrayList<>();

    String fleet;

    /** Set while parsing, so that --config with --fleet gets the message below, not the one about --env. */
    @Option(names = "--fleet", paramLabel = "NAME", hidden = true)
    void fleet(String name) {
        this.fleet = name;
        common.configReadElsewhere = true;
    }

    LintCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        // with json, an error before the findings is a JSON document on stdout too
        return JsonFormat.json(format) ? JsonFormat.run(context, "lint", this::lint) : lint();
    }

    private int lint() {
        if (fleet != null || !fleetFiles.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "mig lint takes no fleet: it lints the plan's text once, not each tenant"
                    + " (" + (fleet != null ? "--fleet" : "--fleet-file") + ")",
                    "lint once for the whole fleet: mig lint PLAN --no-target reads the plan alone; --url of the largest tenant"
                            + " also reads its table sizes (access-exclusive-lock) and leaves out the steps applied there");
        }
        if (noTarget && common.url != null) {
            throw new MigException(ExitCode.PLAN_ERROR, "--no-target and --url contradict each other", "give one of them");
        }
        Linter.Thresholds thresholds = new Linter.Thresholds(largeTableRows, bytes(largeTableSize));
        Plan plan = Mig.plan(planFile).model();
        Optional<Target> target = noTarget ? Optional.empty()
                : common.resolve(context);
        LintResult result = target.isPresent()
                ? withTarget(plan, target.get(), thresholds)
                : new Linter(plan, TargetFacts.none(), thresholds).lint(Set.of());
        int exit = result.reported().isEmpty() ? ExitCode.OK.code() : FINDINGS;
        LintReport report = new LintReport(plan, target.map(Target::display).orElse(null), thresholds, result, exit);
        if (format.equals("json")) {
            report.printJson(context.out());
        } else {
            report.printText(context.out());
        }
        return exit;
    }

    /** Lints with the target's catalog, in one read-only transaction that is rolled back. */
    private LintResult withTarget(Plan plan, Target target, Linter.Thresholds thresholds) {
        try (Connection connection = Connections.open(target)) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement s = connection.createStatement()) {
                // catalog reads take no table locks; these only keep a stuck catalog from holding lint forever
                s.execute("SET LOCAL lock_timeout = '2s'");
                s.execute("SET LOCAL statement_timeout = '30s'");
            }
            try {
                Set<String> applied = applied(connection, plan);
                Catalog catalog = new Catalog(connection, Catalog.parseSearchPath(plan.settings().searchPath()));
                return new Linter(plan, TargetFacts.of(catalog), thresholds).lint(applied);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "database error while reading the target: " + e.getMessage(), null,
                    "check the role's privileges on the catalog and on schema " + common.journalSchema, e);
        }
    }

    /** The steps the journal shows applied (or applied and changed since): a run does not run them again. */
    private Set<String> applied(Connection connection, Plan plan) throws SQLException {
        Journal journal = new Journal(common.journalSchema, MigVersion.get());
        Set<String> applied = new HashSet<>();
        if (!journal.exists(connection)) {
            return applied;
        }
        Map<String, JournalEntry> entries = journal.read(connection, plan.name());
        for (Step step : plan.steps()) {
            if (!PlanPreview.state(step, entries.get(step.name())).wouldTry()) {
                applied.add(step.name());
            }
        }
        return applied;
    }

    /** {@code 100MB}, {@code 512kB}, {@code 2GB}, {@code 1048576}: units of 1024, as PostgreSQL counts them. */
    static long bytes(String size) {
        Matcher m = SIZE.matcher(size.trim());
        if (!m.matches()) {
            throw new MigException(ExitCode.PLAN_ERROR, "--large-table-size '" + size + "' is not a size",
                    "write it as PostgreSQL does: 500kB, 100MB, 2GB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "bytes" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "kb" -> n * 1024;
            case "mb" -> n * 1024 * 1024;
            case "gb" -> n * 1024 * 1024 * 1024;
            case "tb" -> n * 1024 * 1024 * 1024 * 1024;
            default -> n;
        };
    }
}
