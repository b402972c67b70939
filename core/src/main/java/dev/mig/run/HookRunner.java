package dev.mig.run;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.CatalogView;
import dev.mig.model.Action;
import dev.mig.model.Hook;
import dev.mig.model.Plan;
import dev.mig.result.HookResult;
import dev.mig.result.StepFailure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a plan's hooks on the run's connection, each in a transaction of its own (or in autocommit
 * with {@code transaction false}) under the plan's default lock and statement timeouts: a hook that
 * fails is rolled back and leaves the steps before it as they are.
 */
final class HookRunner {

    private final Connection connection;
    private final Plan plan;
    private final List<String> searchPath;
    private final BlockerWatch watch;
    private final RunListener listener;

    HookRunner(Connection connection, Plan plan, List<String> searchPath, BlockerWatch watch, RunListener listener) {
        this.connection = connection;
        this.plan = plan;
        this.searchPath = searchPath;
        this.watch = watch;
        this.listener = listener;
    }

    /** Runs every hook of {@code when}, in plan order, until one fails; each result is also told to the listener. */
    List<HookResult> run(Hook.When when, String afterStep) {
        List<HookResult> results = new ArrayList<>();
        for (Hook hook : plan.hooks(when)) {
            HookResult result = runOne(hook, afterStep);
            results.add(result);
            listener.hookFinished(result);
            if (result.failed()) {
                break;
            }
        }
        return results;
    }

    private HookResult runOne(Hook hook, String afterStep) {
        long started = System.nanoTime();
        List<String> notices = new ArrayList<>();
        StepFailure failure = null;
        try {
            connection.setAutoCommit(!hook.transactional());
            StepSettings.apply(connection, plan.defaults().oneWait(), hook.transactional());
            Catalog catalog = new Catalog(connection, searchPath);
            SqlExecutor sql = new SqlExecutor(connection, notices, watch);
            for (Action action : hook.actions()) {
                catalog.refresh();
                if (action instanceof Action.Sql s) {
                    sql.run(s);
                } else if (action instanceof Action.Code code) {
                    runCode(code, catalog);
                }
            }
            if (hook.transactional()) {
                connection.commit();
            }
        } catch (StepFailedException e) {
            failure = e.failure();
        } catch (SQLException e) {
            failure = StepFailure.of(hook.when().word() + ": " + e.getMessage(), hook.location(), e);
        } finally {
            failure = restore(hook, failure);
        }
        return new HookResult(hook, afterStep, (System.nanoTime() - started) / 1_000_000, failure, notices);
    }

    private void runCode(Action.Code code, Catalog catalog) throws StepFailedException {
        CatalogRefreshingSql db = new CatalogRefreshingSql(connection, catalog);
        watch.begin();
        boolean failed = true;
        try {
            CatalogRefreshingSql.quietly(() -> PlanCode.call(code.body(), new CatalogView(catalog), db));
            failed = false;
        } catch (Exception e) {
            throw new StepFailedException(PlanCode.failure("groovy block", e, code.location(), plan.file()));
        } finally {
            watch.end(failed);
        }
    }

    /** Rolls a failed hook back and puts the connection back as the runner keeps it: no autocommit, the session's timeouts. */
    private StepFailure restore(Hook hook, StepFailure failure) {
        try {
            if (failure != null && !connection.getAutoCommit()) {
                connection.rollback();
            }
            if (!hook.transactional()) {
                StepSettings.reset(connection);
            }
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            if (failure == null) {
                return StepFailure.of(hook.when().word() + ": " + e.getMessage(), hook.location(), e);
            }
        }
        return failure;
    }
}
