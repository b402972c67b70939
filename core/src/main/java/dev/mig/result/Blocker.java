package dev.mig.result;

import java.util.ArrayList;
import java.util.List;

/**
 * A session that blocked one of mig's statements, as {@code pg_blocking_pids} and
 * {@code pg_stat_activity} showed it while the statement waited. Fields the server did not show
 * (another role's session, without {@code pg_read_all_stats}) are null.
 *
 * @param client             the client address, {@code local socket}, or null for a server process
 * @param stateSeconds       how long the session has been in {@code state}
 * @param transactionSeconds how long its transaction has been open; null outside a transaction
 * @param query              its current query when active, else its last one, shortened
 */
public record Blocker(int pid, String user, String application, String client, String state, Long stateSeconds,
                      Long transactionSeconds, String query) {

    /** {@code pid 123 (user app, application report-job, client 10.0.0.7, idle in transaction for 12 s): SELECT ...} */
    public String describe() {
        List<String> about = new ArrayList<>();
        if (user != null) {
            about.add("user " + user);
        }
        if (application != null && !application.isEmpty()) {
            about.add("application " + application);
        }
        if (client != null) {
            about.add("client " + client);
        }
        if (state != null) {
            about.add(state + (stateSeconds == null ? "" : " for " + stateSeconds + " s"));
        }
        if (transactionSeconds != null && (stateSeconds == null || transactionSeconds - stateSeconds >= 1)) {
            about.add("transaction open " + transactionSeconds + " s");
        }
        String text = "pid " + pid + (about.isEmpty() ? "" : " (" + String.join(", ", about) + ")");
        return query == null || query.isEmpty() ? text : text + ": " + query;
    }

    public boolean idleInTransaction() {
        return state != null && state.startsWith("idle in transaction");
    }
}
