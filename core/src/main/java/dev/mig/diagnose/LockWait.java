package dev.mig.diagnose;

import dev.mig.model.ResolvedSettings;
import dev.mig.model.Setting;
import dev.mig.model.Step;
import dev.mig.result.Blocker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 55P03 and 57014: which timeout fired and where its value came from, and who blocked the
 * statement. The run's watcher asks {@code pg_blocking_pids} while a statement waits, so the hint
 * names exactly the sessions it saw. When it saw none (the wait was shorter than its first look),
 * the hint falls back to reading after the rollback: the blockers still hold their locks, so it
 * lists the sessions holding granted locks on the relations the statement names, which include
 * the ones that blocked it. 40P01 and 40001 get the blockers seen and the advice to retry.
 */
final class LockWait {

    private static final int HOLDERS = 5;
    private static final String IDLE_IN_TRANSACTION = "a session idle in transaction keeps its locks until it commits or"
            + " rolls back (idle_in_transaction_session_timeout ends such sessions); pg_terminate_backend(pid) ends it now";

    private LockWait() {
    }

    static List<String> diagnose(Context ctx) {
        String message = ctx.error().message() == null ? "" : ctx.error().message();
        List<String> lines = new ArrayList<>();
        Step step = ctx.step();
        ResolvedSettings settings = ctx.plan().settingsFor(step);
        if (message.equals("canceling statement due to lock timeout")) {
            Setting<String> lockTimeout = settings.lockTimeout();
            lines.add("lock_timeout " + lockTimeout.value() + " fired (" + lockTimeout.source() + "): the statement waited"
                    + " that long for a lock another session holds; lockTimeout on the step waits longer");
        } else if (message.startsWith("could not obtain lock")) {
            lines.add("the statement asked for its lock with NOWAIT, and another session holds it");
        } else if (message.equals("canceling statement due to statement timeout")) {
            Setting<String> statementTimeout = settings.statementTimeout();
            // unset by mig, the session's own value fired: read before the diagnosis set its own
            String value = statementTimeout.value() != null ? statementTimeout.value() : ctx.sessionStatementTimeout();
            lines.add("statement_timeout " + value + " fired (" + statementTimeout.source() + "): the statement ran longer"
                    + " than that, waiting for locks included; statementTimeout on the step allows more");
        } else if (message.equals("canceling statement due to user request")) {
            lines.add("another session cancelled the statement (pg_cancel_backend), or mig's connection was interrupted");
        } else {
            return List.of();
        }
        lines.addAll(ctx.blockers().isEmpty() ? holders(ctx) : seen(ctx.blockers()));
        if ("55P03".equals(ctx.error().sqlState())) {
            lines.add(retryAdvice(ctx));
        }
        return lines;
    }

    /** 40P01 and 40001: what happened, who was seen in the way, and {@code retries}. */
    static List<String> conflict(Context ctx) {
        List<String> lines = new ArrayList<>();
        if ("40P01".equals(ctx.error().sqlState())) {
            lines.add("a deadlock: this statement and another session each waited for a lock the other held, and"
                    + " PostgreSQL cancelled this one to break the cycle (the detail names the processes)");
        } else {
            lines.add("a serialization failure: a concurrent transaction changed what this one read or wrote,"
                    + " and the step can only succeed by running again");
        }
        lines.addAll(seen(ctx.blockers()));
        lines.add(retryAdvice(ctx));
        return lines;
    }

    private static String retryAdvice(Context ctx) {
        ResolvedSettings settings = ctx.plan().settingsFor(ctx.step());
        int retries = settings.retries().value();
        if (!ctx.step().transactional()) {
            return "a step without a transaction is not retried; run the plan again when the other session is done";
        }
        if (settings.lockRetrySchedule() && "55P03".equals(ctx.error().sqlState())) {
            return "mig's default lock-retry schedule tried the step again for " + settings.lockRetryFor().value()
                    + (settings.defaultLockRetryFor() ? "" : " (" + settings.lockRetryFor().source() + ")") + ", each attempt waiting "
                    + ResolvedSettings.SCHEDULE_LOCK_TIMEOUT + " for its locks and rolled back, and the lock never came free:"
                    + " end the session that holds it; lockRetryFor on the step (e.g. lockRetryFor '5m') tries for longer,"
                    + " each wait as short; or lockTimeout on the step (e.g. lockTimeout '30s') waits"
                    + " longer in one go, while the application's queries on the table wait as long behind it";
        }
        if (retries == 0) {
            return "retries 3 in the step (or in the plan block) tries the whole step again after a short pause";
        }
        return "the step was tried " + (retries + 1) + " times (retries " + retries + "), each attempt rolled back";
    }

    /** The sessions the watcher saw blocking the statement while it waited. */
    private static List<String> seen(List<Blocker> blockers) {
        if (blockers.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add("blocked by (seen while the statement waited):");
        boolean idleInTransaction = false;
        for (Blocker b : blockers.subList(0, Math.min(HOLDERS, blockers.size()))) {
            lines.add("  " + b.describe());
            idleInTransaction |= b.idleInTransaction();
        }
        if (blockers.size() > HOLDERS) {
            lines.add("  ... and " + (blockers.size() - HOLDERS) + " more");
        }
        if (idleInTransaction) {
            lines.add(IDLE_IN_TRANSACTION);
        }
        return lines;
    }

    private static List<String> holders(Context ctx) {
        Set<String> candidates = StatementShapes.relationCandidates(ctx.tokens());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> rows = ctx.query("""
                WITH rel AS (
                    SELECT DISTINCT to_regclass(t) AS oid FROM unnest(?::text[]) AS t WHERE to_regclass(t) IS NOT NULL
                )
                SELECT l.pid, a.usename AS usr, a.application_name AS app, a.state,
                       extract(epoch FROM now() - a.xact_start)::bigint AS xact_seconds,
                       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) AS query,
                       string_agg(DISTINCT l.mode, ', ') AS modes,
                       string_agg(DISTINCT n.nspname || '.' || c.relname, ', ') AS relations
                  FROM pg_locks l
                  JOIN rel ON rel.oid = l.relation
                  JOIN pg_class c ON c.oid = l.relation
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                 WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                 GROUP BY l.pid, a.usename, a.application_name, a.state, a.xact_start, a.query
                 ORDER BY a.xact_start NULLS LAST, l.pid
                 LIMIT ?""", (Object) candidates.toArray(String[]::new), HOLDERS + 1);
        if (rows.isEmpty()) {
            return List.of("no other session holds a lock on the relations the statement names now: the blocker has"
                    + " finished since, or it waited on something else (a row another transaction updates)");
        }
        List<String> lines = new ArrayList<>();
        lines.add("sessions holding locks on " + rows.get(0).get("relations")
                + (rows.size() > 1 ? " and the other relations named" : "") + ":");
        boolean idleInTransaction = false;
        for (Map<String, Object> r : rows.subList(0, Math.min(HOLDERS, rows.size()))) {
            String state = r.get("state") == null ? "state unknown" : (String) r.get("state");
            idleInTransaction |= state.startsWith("idle in transaction");
            String app = r.get("app") == null || ((String) r.get("app")).isEmpty() ? "" : ", application " + r.get("app");
            String age = r.get("xact_seconds") == null ? "" : ", transaction open " + r.get("xact_seconds") + " s";
            lines.add("  pid " + r.get("pid") + " (user " + r.get("usr") + app + ", " + state + age + ") holds "
                    + r.get("modes") + " on " + r.get("relations")
                    + (r.get("query") == null ? "" : "; last query: " + r.get("query")));
        }
        if (rows.size() > HOLDERS) {
            lines.add("  ... and more");
        }
        if (idleInTransaction) {
            lines.add(IDLE_IN_TRANSACTION);
        }
        return lines;
    }
}
