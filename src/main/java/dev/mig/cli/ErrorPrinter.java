package dev.mig.cli;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.plan.PlanException;
import dev.mig.plan.PlanProblem;
import dev.mig.report.Printable;
import dev.mig.text.Redactor;

import java.io.PrintStream;

/** Prints errors as message, location and hint; a stack trace only when asked for. */
final class ErrorPrinter {

    private ErrorPrinter() {
    }

    static int print(Throwable e, PrintStream err, boolean stacktrace) {
        if (e instanceof PlanException pe) {
            err.println("mig: " + pe.problems().size() + " problem" + (pe.problems().size() == 1 ? "" : "s") + " in the plan; nothing was run");
            for (PlanProblem p : pe.problems()) {
                err.println(Printable.text(p.location() + ": " + Redactor.redact(p.message())));
                if (p.hint() != null) {
                    err.println("    hint: " + Printable.text(p.hint()));
                }
            }
        } else if (e instanceof MigException me) {
            StringBuilder line = new StringBuilder("mig: ");
            if (me.location() != null && me.location().file() != null) {
                line.append(me.location()).append(": ");
            }
            line.append(Redactor.redact(me.getMessage()));
            err.println(Printable.text(line.toString()));
            if (me.hint() != null) {
                err.println("    hint: " + Printable.text(Redactor.redact(me.hint())));
            }
        } else {
            err.println("mig: internal error: " + Printable.text(Redactor.redact(String.valueOf(e))));
            err.println("    hint: this is a bug in mig; rerun with --stacktrace and report it");
        }
        if (stacktrace) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof MigException me ? me.exitCode().code() : ExitCode.STEP_FAILED.code();
    }
}
