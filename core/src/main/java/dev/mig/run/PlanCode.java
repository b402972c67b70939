package dev.mig.run;

import dev.mig.result.StepFailure;
import dev.mig.api.SourceLocation;
import groovy.lang.Closure;
import org.postgresql.util.PSQLException;

import java.nio.file.Path;
import java.sql.SQLException;

/** Calling a plan's closures (guards, groovy blocks, verify) and placing what they throw. */
final class PlanCode {

    private PlanCode() {
    }

    /** Calls a plan closure on a copy (the model stays untouched) with {@code delegate} first. */
    static Object call(Closure<?> closure, Object delegate, Object... args) {
        Closure<?> copy = (Closure<?>) closure.clone();
        copy.setResolveStrategy(Closure.DELEGATE_FIRST);
        copy.setDelegate(delegate);
        return copy.call(args);
    }

    /**
     * What a closure's exception fails the step with: the server's error when a query failed,
     * else "WHAT threw ...", at the line of the plan or recipe file the closure is in.
     */
    static StepFailure failure(String what, Exception e, SourceLocation fallback, Path planFile) {
        // a closure from a recipe file is found in that file's frames, one from the plan in the plan's
        SourceLocation at = PlanFrames.locate(e, fallback.file() != null ? fallback.file() : planFile, fallback);
        Throwable sqlCause = e;
        while (sqlCause != null && !(sqlCause instanceof SQLException)) {
            sqlCause = sqlCause.getCause();
        }
        if (sqlCause instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
            var m = pe.getServerErrorMessage();
            return new StepFailure(m.getMessage(), at, null, null, pe.getSQLState(), m.getDetail(), m.getHint(), e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return StepFailure.of(what + " threw " + e.getClass().getSimpleName() + ": " + message, at, e);
    }
}
