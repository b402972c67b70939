package dev.mig.lifecycle;

import dev.mig.catalog.Catalog;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.model.Guard;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.SelectedSteps;
import dev.mig.run.Guards;
import dev.mig.run.InPreview;
import dev.mig.run.StandIn;
import dev.mig.run.StepSelection;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code mig run} would do, found without changing anything ({@code mig plan}): each
 * step's state from the journal and, for the steps a run would try, what their guards answer on
 * the target, asked by a run's own attempt stopped after its guards ({@link InPreview}).
 * Everything is read in READ ONLY transactions that are rolled back, one per step; the journal is
 * read only if it exists, never created. Guards see the database as it is now: a
 * later step's guard does not see what the pending steps before it would do.
 */
public final class PlanPreview {

    /** A step's state on the target, as the journal tells it. */
    public enum State {
        PENDING("pending"),
        APPLIED("applied"),
        /** Applied, and its text changed since: a run stops before running anything. */
        DRIFTED("DRIFTED"),
        /** Applied before, and run on every run. */
        RUNS_ALWAYS("runs always"),
        SKIPPED_EARLIER("skipped earlier"),
        FAILED_EARLIER("failed earlier"),
        /** A run stopped inside this non-transactional step. */
        INTERRUPTED("interrupted");

        private final String word;

        State(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** Whether a run would try the step (drift aside). */
        public boolean wouldTry() {
            return this != APPLIED && this != DRIFTED;
        }
    }

    /** What a run would do with a step it tries, going by its guards' answers now. */
    public enum Verdict {
        RUN("would run"),
        SKIP("would be skipped"),
        FAIL("would fail");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * One guard's answer: {@code true}, {@code false}, or null with {@code error} when it threw;
     * {@code read} is what it read from the catalog, one line per answer (see CatalogView).
     */
    public record GuardAnswer(Guard guard, Boolean answer, String error, List<String> read) {
        public GuardAnswer {
            read = List.copyOf(read);
        }
    }

    /**
     * One step: its state, and for a step a run would try, its guards' answers (as far as a run
     * would ask them: the first false skip or fail guard, or one that throws, ends them), the
     * verdict they add up to and why ({@code null} when the step would simply run).
     * {@code notSelected}: why a run with {@code --tags}, {@code --until} or {@code --skip-tags}
     * would leave the step out ({@code not selected by --tags}, {@code after --until},
     * {@code excluded by --skip-tags}), null when it is in the run; such a step has no guards asked
     * and no verdict.
     */
    public record StepPreview(Step step, State state, JournalEntry entry, List<GuardAnswer> guards, Verdict verdict,
                              String why, String notSelected) {
        public StepPreview {
            guards = List.copyOf(guards);
        }

        public StepPreview(Step step, State state, JournalEntry entry, List<GuardAnswer> guards, Verdict verdict, String why) {
            this(step, state, entry, guards, verdict, why, null);
        }
    }

    private final Plan plan;
    private final Journal journal;

    public PlanPreview(Plan plan, Journal journal) {
        this.plan = plan;
        this.journal = journal;
    }

    /** Reads the journal and asks the guards, on a connection this leaves read-only and rolled back. */
    public List<StepPreview> preview(Connection connection) throws SQLException {
        return preview(connection, StepSelection.EVERY_STEP).steps();
    }

    /**
     * What {@link #preview(Connection)} found, for a run with these selection options: the steps the
     * selection leaves out get no guards asked, as the run would not ask them.
     */
    public record Previewed(List<StepPreview> steps, SelectedSteps selection) {
        public Previewed {
            steps = List.copyOf(steps);
        }
    }

    /**
     * As {@link #preview(Connection)}, for a run with {@code --tags}, {@code --until},
     * {@code --skip-tags} and {@code --[no-]with-requires}: resolved against the journal as the run
     * resolves them ({@link StepSelection#resolve}, which throws exit 2 where the run would).
     */
    public Previewed preview(Connection connection, StepSelection selection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            Map<String, JournalEntry> entries = journal.exists(connection) ? journal.read(connection, plan.name()) : Map.of();
            connection.rollback();
            SelectedSteps selected = selection.resolve(plan, entries);
            return new Previewed(previewSteps(connection, entries, selected.leftOut()), selected);
        } finally {
            connection.rollback();
        }
    }

    private List<StepPreview> previewSteps(Connection connection, Map<String, JournalEntry> entries,
                                           Map<String, String> notSelected) throws SQLException {
        InPreview attempt = new InPreview(connection, plan, Catalog.parseSearchPath(plan.settings().searchPath()));
        List<StepPreview> previews = new ArrayList<>();
        for (Step step : plan.steps()) {
            JournalEntry entry = entries.get(step.name());
            State state = state(step, entry);
            if (notSelected.containsKey(step.name())) {
                previews.add(new StepPreview(step, state, entry, List.of(), null, null, notSelected.get(step.name())));
                continue;
            }
            if (!state.wouldTry()) {
                previews.add(new StepPreview(step, state, entry, List.of(), null, null));
                continue;
            }
            previews.add(preview(step, state, entry, attempt.run(standIn(step, previews))));
        }
        return previews;
    }

    /**
     * A step written {@code insteadOf 'other'} asked as a run would ask it: the other step skipped
     * if its guards skip it now or it was skipped earlier and not asked, applied if they let it run
     * or it is applied (run.StandIn). Where the other would fail, the step is asked as it is.
     */
    private static Step standIn(Step step, List<StepPreview> before) {
        if (step.insteadOf() == null) {
            return step;
        }
        for (StepPreview p : before) {
            if (!p.step().name().equals(step.insteadOf())) {
                continue;
            }
            if (p.verdict() == Verdict.SKIP || (p.verdict() == null && p.state() == State.SKIPPED_EARLIER)) {
                return StandIn.decided(step, true);
            }
            if (p.verdict() == Verdict.RUN || (p.verdict() == null && !p.state().wouldTry()) || p.state() == State.RUNS_ALWAYS) {
                return StandIn.decided(step, false);
            }
        }
        return step;
    }

    /** The step's state as {@code mig status} tells it. */
    public static State state(Step step, JournalEntry entry) {
        if (entry == null) {
            return State.PENDING;
        }
        return switch (entry.status()) {
            case APPLIED -> step.runAlways() ? State.RUNS_ALWAYS
                    : entry.checksum().equals(step.checksum()) ? State.APPLIED : State.DRIFTED;
            case SKIPPED -> State.SKIPPED_EARLIER;
            case FAILED -> State.FAILED_EARLIER;
            case RUNNING -> State.INTERRUPTED;
        };
    }

    /** The guards' decision as the preview tells it. */
    private StepPreview preview(Step step, State state, JournalEntry entry, Guards.Decision decision) {
        List<GuardAnswer> answers = decision.answers().stream()
                .map(a -> new GuardAnswer(a.guard(), a.answer(), a.error() == null ? null : thrown(a.error()), a.read()))
                .toList();
        return switch (decision.kind()) {
            case RUN -> new StepPreview(step, state, entry, answers, Verdict.RUN, decision.warnings().isEmpty() ? null
                    : decision.warnings().stream().map(w -> "with a warning: " + w.because()).collect(Collectors.joining("; ")));
            case SKIP -> new StepPreview(step, state, entry, answers, Verdict.SKIP, decision.reason());
            case FAIL -> new StepPreview(step, state, entry, answers, Verdict.FAIL,
                    "precondition failed: " + decision.decidedBy().because());
            case THREW -> new StepPreview(step, state, entry, answers, Verdict.FAIL,
                    "its guard at " + decision.decidedBy().thrownAt(plan.file()) + " throws");
        };
    }

    /** The server's message when a query failed ({@code cannot execute ... in a read-only transaction}), else the exception's. */
    private static String thrown(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof PSQLException pe && pe.getServerErrorMessage() != null && pe.getServerErrorMessage().getMessage() != null) {
                return pe.getServerErrorMessage().getMessage() + " (SQL State " + pe.getSQLState() + ")";
            }
        }
        return e.getClass().getSimpleName() + ": " + (e.getMessage() == null ? "" : e.getMessage());
    }

    /** Whether any applied step changed since it ran: {@code mig run} would stop before running anything. */
    public static boolean anyDrifted(List<StepPreview> previews) {
        return previews.stream().anyMatch(p -> p.state() == State.DRIFTED);
    }
}
