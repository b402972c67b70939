package dev.mig.cli;

import dev.mig.LoadedPlan;
import dev.mig.Mig;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.model.Action;
import dev.mig.fleet.Tenant;
import dev.mig.model.Plan;
import dev.mig.run.SessionPlaceholders;
import dev.mig.model.PlannedStatement;
import dev.mig.model.Step;
import dev.mig.report.LockText;
import dev.mig.report.PlanJson;
import dev.mig.report.Printable;
import dev.mig.run.BackfillEstimate;
import dev.mig.run.StandIn;
import dev.mig.report.SelectionLine;
import dev.mig.result.SelectedSteps;
import dev.mig.run.StepSelection;
import dev.mig.lifecycle.PlanPreview;
import dev.mig.lifecycle.PlanPreview.GuardAnswer;
import dev.mig.lifecycle.PlanPreview.State;
import dev.mig.lifecycle.PlanPreview.StepPreview;
import dev.mig.lifecycle.PlanPreview.Verdict;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import dev.mig.text.GroovyText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code mig plan PLAN}: each step's state, its guards' answers on the target and what it would
 * run, without changing anything (see docs/DSL.md section 9, "mig plan").
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show what a run would do: each step's state, its guards' answers on the target, and the SQL it would run."
                + " Changes nothing on the target: loading the plan runs its top-level code and recipe bodies, and the"
                + " guards run against the target in a read-only transaction that is rolled back.")
final class PlanCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String INDENT = "                  ";

    private final CliContext context;

    @Mixin
    CommonOptions common;

    // -v prints whole statements, not only their first line; -q leaves out the steps a run would not touch
    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    // as mig run's: the steps outside them are shown as a run with them would leave them out
    @Mixin
    SelectionOptions selection;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, or json: one JSON document on stdout (docs/DSL.md section 13) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--fleet-file", paramLabel = "PATH", description = "What a run would do on every tenant of this file (as mig run --fleet-file).")
    List<Path> fleetFiles = new java.util.ArrayList<>();

    @Option(names = "--parallel", paramLabel = "N", description = "With a fleet: how many tenants are read at once (default "
            + FleetOptions.DEFAULT_PARALLEL + ").")
    Integer parallel;

    @Option(names = "--shard", paramLabel = "I/N", description = "With a fleet: only the tenants of part I of N (as mig run --shard).")
    String shard;

    String fleet;

    /** Set while parsing, so that --config is read for the fleet without --env. */
    @Option(names = "--fleet", paramLabel = "NAME",
            description = "What a run would do on every tenant database of this fleet of mig.groovy, tenants alike grouped.")
    void fleet(String name) {
        this.fleet = name;
        common.configReadElsewhere = true;
    }

    private PrintStream out;
    private SelectedSteps selected;
    private Set<String> pendingNames = Set.of();
    private Map<String, String> backfills = Map.of();
    private Plan plan;
    /** The lock settings of a step that sets none of its own, in the header; a step whose own differ says so. */
    private String planLock;

    PlanCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        boolean json = JsonFormat.json(format);
        return json ? JsonFormat.run(context, "plan", this::show) : show();
    }

    private int show() {
        boolean json = format.equals("json");
        boolean onFleet = FleetCommands.given(fleet, fleetFiles);
        if (onFleet) {
            FleetCommands.refuseUrl(common);
        } else {
            FleetCommands.refuseStray(parallel != null ? "--parallel" : shard != null ? "--shard" : null);
        }
        LoadedPlan loaded = Mig.plan(planFile);
        List<Tenant> tenants = onFleet ? FleetRun.tenants(context, fleet, fleetFiles, common.config, planFile) : null;
        Plan plan = onFleet ? common.forFleet(loaded.model(), tenants) : common.withPlaceholders(loaded.model());
        // the environment's timeouts and lock-retry budget, as mig run --env takes them: the lock lines say what a run gets
        plan = plan.withDefaultTimeouts(common.lockTimeout, common.statementTimeout, common.timeoutsSource)
                .withLockRetryFor(common.lockRetryFor, common.timeoutsSource);
        // checked as mig run checks them: an unknown tag or step is exit 2
        StepSelection asked = selection.applyTo(loaded.runner()).options().selection();
        if (onFleet) {
            return new FleetPlan(context, output, json).show(plan, asked, FleetCommands.name(fleet, fleetFiles),
                    tenants, shard, parallel, common.journalSchema);
        }
        Target target = common.requireTarget(context, "plan", "mig check PLAN validates a plan without one");
        List<StepPreview> previews;
        try (Connection connection = Connections.open(target)) {
            plan = SessionPlaceholders.apply(plan, connection);
            PlanPreview.Previewed previewed = new PlanPreview(plan, new Journal(common.journalSchema, MigVersion.get()))
                    .preview(connection, asked);
            previews = previewed.steps();
            selected = previewed.selection();
            backfills = BackfillEstimate.forPlan(connection, plan);
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "database error while reading the target: " + e.getMessage(), null,
                    "check the role's privileges on the catalog and on schema " + common.journalSchema, e);
        }
        if (json) {
            return new PlanJson(plan, target.display(), previews, selected).print(context.out());
        }
        out = context.out();
        out.println("plan '" + Printable.name(plan.name()) + "' (" + plan.location().displayFile() + "), " + plan.steps().size() + " step"
                + (plan.steps().size() == 1 ? "" : "s") + ", on " + target.display()
                + ": what a run would do; nothing is changed, and every guard is asked of the database as it is now,"
                + " before any pending step runs");
        planLock = LockText.planWide(plan.defaults());
        out.println("  lock (each step unless it says otherwise): " + planLock);
        this.plan = plan;
        if (selected.narrows()) {
            out.println("  as a run with " + SelectionLine.options(selected) + ": " + selected.leftOut().size() + " of "
                    + plan.steps().size() + " steps not selected");
            out.println("  " + SelectionLine.of(selected));
        }
        // the requirements a run would find unmet: neither applied nor skipped on the target
        pendingNames = previews.stream().filter(p -> p.state() != State.APPLIED && p.state() != State.DRIFTED
                && p.state() != State.RUNS_ALWAYS && p.state() != State.SKIPPED_EARLIER).map(p -> p.step().name()).collect(Collectors.toSet());
        int earlierRuns = 0;
        for (StepPreview preview : previews) {
            if (output.quiet && (!preview.state().wouldTry() || preview.notSelected() != null) && preview.state() != State.DRIFTED) {
                continue;
            }
            print(preview, earlierRuns);
            if (preview.verdict() == Verdict.RUN) {
                earlierRuns++;
            }
        }
        if (!plan.verify().isEmpty()) {
            out.println("  plan verify: " + expectations(plan.verify().expectations().size())
                    + ", checked after the last step by a run of the whole plan");
        }
        out.println(summary(previews));
        out.flush();
        return PlanPreview.anyDrifted(previews) ? ExitCode.DRIFT.code() : ExitCode.OK.code();
    }

    private void print(StepPreview p, int earlierRuns) {
        Step step = p.step();
        StringBuilder line = new StringBuilder("  ").append(pad(p.state().word(), 15)).append(' ').append(Printable.name(step.name()));
        String detail = detail(p);
        if (!detail.isEmpty()) {
            line.append("  ").append(detail);
        }
        out.println(line);
        if (step.description() != null) {
            out.println(INDENT + step.description());
        }
        List<String> requiredBy = selected.required().get(step.name());
        if (requiredBy != null) {
            out.println(INDENT + "taken as " + requiredBy.stream().map(r -> "'" + Printable.name(r) + "'").collect(Collectors.joining(", "))
                    + " require" + (requiredBy.size() == 1 ? "s" : "") + " it (--with-requires)");
        }
        if (!p.state().wouldTry() || p.notSelected() != null) {
            return;
        }
        if (!step.requires().isEmpty()) {
            out.println(INDENT + "requires " + step.requires().stream().map(r -> "'" + r + "'").collect(Collectors.joining(", ")));
        }
        for (String required : step.requires()) {
            if (!selected.takes(required) && pendingNames.contains(required)) {
                out.println(INDENT + "'" + Printable.name(required) + "' is not applied and this selection leaves it out ("
                        + selected.leftOut().get(required) + "): a run fails here; --with-requires would take it");
            }
        }
        for (GuardAnswer g : p.guards()) {
            if (StandIn.isStandIn(g.guard())) {
                out.println(INDENT + "instead of '" + Printable.name(step.insteadOf()) + "': " + g.guard().message());
                continue;
            }
            String answer = g.answer() == null ? "throws " + g.error() : "is " + g.answer();
            out.println(INDENT + "guard at " + g.guard().location() + " (" + g.guard().onFalse().name().toLowerCase(java.util.Locale.ROOT)
                    + ") " + answer + (g.guard().message() != null && Boolean.FALSE.equals(g.answer()) ? ": " + g.guard().message() : ""));
            if (g.read().isEmpty() && g.answer() != null) {
                out.println(INDENT + "  read nothing from the catalog");
            }
            for (String r : g.read()) {
                out.println(INDENT + "  read " + r);
            }
        }
        int asked = p.guards().size();
        if (asked < step.guards().size()) {
            int left = step.guards().size() - asked;
            out.println(INDENT + left + " more guard" + (left == 1 ? "" : "s") + " not asked, as a run would not ask " + (left == 1 ? "it" : "them"));
        }
        if (p.verdict() != Verdict.RUN) {
            if (earlierRuns > 0 && !p.guards().isEmpty()) {
                out.println(INDENT + "note: asked of the database as it is now; " + earlierRuns + " earlier step"
                        + (earlierRuns == 1 ? "" : "s") + " would run first and may change the answer");
            }
            return;
        }
        String lock = LockText.of(step, plan.settingsFor(step));
        if (!lock.equals(planLock)) {
            out.println(INDENT + "lock: " + lock);
        }
        for (Action action : step.cleanup()) {
            Action.Cleanup c = (Action.Cleanup) action;
            out.println(INDENT + "cleanup " + cleanup(c) + "  (" + c.location() + ")");
        }
        for (Action action : step.actions()) {
            if (action instanceof Action.Sql sql) {
                for (PlannedStatement s : PlannedStatement.of(sql)) {
                    printStatement(s);
                }
            } else if (action instanceof Action.Code code) {
                out.println(INDENT + "groovy block at " + code.location());
            } else if (action instanceof Action.Ensure e) {
                out.println(INDENT + Printable.text(e.describe()) + "  (" + e.location() + ")");
            } else if (action instanceof Action.Backfill b) {
                out.println(INDENT + Printable.text(backfills.getOrDefault(step.name(), b.describe())) + "  (" + b.location() + ")");
            }
        }
        if (!step.verify().isEmpty()) {
            out.println(INDENT + "verify: " + expectations(step.verify().expectations().size())
                    + " (" + step.verify().expectations().get(0).location() + "), checked before commit");
        }
    }

    /** What the state and the guards say: when it was applied, or what a run would do and why. */
    private static String detail(StepPreview p) {
        JournalEntry entry = p.entry();
        String noTransaction = p.step().transactional() ? "" : " (no transaction)";
        if (p.notSelected() != null && p.state() != State.DRIFTED) {
            return (p.state() == State.APPLIED ? when(entry) + " by " + entry.appliedBy() + "; " : "") + p.notSelected()
                    + ": a run with these options leaves it out";
        }
        return switch (p.state()) {
            case APPLIED -> when(entry) + " by " + entry.appliedBy();
            case DRIFTED -> "changed since it was applied " + when(entry) + "; a run stops before running anything";
            default -> {
                String earlier = p.state() == State.RUNS_ALWAYS ? "applied " + when(entry) + ", runs on every run; " : "";
                yield earlier + p.verdict().words() + noTransaction + (p.why() == null ? "" : ": " + p.why());
            }
        };
    }

    private void printStatement(PlannedStatement s) {
        List<String> lines = s.lines();
        if (output.verbose && !output.quiet) {
            out.println(INDENT + s.at());
            for (String l : lines) {
                out.println(INDENT + "  " + l);
            }
        } else {
            int more = lines.size() - 1;
            out.println(INDENT + s.at() + "  " + lines.get(0).strip()
                    + (more > 0 ? " ... (" + more + " more line" + (more == 1 ? "" : "s") + ", -v shows them)" : ""));
        }
    }

    /** {@code dropRelationNamed 'unique_chunk', kinds: ['index']}, as the plan writes it. */
    private static String cleanup(Action.Cleanup c) {
        StringBuilder s = new StringBuilder(c.kind());
        String sep = " ";
        if (c.name() != null) {
            s.append(sep).append(literal(c.name()));
            sep = ", ";
        }
        for (Map.Entry<String, Object> option : c.options().entrySet()) {
            s.append(sep).append(option.getKey()).append(": ").append(literal(option.getValue()));
            sep = ", ";
        }
        return c.name() == null && c.options().isEmpty() ? s.append("()").toString() : s.toString();
    }

    private static String literal(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(PlanCommand::literal).collect(Collectors.joining(", ", "[", "]"));
        }
        return value instanceof String text ? GroovyText.literal(text) : String.valueOf(value);
    }

    /** The last line: {@code 2 would run, 0 would be skipped, 0 would fail, 3 applied earlier}, and what else applies. */
    static String summary(List<StepPreview> previews) {
        long run = previews.stream().filter(p -> p.verdict() == Verdict.RUN).count();
        long skip = previews.stream().filter(p -> p.verdict() == Verdict.SKIP).count();
        long fail = previews.stream().filter(p -> p.verdict() == Verdict.FAIL).count();
        long applied = previews.stream().filter(p -> p.state() == State.APPLIED).count();
        long drifted = previews.stream().filter(p -> p.state() == State.DRIFTED).count();
        StringBuilder s = new StringBuilder();
        s.append(run).append(" would run, ").append(skip).append(" would be skipped, ").append(fail).append(" would fail, ")
                .append(applied).append(" applied earlier");
        long notSelected = previews.stream().filter(p -> p.notSelected() != null).count();
        if (notSelected > 0) {
            s.append(", ").append(notSelected).append(" not selected");
        }
        if (drifted > 0) {
            s.append(", ").append(drifted).append(" drifted: a run would stop before running anything (exit 5)");
        }
        return s.toString();
    }

    private static String expectations(int n) {
        return n + " expectation" + (n == 1 ? "" : "s");
    }

    private static String when(JournalEntry entry) {
        return entry == null || entry.appliedAt() == null ? "" : entry.appliedAt().format(WHEN);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
