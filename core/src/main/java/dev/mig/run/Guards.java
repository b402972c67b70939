package dev.mig.run;

import dev.mig.api.SourceLocation;
import dev.mig.catalog.CatalogView;
import dev.mig.model.Guard;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a step's guards as a run does, for the run itself and for {@code mig plan}'s preview: in
 * order, each recording what it read, up to the first that throws or is false with {@code onFalse}
 * skip or fail (a false warn guard lets the next one be asked); and decides what the answers mean
 * for the step, the one place both take that from.
 */
public final class Guards {

    /**
     * One guard's answer: {@code true}, {@code false}, or null with {@code error} when it threw;
     * {@code read} is what it read from the catalog, one line per answer (see CatalogView).
     */
    public record Answer(Guard guard, Boolean answer, Exception error, List<String> read) {
        public Answer {
            read = List.copyOf(read);
        }

        /** Whether this answer ends the guards: an error, or false for a skip or fail guard. */
        public boolean ends() {
            return error != null || (!answer && guard.onFalse() != Guard.OnFalse.WARN);
        }

        /** Where the guard's code threw: its line in the plan or recipe file. */
        public SourceLocation thrownAt(Path planFile) {
            return PlanFrames.locate(error, guard.location().file() != null ? guard.location().file() : planFile,
                    guard.location());
        }

        /** Why a false guard says no: its message, else "guard is false", and where it is. */
        public String because() {
            return said() + " (" + guard.location() + ")";
        }

        private String said() {
            return guard.message() != null ? guard.message() : "guard is false";
        }
    }

    /**
     * What the answers mean for the step: it runs, with a warning for each false warn guard asked;
     * or the first answer that ends the guards ({@code decidedBy}) skips it, fails it as a
     * precondition, or fails it because the guard threw.
     */
    public record Decision(Kind kind, Answer decidedBy, List<Answer> answers, List<Answer> warnings) {
        public enum Kind { RUN, SKIP, FAIL, THREW }

        public Decision {
            answers = List.copyOf(answers);
            warnings = List.copyOf(warnings);
        }

        /** Why a run skips the step or fails it as a precondition; null when it runs or a guard threw. */
        public String reason() {
            return switch (kind) {
                case SKIP -> decidedBy.because();
                case FAIL -> "precondition failed: " + decidedBy.said();
                case RUN, THREW -> null;
            };
        }
    }

    private Guards() {
    }

    public static List<Answer> ask(List<Guard> guards, CatalogView view) {
        List<Answer> answers = new ArrayList<>();
        for (Guard guard : guards) {
            view.startRecording();
            Answer answer;
            try {
                boolean value = DefaultTypeTransformation.castToBoolean(PlanCode.call(guard.condition(), view));
                answer = new Answer(guard, value, null, view.stopRecording());
            } catch (Exception e) {
                // Groovy code may throw checked exceptions (SQLException from a query) undeclared
                answer = new Answer(guard, null, e, view.stopRecording());
            }
            answers.add(answer);
            if (answer.ends()) {
                break;
            }
        }
        return answers;
    }

    public static Decision decide(List<Answer> answers) {
        List<Answer> warnings = new ArrayList<>();
        for (Answer a : answers) {
            if (a.error() != null) {
                return new Decision(Decision.Kind.THREW, a, answers, warnings);
            }
            if (a.answer()) {
                continue;
            }
            switch (a.guard().onFalse()) {
                case SKIP -> {
                    return new Decision(Decision.Kind.SKIP, a, answers, warnings);
                }
                case FAIL -> {
                    return new Decision(Decision.Kind.FAIL, a, answers, warnings);
                }
                case WARN -> warnings.add(a);
            }
        }
        return new Decision(Decision.Kind.RUN, null, answers, warnings);
    }
}
