package dev.mig.fleet;

import dev.mig.api.ExitCode;

import java.util.List;

/** Every selected tenant's result, in the fleet's order, and how long the fleet took. */
public record FleetResult(List<TenantResult> tenants, long durationMs, boolean interrupted) {

    public FleetResult {
        tenants = List.copyOf(tenants);
    }

    public List<TenantResult> with(TenantResult.Outcome outcome) {
        return tenants.stream().filter(t -> t.outcome() == outcome).toList();
    }

    /**
     * 0 only when every tenant succeeded; else the highest exit code of the tenants' runs (1 a step
     * failed, 3 a verify failed, 4 a plan lock was not acquired, 5 drift, 6 a tenant could not be
     * reached); tenants left not started with no failure (Ctrl-C) make it 1.
     */
    public int exitCode() {
        int highest = tenants.stream().mapToInt(TenantResult::exitCode).max().orElse(0);
        if (highest == 0 && !with(TenantResult.Outcome.NOT_STARTED).isEmpty()) {
            return ExitCode.STEP_FAILED.code();
        }
        return highest;
    }
}
