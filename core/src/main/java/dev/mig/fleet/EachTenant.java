package dev.mig.fleet;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * A read of every tenant ({@code mig status --fleet --format json}, {@code mig plan --fleet}): at
 * most {@code parallel} at once, the answers in the fleet's order. {@code read} answers for its
 * tenant, an unreachable one included; it should not throw.
 */
public final class EachTenant {

    private EachTenant() {
    }

    public static <T> List<T> read(List<Tenant> tenants, int parallel, Function<Tenant, T> read) {
        if (parallel < 1) {
            throw new MigException(ExitCode.PLAN_ERROR, "--parallel " + parallel + " reads nothing", "write --parallel 4");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, Math.max(1, tenants.size())), r -> {
            Thread t = new Thread(r, "mig-fleet-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Callable<T>> reads = new ArrayList<>();
            tenants.forEach(t -> reads.add(() -> read.apply(t)));
            List<T> answers = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(reads)) {
                answers.add(f.get());
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigException(ExitCode.STEP_FAILED, "interrupted while reading the fleet's tenants");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }
}
