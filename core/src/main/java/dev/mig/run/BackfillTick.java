package dev.mig.run;

/**
 * Where a running backfill stands, for the console: rows changed and batches done (earlier
 * attempts' included), this run's rate, and what the table's statistics ({@code pg_class.reltuples})
 * say is left; {@code etaSeconds} and {@code batchesEstimated} are -1 when the statistics know nothing.
 */
public record BackfillTick(String table, long rows, int batches, long batchesEstimated, double rowsPerSecond,
                           long etaSeconds, boolean done, String waiting) {

    /** {@code backfill orders: 350000 rows, 7 of ~20 batches, 95000 rows/s, ETA 3s}. */
    public String text() {
        boolean ofEstimate = batchesEstimated >= 0 && !done;
        long counted = ofEstimate ? batchesEstimated : batches;
        StringBuilder s = new StringBuilder("backfill ").append(table).append(": ").append(rows).append(rows == 1 ? " row, " : " rows, ")
                .append(batches).append(ofEstimate ? " of ~" + batchesEstimated : "").append(counted == 1 ? " batch, " : " batches, ")
                .append(Math.round(rowsPerSecond)).append(" rows/s");
        if (done) {
            s.append(", done");
        } else if (etaSeconds >= 0) {
            s.append(", ETA ").append(etaSeconds).append('s');
        }
        if (waiting != null) {
            s.append("; ").append(waiting);
        }
        return s.toString();
    }
}
