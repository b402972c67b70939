package dev.mig.journal;

import dev.mig.catalog.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The steps of a plan whose {@code applied} state came from {@code mig import --adopt}: the
 * newest history row that made the step applied ({@code applied}, {@code baselined} or
 * {@code adopted}) is an {@code adopted} one. Its {@code notices} say where it came from
 * ({@code adopted from public.flyway_schema_history installed_rank 3 (V2__pets.sql)}).
 */
public final class AdoptedSteps {

    private AdoptedSteps() {
    }

    /** Step name to the adopted row's notice; empty when none was adopted (or the journal has no history yet). */
    public static Map<String, String> read(Connection connection, String journalSchema, String plan) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT ON (step) step, outcome, notices FROM "
                + Identifiers.quote(journalSchema) + ".history WHERE plan = ? AND step IS NOT NULL AND outcome IN (?, ?, ?)"
                + " ORDER BY step, id DESC")) {
            ps.setString(1, plan);
            ps.setString(2, HistoryOutcome.APPLIED.word());
            ps.setString(3, HistoryOutcome.BASELINED.word());
            ps.setString(4, HistoryOutcome.ADOPTED.word());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (HistoryOutcome.ADOPTED.word().equals(rs.getString(2))) {
                        out.put(rs.getString(1), rs.getString(3) == null ? "adopted" : rs.getString(3));
                    }
                }
            }
        }
        return out;
    }
}
