package dev.mig.journal;

import dev.mig.catalog.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each applied step of a plan came to be applied: the newest history row that made it applied
 * ({@code applied} by a run, {@code baselined}, or {@code adopted} by {@code mig import --adopt}),
 * with that row's notices ({@code adopted from public.flyway_schema_history installed_rank 3
 * (V2__pets.sql)}). {@code mig status} reads it for its text and its JSON.
 */
public final class AppliedOrigins {

    /** The outcome word of the row that applied the step ({@link HistoryOutcome#word()}), and its notices (null when none). */
    public record Origin(String outcome, String notices) {

        public boolean adopted() {
            return HistoryOutcome.ADOPTED.word().equals(outcome);
        }
    }

    private AppliedOrigins() {
    }

    /** Step name to its origin; empty when the journal has no history rows for the plan. */
    public static Map<String, Origin> read(Connection connection, Journal journal, String plan) throws SQLException {
        Map<String, Origin> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT ON (step) step, outcome, notices FROM "
                + Identifiers.quote(journal.schemaName()) + ".history WHERE " + journal.key(connection)
                + " AND step IS NOT NULL AND outcome IN (?, ?, ?)"
                + " ORDER BY step, id DESC")) {
            journal.bindKey(ps, 1, plan);
            ps.setString(3, HistoryOutcome.APPLIED.word());
            ps.setString(4, HistoryOutcome.BASELINED.word());
            ps.setString(5, HistoryOutcome.ADOPTED.word());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Origin(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }
}
