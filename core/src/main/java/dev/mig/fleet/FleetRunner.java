package dev.mig.fleet;

import dev.mig.LoadedPlan;
import dev.mig.MigResult;
import dev.mig.MigRunner;
import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one plan over the tenants of a fleet: each tenant is an ordinary run (its own plan lock,
 * journal and step transactions), at most {@code parallel} at once, so at most {@code 2 × parallel}
 * connections. Wave after wave: a wave starts only when every tenant of the one before succeeded.
 * After {@code maxFailures} failures no new tenant starts; running ones finish. {@link #stop()}
 * (Ctrl-C) does the same; {@link #cancel()} (a second Ctrl-C) also cancels the running ones.
 */
public final class FleetRunner {

    /** One tenant's run; it should return a result, not throw (a throw is taken as a failure with exit 1). */
    @FunctionalInterface
    public interface TenantTask {
        TenantResult run(Tenant tenant);

        /** Cancels the runs in progress, from another thread: their current step rolls back (see {@link MigRunner#cancel()}). */
        default void cancel() {
        }
    }

    /** Told each tenant's result as it finishes, one call at a time. */
    @FunctionalInterface
    public interface Listener {
        void finished(TenantResult result);

        /** A tenant's run starts (on the thread that runs it; one call at a time with {@link #finished}). */
        default void started(Tenant tenant) {
        }
    }

    private final int parallel;
    private final int maxFailures;
    private volatile boolean stopping;
    private volatile boolean cancelling;
    private volatile TenantTask current;
    private final Set<Tenant> inFlight = ConcurrentHashMap.newKeySet();

    /** {@code maxFailures} 0: no limit. */
    public FleetRunner(int parallel, int maxFailures) {
        if (parallel < 1) {
            throw new MigException(ExitCode.PLAN_ERROR, "--parallel " + parallel + " runs nothing", "write --parallel 4");
        }
        if (maxFailures < 0) {
            throw new MigException(ExitCode.PLAN_ERROR, "--max-failures " + maxFailures + " is negative",
                    "write --max-failures 1 to stop starting tenants at the first failure");
        }
        this.parallel = parallel;
        this.maxFailures = maxFailures;
    }

    /**
     * Each tenant runs the plan loaded once, on a runner {@code runner} builds for it (a runner is
     * not thread-safe, the plan is): {@code () -> plan.runner().journalSchema("mig")}.
     */
    public static TenantTask runs(Supplier<MigRunner> runner) {
        return runs(tenant -> runner.get());
    }

    /**
     * As {@link #runs(Supplier)}, the runner built knowing its tenant (a listener of its own, say);
     * the task's {@link TenantTask#cancel()} cancels the runners in progress.
     */
    public static TenantTask runs(Function<Tenant, MigRunner> runner) {
        Set<MigRunner> inProgress = ConcurrentHashMap.newKeySet();
        // a tenant whose journal says every step is applied is done after one read (UpToDate says when that holds)
        java.util.concurrent.atomic.AtomicReference<UpToDate> upToDate = new java.util.concurrent.atomic.AtomicReference<>();
        return new TenantTask() {
            private volatile boolean cancelled;

            @Override
            public TenantResult run(Tenant tenant) {
                long start = System.nanoTime();
                MigRunner r = null;
                try {
                    r = runner.apply(tenant).tenant(tenant.id(), tenant.schema());
                    UpToDate.Look look = upToDate(upToDate, r, tenant, start);
                    if (look.done() != null) {
                        return TenantResult.ran(tenant, look.done(), look.done().durationMs());
                    }
                    inProgress.add(r);
                    if (cancelled) {
                        // started as the cancel went by: it stops before connecting
                        r.cancel();
                    }
                    MigResult result = look.open() == null ? r.run(tenant.target()) : r.run(tenant.target(), look.open());
                    return TenantResult.ran(tenant, result.details(), (System.nanoTime() - start) / 1_000_000);
                } catch (MigException e) {
                    return TenantResult.stopped(tenant, e, (System.nanoTime() - start) / 1_000_000);
                } finally {
                    if (r != null) {
                        inProgress.remove(r);
                    }
                }
            }

            @Override
            public void cancel() {
                cancelled = true;
                // each on its own thread: a cancel request to an unreachable server waits for its timeout
                List<Thread> cancels = inProgress.stream().map(r -> new Thread(r::cancel, "mig-fleet-cancel")).toList();
                cancels.forEach(Thread::start);
                cancels.forEach(FleetRunner::joinQuietly);
            }
        };
    }

    /** What one read of the tenant's journal says ({@link UpToDate}), where a run may skip on it. */
    private static UpToDate.Look upToDate(java.util.concurrent.atomic.AtomicReference<UpToDate> shared, MigRunner r, Tenant tenant,
                                          long start) {
        UpToDate reader = r.reverifies() ? null : shared.updateAndGet(u -> u != null ? u : UpToDate.forRuns(r.plan(), r.options()));
        return reader == null ? new UpToDate.Look(null, null) : reader.look(tenant, start);
    }

    /** {@link #runs(Supplier)} with the library's defaults: {@code plan.runner()}, silent. */
    public static TenantTask runs(LoadedPlan plan) {
        return runs(plan::runner);
    }

    /** No new tenant starts from now on; the running ones finish (what Ctrl-C does). */
    public void stop() {
        stopping = true;
    }

    /**
     * No new tenant starts, and the running ones are cancelled (a second Ctrl-C): their current
     * step rolls back and they are reported {@code cancelled}; returns their ids, in no order. Returns
     * once the cancels are sent; {@link #run} returns when their runs have ended.
     */
    public List<String> cancel() {
        stopping = true;
        cancelling = true;
        List<String> ids = inFlight.stream().map(Tenant::id).toList();
        TenantTask task = current;
        if (task != null) {
            task.cancel();
        }
        return ids;
    }

    public FleetResult run(List<Waves.Wave> waves, TenantTask task, Listener listener) {
        long start = System.nanoTime();
        current = task;
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "mig-fleet-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Semaphore slots = new Semaphore(parallel);
        AtomicInteger failures = new AtomicInteger();
        Map<Tenant, TenantResult> results = new ConcurrentHashMap<>();
        List<Tenant> order = new ArrayList<>();
        String waveStop = null;
        try {
            for (Waves.Wave wave : waves) {
                List<Future<?>> running = new ArrayList<>();
                for (Tenant tenant : wave.tenants()) {
                    order.add(tenant);
                    String why = whyNot(waveStop, failures.get());
                    if (why == null) {
                        slots.acquireUninterruptibly();
                        why = whyNot(waveStop, failures.get());
                        if (why != null) {
                            slots.release();
                        }
                    }
                    if (why != null) {
                        results.put(tenant, TenantResult.notStarted(tenant, why));
                        continue;
                    }
                    running.add(pool.submit(() -> {
                        try {
                            synchronized (listener) {
                                listener.started(tenant);
                            }
                            TenantResult result = ran(task, tenant);
                            if (result.failed()) {
                                failures.incrementAndGet();
                            }
                            results.put(tenant, result);
                            synchronized (listener) {
                                listener.finished(result);
                            }
                        } finally {
                            slots.release();
                        }
                    }));
                }
                for (Future<?> f : running) {
                    waitFor(f);
                }
                if (waveStop == null && wave.tenants().stream().anyMatch(t -> results.get(t).failed())) {
                    waveStop = wave.name() + " had failures";
                }
            }
        } finally {
            pool.shutdown();
        }
        return new FleetResult(order.stream().map(results::get).toList(), (System.nanoTime() - start) / 1_000_000, stopping);
    }

    private TenantResult ran(TenantTask task, Tenant tenant) {
        inFlight.add(tenant);
        TenantResult result;
        try {
            result = safely(task, tenant);
        } finally {
            inFlight.remove(tenant);
        }
        // after a cancel a failure is the cancel's doing; a tenant that finished before it reached it keeps its success
        return cancelling && result.outcome() == TenantResult.Outcome.FAILED ? TenantResult.cancelled(result) : result;
    }

    private String whyNot(String waveStop, int failed) {
        if (stopping) {
            return "interrupted (Ctrl-C)";
        }
        if (waveStop != null) {
            return waveStop;
        }
        if (maxFailures > 0 && failed >= maxFailures) {
            return "--max-failures " + maxFailures + " reached";
        }
        return null;
    }

    private static TenantResult safely(TenantTask task, Tenant tenant) {
        long start = System.nanoTime();
        try {
            return task.run(tenant);
        } catch (RuntimeException e) {
            return TenantResult.stopped(tenant, new MigException(ExitCode.STEP_FAILED, "the run failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
