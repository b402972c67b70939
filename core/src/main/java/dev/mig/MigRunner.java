package dev.mig;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.api.MigVersion;
import dev.mig.model.Plan;
import dev.mig.lifecycle.AppliedVerify;
import dev.mig.report.ConsoleReporter;
import dev.mig.report.ReverifyFailure;
import dev.mig.run.RunCancel;
import dev.mig.run.RunListener;
import dev.mig.run.RunOptions;
import dev.mig.run.Runner;
import dev.mig.run.StepSelection;
import dev.mig.target.Connections;
import dev.mig.target.Target;
import dev.mig.target.TargetResolver;
import dev.mig.text.DidYouMean;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Runs a loaded plan: the options of {@code mig run}, then {@link #run(DataSource)} or
 * {@link #run(String)}. Each run takes two connections (the plan lock holds its own) and closes them.
 * A runner is not thread-safe; build one per run or per thread. Only {@link #cancel()} may be
 * called from another thread.
 */
public final class MigRunner {

    private Plan plan;
    private String journalSchema = RunOptions.DEFAULT_JOURNAL_SCHEMA;
    private Duration lockWait = Duration.ofSeconds(60);
    private boolean acceptDrift;
    private final Set<String> tags = new LinkedHashSet<>();
    private final Set<String> skipTags = new LinkedHashSet<>();
    private String until;
    private boolean withRequires = true;
    private boolean keepGoing;
    private boolean dryRun;
    private boolean reverify;
    private RunListener listener = RunListener.NONE;
    private PrintStream console;
    private ConsoleReporter.Display display = ConsoleReporter.Display.plain(false);
    private String tenantSchema;
    private final RunCancel cancel = new RunCancel();

    MigRunner(Plan plan) {
        this.plan = plan;
    }

    /** The schema of the journal and the plan lock (default {@code mig}). */
    public MigRunner journalSchema(String schema) {
        this.journalSchema = schema;
        return this;
    }

    /** How long to wait for another run of the plan to finish (default 60 s). */
    public MigRunner lockWait(Duration wait) {
        this.lockWait = wait;
        return this;
    }

    /**
     * Run only the steps with one of these tags (and, unless {@link #withRequires} is off, the pending
     * steps they require). No tag, a blank one, or a tag no step of the plan has is a
     * {@link MigException} with exit code 2: each would run nothing (or everything) silently.
     */
    public MigRunner tags(String... names) {
        tags.addAll(checkedTags("--tags", names, "select no step", "the tags of the steps to run", "run every step"));
        return this;
    }

    /**
     * Leave out the steps with one of these tags, checked as {@link #tags} checks its own. A step the
     * run takes that requires such a step, not applied on the database, stops the run before it
     * starts (exit 2).
     */
    public MigRunner skipTags(String... names) {
        skipTags.addAll(checkedTags("--skip-tags", names, "leave no step out", "the tags of the steps to leave out", "leave no step out"));
        return this;
    }

    /**
     * Whether the steps the selected ones require (transitively), when not applied on the database,
     * are taken too (default true). Off, such a step fails with "requires ..., which is not applied".
     */
    public MigRunner withRequires(boolean on) {
        this.withRequires = on;
        return this;
    }

    private List<String> checkedTags(String option, String[] names, String wouldDo, String whatTheyName, String without) {
        List<String> given = names == null ? List.of() : Arrays.stream(names).map(n -> n == null ? "" : n.strip()).toList();
        if (given.isEmpty() || given.stream().anyMatch(String::isEmpty)) {
            throw new MigException(ExitCode.PLAN_ERROR, option + " names " + (given.isEmpty() ? "no tag" : "an empty tag")
                    + ": it would " + wouldDo, "write " + option + " a,b with " + whatTheyName + planTags()
                    + ", or leave " + option + " out to " + without);
        }
        Set<String> known = planTagSet();
        for (String tag : given) {
            if (!known.contains(tag)) {
                throw new MigException(ExitCode.PLAN_ERROR, option + " '" + tag + "': no step of plan '" + plan.name() + "' has this tag",
                        DidYouMean.suggest(tag, known).map(s -> "did you mean '" + s + "'? ").orElse("")
                                + (known.isEmpty() ? "the plan's steps have no tags; leave " + option + " out"
                                : "the plan's tags are " + String.join(", ", known)));
            }
        }
        return given;
    }

    private Set<String> planTagSet() {
        Set<String> known = new TreeSet<>();
        plan.steps().forEach(step -> known.addAll(step.tags()));
        return known;
    }

    private String planTags() {
        Set<String> known = planTagSet();
        return known.isEmpty() ? "" : " (the plan's tags: " + String.join(", ", known) + ")";
    }

    /** Stop after this step; a name the plan does not have is a {@link MigException} with exit code 2. */
    public MigRunner until(String step) {
        if (step != null && plan.step(step).isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "--until names no step of plan '" + plan.name() + "': '" + step + "'",
                    "give a step name exactly as the plan writes it");
        }
        this.until = step;
        return this;
    }

    /** After a failed step, still try every later step whose requirements did not fail. */
    public MigRunner keepGoing(boolean on) {
        this.keepGoing = on;
        return this;
    }

    /** Run in one transaction and roll all of it back, the journal included. */
    public MigRunner dryRun(boolean on) {
        this.dryRun = on;
        return this;
    }

    /**
     * Before the run, ask the verify blocks of the steps applied earlier, as {@code mig verify} does
     * (read-only, no lock, on a connection of its own closed before the run opens its two); one that
     * no longer holds stops the run before it starts: a {@link MigException} with exit code 3.
     */
    public MigRunner reverify(boolean on) {
        this.reverify = on;
        return this;
    }

    /** Record changed applied steps as applied with their new text, without running them. */
    public MigRunner acceptDrift(boolean on) {
        this.acceptDrift = on;
        return this;
    }

    /** Progress as it happens (the console output of {@code mig run} is one such listener). Default: silent. */
    public MigRunner listener(RunListener runListener) {
        this.listener = runListener == null ? RunListener.NONE : runListener;
        this.console = null;
        return this;
    }

    /** Print what {@code mig run} prints. */
    public MigRunner printTo(PrintStream out) {
        return printTo(out, false);
    }

    /** Print what {@code mig run} prints; verbose also lists the steps applied earlier ({@code -v}). */
    public MigRunner printTo(PrintStream out, boolean verboseOutput) {
        return printTo(out, ConsoleReporter.Display.plain(verboseOutput));
    }

    /**
     * Print what {@code mig run} prints, the way {@code display} says: live lines and colour on a
     * terminal, quiet, verbose (the command line's output options).
     */
    public MigRunner printTo(PrintStream out, ConsoleReporter.Display display) {
        listener(RunListener.NONE);
        this.console = out;
        this.display = display;
        return this;
    }

    /**
     * Replaces the plan's default lockTimeout and statementTimeout for this run (null keeps the
     * plan's); steps that set their own keep them. What {@code --env} does with an environment's.
     */
    public MigRunner defaultTimeouts(String lockTimeout, String statementTimeout) {
        return defaultTimeouts(lockTimeout, statementTimeout, "MigRunner.defaultTimeouts");
    }

    /** As {@link #defaultTimeouts(String, String)}; {@code source} names where they came from in hints ("environment 'prod' of mig.groovy"). */
    public MigRunner defaultTimeouts(String lockTimeout, String statementTimeout, String source) {
        this.plan = plan.withDefaultTimeouts(lockTimeout, statementTimeout, source);
        return this;
    }

    /**
     * Replaces the plan's budget of mig's lock-retry schedule ({@code '2m'}; null keeps the plan's)
     * for this run; steps that set their own keep it. {@code source} names it in hints.
     */
    public MigRunner lockRetryFor(String lockRetryFor, String source) {
        this.plan = plan.withLockRetryFor(lockRetryFor, source);
        return this;
    }

    /**
     * Values of the plan's {@code ${name}} placeholders for this run; they win over the plan's own
     * (what {@code --set} does on the command line). A null value takes the name's value away.
     */
    public MigRunner placeholders(java.util.Map<String, ?> values) {
        return placeholders(values, "MigRunner.placeholders");
    }

    /** As {@link #placeholders(java.util.Map)}; {@code source} names where they came from ("--set", "environment 'prod' of mig.groovy"). */
    public MigRunner placeholders(java.util.Map<String, ?> values, String source) {
        this.plan = plan.withPlaceholders(values, source);
        return this;
    }

    /**
     * Runs for one tenant of a fleet: {@code ${tenant}} is its id in the plan's SQL; with a
     * {@code schema} (a schema-per-tenant fleet) {@code ${tenant.schema}} is that schema, the
     * schema is created if missing and comes first on the search path of the steps, guards and
     * verify blocks, and the journal rows and the plan lock are the tenant's own.
     */
    public MigRunner tenant(String id, String schema) {
        this.tenantSchema = schema;
        return placeholders(tenantPlaceholders(id, schema), TENANT_SOURCE);
    }

    /** {@code ${tenant}}, the id, and with a schema {@code ${tenant.schema}}: a tenant's placeholder values. */
    public static java.util.Map<String, String> tenantPlaceholders(String id, String schema) {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("tenant", id);
        if (schema != null) {
            values.put("tenant.schema", schema);
        }
        return values;
    }

    /** Where a tenant's placeholder values come from, as messages and the journal name it. */
    public static final String TENANT_SOURCE = "the fleet's tenant";

    /** Whether {@link #reverify(boolean)} is on: a run that checks the applied steps first. */
    public boolean reverifies() {
        return reverify;
    }

    /** No output (the default). */
    public MigRunner silent() {
        return listener(RunListener.NONE);
    }

    /** The plan this runner runs, with the placeholder values given so far (not yet put into its SQL). */
    public Plan plan() {
        return plan;
    }

    public RunOptions options() {
        return new RunOptions(journalSchema, lockWait, acceptDrift, new StepSelection(tags, skipTags, until, withRequires),
                keepGoing, dryRun, tenantSchema);
    }

    /** Runs on connections from {@code dataSource}; {@code getConnection()} is called twice. */
    public MigResult run(DataSource dataSource) {
        return run(() -> open(dataSource), "the DataSource " + dataSource.getClass().getSimpleName());
    }

    /**
     * Runs on a URL as {@code mig run --url} takes it: {@code jdbc:postgresql://...},
     * {@code postgres://user@host/db} (with {@code ~/.pgpass}) or {@code jdbc:tc:postgresql:17:///db}.
     */
    public MigResult run(String url) {
        Target target = new TargetResolver().parse(url, "url", System.getenv(), Path.of(System.getProperty("user.home", ".")));
        return run(target);
    }

    /** Runs on a resolved target (the command line's way). */
    public MigResult run(Target target) {
        return run(() -> Connections.open(target), target.display());
    }

    /**
     * Runs on {@code target}, taking {@code open} (a connection to it already made, in autocommit,
     * read-write) as the first connection the run needs; the run closes it. A fleet hands over the
     * connection that read a tenant's journal, so a tenant with work costs no extra connection.
     */
    public MigResult run(Target target, Connection open) {
        java.util.concurrent.atomic.AtomicReference<Connection> first = new java.util.concurrent.atomic.AtomicReference<>(open);
        try {
            return run(() -> {
                Connection given = first.getAndSet(null);
                return given != null ? given : Connections.open(target);
            }, target.display());
        } finally {
            Connection unused = first.getAndSet(null);
            if (unused != null) {
                try {
                    unused.close();
                } catch (SQLException ignored) {
                    // it was only ever read from
                }
            }
        }
    }

    private MigResult run(Runner.Connector connector, String targetName) {
        RunListener to = console == null ? listener : new ConsoleReporter(console, display, dryRun);
        // an undefined placeholder is a plan error before connecting
        Plan ready = dev.mig.model.PlaceholderResolution.resolve(plan);
        if (reverify) {
            reverify(ready, connector);
        }
        try {
            return new MigResult(new Runner(ready, options(), to, MigVersion.get()).run(cancel.watching(connector), targetName));
        } finally {
            cancel.forget();
        }
    }

    /**
     * Cancels this runner's run in progress, from another thread: its statement in flight is
     * cancelled on the server and its connections aborted, so the running step rolls back with its
     * journal rows and the run ends as a failed one (a connection lost). A step without a
     * transaction keeps what it committed, as after kill -9. The runner stays cancelled: a run
     * started afterwards stops before connecting. Running the plan again goes on from the journal.
     */
    public void cancel() {
        cancel.cancel();
    }

    private void reverify(Plan ready, Runner.Connector connector) {
        MigException failure;
        try (Connection connection = connector.open()) {
            failure = ReverifyFailure.of(new AppliedVerify(ready, journalSchema, MigVersion.get()).forTenant(tenantSchema).check(connection));
        } catch (SQLException e) {
            throw new MigException(ExitCode.CONNECTION_FAILED, "--reverify could not read the target: " + e.getMessage(),
                    "run without --reverify to see whether the run itself can reach it");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Connection open(DataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new MigException(ExitCode.CONNECTION_FAILED, "cannot connect through the DataSource: " + e.getMessage()
                    + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")"), null,
                    "check the DataSource's URL, user and password", e);
        }
    }
}
