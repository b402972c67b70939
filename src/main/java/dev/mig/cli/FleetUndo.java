package dev.mig.cli;

import dev.mig.fleet.FleetResult;
import dev.mig.fleet.FleetRunner;
import dev.mig.fleet.Shard;
import dev.mig.fleet.Tenant;
import dev.mig.fleet.TenantResult;
import dev.mig.fleet.TenantUndo;
import dev.mig.fleet.Waves;
import dev.mig.report.Printable;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code mig undo PLAN --fleet NAME}: the undo run on every tenant by a {@link FleetRunner}, with
 * the waves, {@code --parallel}, {@code --max-failures} and {@code --shard} of {@code mig run
 * --fleet}; a line per tenant as it finishes, a summary grouped by outcome, the fleet's exit code.
 */
final class FleetUndo {

    private final CliContext context;
    private final FleetOptions options;
    private final boolean quiet;

    FleetUndo(CliContext context, FleetOptions options, boolean quiet) {
        this.context = context;
        this.options = options;
        this.quiet = quiet;
    }

    /** @param what {@code the last step}, {@code the last 2 steps} or {@code 'b' and the steps applied after it} */
    int undo(TenantUndo task, String what, String name, List<Tenant> all, String to, int steps) {
        Shard shard = FleetCommands.shard(options.shard);
        List<Tenant> tenants = FleetCommands.inShard(all, shard);
        int parallel = options.parallel == null ? FleetOptions.DEFAULT_PARALLEL : options.parallel;
        FleetRunner fleet = new FleetRunner(parallel, options.maxFailures == null ? 0 : options.maxFailures);
        List<Waves.Wave> waves = Waves.of(tenants, options.canary == null ? 0 : options.canary, options.waves);
        PrintStream out = context.out();
        out.println(FleetCommands.head(name, tenants.size(), shard, all.size()) + ", " + waves.size()
                + (waves.size() == 1 ? " wave" : " waves") + ", " + parallel + " at a time: undo of " + what + " on each tenant");
        out.flush();
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C: no new tenant starts, the running undos finish (as mig run --fleet's first Ctrl-C)
        Thread onInterrupt = new Thread(() -> {
            fleet.stop();
            context.err().println("mig: interrupted: no new tenant starts; waiting for the running ones to finish");
            context.err().flush();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mig-fleet-undo-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            FleetResult result = fleet.run(waves, task, r -> {
                if (!quiet || r.failed()) {
                    out.println(task.line(r));
                    out.flush();
                }
            });
            summary(out, result, task, to, steps);
            return result.exitCode();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and returns now
            }
        }
    }

    private static void summary(PrintStream out, FleetResult result, TenantUndo task, String to, int steps) {
        List<TenantResult> succeeded = result.with(TenantResult.Outcome.SUCCEEDED);
        List<TenantResult> failed = result.with(TenantResult.Outcome.FAILED);
        List<TenantResult> notStarted = result.with(TenantResult.Outcome.NOT_STARTED);
        long nothing = succeeded.stream().filter(t -> task.undone(t) == 0).count();
        out.println();
        out.println("undone: " + succeeded.size() + (to == null ? "" : " (" + (succeeded.size() - nothing) + " undid their steps, "
                + nothing + " had '" + Printable.name(to) + "' not applied)"));
        if (!failed.isEmpty()) {
            out.println("failed: " + failed.size());
            failed.forEach(t -> out.println("  " + t.tenant().id() + ": " + t.failure()));
        }
        if (!notStarted.isEmpty()) {
            String why = notStarted.stream().map(TenantResult::notStarted).distinct().collect(Collectors.joining("; "));
            out.println("not started: " + notStarted.size() + " (" + why + ")"
                    + (to != null ? "; run the same command again to go on" : ""));
        }
        if (to == null && !succeeded.isEmpty() && (!failed.isEmpty() || !notStarted.isEmpty())) {
            out.println("note: the same command again would undo " + (steps == 1 ? "1 more step" : steps + " more steps")
                    + " on the tenants undone now; go on with --to STEP (it undoes nothing twice) or a --fleet-file of the others");
        }
        out.println(String.format(Locale.ROOT, "fleet: %d of %d tenants undone in %.1f s (exit %d)", succeeded.size(),
                result.tenants().size(), result.durationMs() / 1000.0, result.exitCode()));
        out.flush();
    }
}
