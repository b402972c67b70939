package dev.mig.lifecycle;

import dev.mig.catalog.Identifiers;
import dev.mig.journal.HistoryOutcome;
import dev.mig.journal.Journal;
import dev.mig.model.Plan;
import dev.mig.run.PlanLock;
import dev.mig.run.PlanSession;
import dev.mig.run.Runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code mig reset}'s database half: what dropping a plan's owned schemas would remove, and the
 * drop itself, in one transaction with the removal of the plan's journal state. Other plans'
 * journal rows are not touched; the history keeps every earlier attempt and gains a
 * {@code reset} row, since it is append-only.
 */
public final class Reset {

    /** One owned schema as found: whether it exists, and how many tables it holds. */
    public record OwnedSchema(String name, boolean exists, int tables) {
        String describe() {
            return "schema " + name + (exists ? " (" + tables + " table" + (tables == 1 ? "" : "s") + ")" : " (not present)");
        }
    }

    /** Everything a reset would remove. */
    public record Survey(List<OwnedSchema> schemas, int journalRows, String journalSchema, String plan) {
        public String describe() {
            return schemas.stream().map(OwnedSchema::describe).collect(Collectors.joining(", "))
                    + " and the " + journalRows + " journal row" + (journalRows == 1 ? "" : "s") + " of plan '" + plan
                    + "' in " + journalSchema + ".steps";
        }
    }

    private final Plan plan;
    private final Journal journal;

    public Reset(Plan plan, Journal journal) {
        this.plan = plan;
        this.journal = journal;
    }

    public Survey survey(Connection connection) throws SQLException {
        List<OwnedSchema> schemas = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT n.oid IS NOT NULL,"
                + " (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p'))::int"
                + " FROM (SELECT ?::text AS name) w LEFT JOIN pg_namespace n ON n.nspname = w.name")) {
            for (String schema : plan.settings().owns()) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    schemas.add(new OwnedSchema(schema, rs.getBoolean(1), rs.getInt(2)));
                }
            }
        }
        int rows = 0;
        if (journal.exists(connection)) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT count(*)::int FROM "
                    + Identifiers.quote(journal.schemaName()) + ".steps WHERE " + journal.key(connection))) {
                journal.bindKey(ps, 1, plan.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows = rs.getInt(1);
                }
            }
        }
        return new Survey(schemas, rows, journal.schemaName(), plan.name());
    }

    /**
     * Drops the owned schemas and the plan's journal state in a plan session: refused behind a
     * transaction pooler as a run is, and under the plan lock, which keeps a run of this plan from
     * working in the schemas while they are dropped. Returns what was there.
     */
    public Survey apply(Runner.Connector connector, String targetDisplay, Duration lockWait, Consumer<String> onWait,
                        String migVersion) throws SQLException {
        try (PlanSession session = PlanSession.open(connector, targetDisplay, journal, plan.name(), lockWait, onWait,
                PlanLock.Holder.RESET)) {
            return apply(session.connection(), migVersion);
        }
    }

    /** The drop and the journal's removal in one transaction. */
    private Survey apply(Connection connection, String migVersion) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            Survey survey = survey(connection);
            try (Statement st = connection.createStatement()) {
                for (String schema : plan.settings().owns()) {
                    st.execute("DROP SCHEMA IF EXISTS " + Identifiers.quote(schema) + " CASCADE");
                }
            }
            if (journal.exists(connection)) {
                String schema = Identifiers.quote(journal.schemaName());
                try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + schema + ".steps WHERE "
                        + journal.key(connection))) {
                    journal.bindKey(ps, 1, plan.name());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + schema
                        + ".history (run_id, plan, step, outcome, started_at, mig_version, error)"
                        + " VALUES (?, ?, NULL, ?, now(), ?, ?)")) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setString(2, plan.name());
                    ps.setString(3, HistoryOutcome.RESET.word());
                    ps.setString(4, migVersion);
                    ps.setString(5, "dropped " + survey.describe());
                    ps.executeUpdate();
                }
            }
            connection.commit();
            return survey;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
