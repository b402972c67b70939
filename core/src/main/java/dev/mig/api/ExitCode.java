package dev.mig.api;

/** The process exit codes of docs/DSL.md section 9, plus 6 for an unreachable target and 7 for a report that could not be written. */
public enum ExitCode {
    OK(0),
    STEP_FAILED(1),
    PLAN_ERROR(2),
    VERIFY_FAILED(3),
    LOCK_NOT_ACQUIRED(4),
    DRIFT(5),
    CONNECTION_FAILED(6),
    /** The run went as its code says, but a {@code --report} could not be written: CI must not read "no report" as "no failures". */
    REPORT_FAILED(7);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
