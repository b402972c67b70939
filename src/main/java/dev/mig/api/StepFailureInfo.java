package dev.mig.api;

import dev.mig.result.StepFailure;

import java.util.List;

/**
 * Why a step failed: PostgreSQL's message and SQL State (null when the failure was not the
 * server's), where (the SQL file line, or the plan line), and mig's own hint from the catalog,
 * one string per line (empty when it has nothing to add).
 */
public record StepFailureInfo(String message, String sqlState, SourceLocation location, String statement,
                              String detail, String hint, List<String> migHint) {

    public StepFailureInfo {
        migHint = migHint == null ? List.of() : List.copyOf(migHint);
    }

    static StepFailureInfo of(StepFailure f) {
        return f == null ? null
                : new StepFailureInfo(f.message(), f.sqlState(), f.location(), f.statement(), f.detail(), f.hint(), f.migHint());
    }
}
