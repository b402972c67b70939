package dev.mig.fleet;

import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.run.RunListener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where a fleet run stands, for its live view: counts by outcome, and for each running tenant
 * what it does now (told by its run's {@link RunListener}, {@link #listener(Tenant)}). Thread-safe:
 * the tenants' threads tell it, the view's thread reads {@link #state()}.
 */
public final class FleetProgress implements FleetRunner.Listener {

    private final int total;
    private final LongSupplier clock;
    private final long start;
    private final Map<Tenant, Doing> running = new LinkedHashMap<>();
    private int succeeded;
    private int failed;
    private int cancelled;
    private boolean stopping;
    private boolean cancelling;

    private record Doing(String what, long sinceNanos) {
    }

    /** {@code total}: the tenants the run selected. */
    public FleetProgress(int total) {
        this(total, System::nanoTime);
    }

    FleetProgress(int total, LongSupplier nanoClock) {
        this.total = total;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    @Override
    public synchronized void started(Tenant tenant) {
        running.put(tenant, new Doing("connecting", clock.getAsLong()));
    }

    @Override
    public synchronized void finished(TenantResult result) {
        running.remove(result.tenant());
        switch (result.outcome()) {
            case SUCCEEDED -> succeeded++;
            case FAILED -> failed++;
            case CANCELLED -> cancelled++;
            case NOT_STARTED -> {
            }
        }
    }

    /** No new tenant starts (Ctrl-C). */
    public synchronized void stopping() {
        stopping = true;
    }

    /** The running tenants are being cancelled (a second Ctrl-C). */
    public synchronized void cancelling() {
        stopping = true;
        cancelling = true;
    }

    private synchronized void doing(Tenant tenant, String what) {
        if (running.containsKey(tenant)) {
            running.put(tenant, new Doing(what, clock.getAsLong()));
        }
    }

    /** What {@code tenant}'s run tells, for {@code MigRunner.listener}. */
    public RunListener listener(Tenant tenant) {
        return new RunListener() {
            private int steps;

            @Override
            public void started(Plan plan, String target) {
                steps = plan.steps().size();
            }

            @Override
            public void waitingForLock(String holder) {
                doing(tenant, "waiting for the plan lock");
            }

            @Override
            public void stepStarting(Step step) {
                doing(tenant, "step " + (step.index() + 1) + "/" + steps + " " + step.name());
            }
        };
    }

    public synchronized FleetView.State state() {
        long now = clock.getAsLong();
        List<FleetView.Running> shown = new ArrayList<>();
        running.forEach((t, d) -> shown.add(new FleetView.Running(t.id(), d.what(), (now - d.sinceNanos()) / 1_000_000)));
        return new FleetView.State(total, succeeded, failed, cancelled, shown, (now - start) / 1_000_000, stopping, cancelling);
    }
}
