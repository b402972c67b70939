package dev.mig.lifecycle;

import dev.mig.catalog.Identifiers;
import dev.mig.journal.AppliedOrigins;
import dev.mig.journal.BackfillProgress;
import dev.mig.journal.Journal;
import dev.mig.journal.JournalEntry;
import dev.mig.run.PlanLock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code mig status} reads, without changing anything: the journal's rows of a plan, how
 * each applied step came to be applied (the journal's history), and who holds the plan's lock now.
 * The journal is read only if it exists, never created; the lock is looked up in {@code pg_locks},
 * never taken.
 */
public final class PlanStatus {

    /** The session holding the plan lock: a run of the plan under way. */
    public record LockHolder(int pid, String user, String application, OffsetDateTime since) {
    }

    /**
     * @param origins per step name, the {@code history.outcome} of the last row that applied it:
     *                {@code applied}, {@code baselined} or {@code adopted}
     * @param lock    null when no session holds the plan lock
     * @param backfills per step name, the journal's backfill progress row (docs/DSL.md, "Batched backfills")
     */
    public record Reading(boolean journalExists, Map<String, JournalEntry> entries, Map<String, String> origins,
                          LockHolder lock, Map<String, BackfillProgress.Row> backfills) {
        public Reading {
            entries = Map.copyOf(entries);
            origins = Map.copyOf(origins);
            backfills = Map.copyOf(backfills);
        }

        public Reading(boolean journalExists, Map<String, JournalEntry> entries, Map<String, String> origins, LockHolder lock) {
            this(journalExists, entries, origins, lock, Map.of());
        }
    }

    private PlanStatus() {
    }

    public static Reading read(Connection connection, Journal journal, String plan) throws SQLException {
        boolean exists = journal.exists(connection);
        Map<String, JournalEntry> entries = exists ? journal.read(connection, plan) : Map.of();
        Map<String, String> origins = exists ? origins(connection, journal, plan) : Map.of();
        long lock = PlanLock.keyFor(journal.schemaName(), plan, journal.tenant());
        Map<String, BackfillProgress.Row> backfills = exists ? new BackfillProgress(journal).readAll(connection, plan) : Map.of();
        return new Reading(exists, entries, origins, lockHolder(connection, lock), backfills);
    }

    private static Map<String, String> origins(Connection connection, Journal journal, String plan) throws SQLException {
        Map<String, String> origins = new HashMap<>();
        AppliedOrigins.read(connection, journal, plan).forEach((step, origin) -> origins.put(step, origin.outcome()));
        return origins;
    }

    /** The session holding the advisory lock {@link PlanLock} takes for this plan, or null. */
    private static LockHolder lockHolder(Connection connection, long key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT l.pid, a.usename, a.application_name, a.backend_start"
                + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::bigint = ?"
                + " AND l.objid::bigint = ? AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new LockHolder(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class)) : null;
            }
        }
    }
}
