package dev.mig.run;

import dev.mig.api.SourceLocation;

import java.nio.file.Path;

/** Finds the plan (or recipe file) line in a throwable's stack: where a guard or groovy block went wrong. */
final class PlanFrames {

    private PlanFrames() {
    }

    static SourceLocation locate(Throwable t, Path planFile, SourceLocation fallback) {
        String fileName = planFile.getFileName().toString();
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement frame : c.getStackTrace()) {
                if (fileName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    return new SourceLocation(planFile, frame.getLineNumber());
                }
            }
        }
        return fallback;
    }
}
