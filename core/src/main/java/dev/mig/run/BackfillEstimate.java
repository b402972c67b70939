package dev.mig.run;

import dev.mig.model.Action;
import dev.mig.model.Plan;
import dev.mig.model.Step;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code mig plan} and {@code mig run --dry-run} say of a backfill before it runs: the
 * number of batches the table's statistics ({@code pg_class.reltuples}) promise. The statistics
 * are an estimate: ANALYZE makes them fresh, and a table never analyzed has none.
 */
public final class BackfillEstimate {

    private BackfillEstimate() {
    }

    /** {@code backfill orders set ... (batches of 50000): ~20 batches, ~1000000 rows by the table's statistics}. */
    public static String of(Connection connection, Action.Backfill b) throws SQLException {
        String head = b.describe();
        try (PreparedStatement ps = connection.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, b.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return head + ": table " + b.table() + " does not exist yet, no estimate";
                }
                double rows = rs.getDouble(1);
                if (rows < 0) {
                    return head + ": no statistics for " + b.table() + " yet (ANALYZE " + b.table() + " gives an estimate)";
                }
                long batches = Math.max(1, (long) Math.ceil(rows / b.batchSize()));
                return head + ": ~" + batches + " batch" + (batches == 1 ? "" : "es") + ", ~" + Math.round(rows)
                        + " rows by the table's statistics";
            }
        }
    }

    /** The estimate of each step of the plan that holds a backfill, by step name. */
    public static Map<String, String> forPlan(Connection connection, Plan plan) throws SQLException {
        Map<String, String> estimates = new LinkedHashMap<>();
        for (Step step : plan.steps()) {
            Action.Backfill b = in(step);
            if (b != null) {
                estimates.put(step.name(), of(connection, b));
            }
        }
        return estimates;
    }

    /** The backfill of a step, or null. */
    public static Action.Backfill in(Step step) {
        for (Action action : step.actions()) {
            if (action instanceof Action.Backfill b) {
                return b;
            }
        }
        return null;
    }
}
