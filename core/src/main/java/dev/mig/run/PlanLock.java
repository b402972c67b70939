package dev.mig.run;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The session advisory lock that lets one run of a plan at a time touch a database. It lives on
 * a connection of its own in autocommit, so waiting for it never holds a transaction open (and
 * cannot deadlock with a CREATE INDEX CONCURRENTLY), and it dies with its session, so a killed
 * run never strands it.
 */
public final class PlanLock implements AutoCloseable {

    /**
     * The command holding the lock, so that a run waiting for it can say what it waits for: the
     * holder takes a second advisory lock beside the plan lock, the marker of its command, which
     * the waiting run finds in {@code pg_locks} beside the plan lock. A run takes none: a holder
     * without a marker is described as a run of the plan, as before markers (and as a session
     * of an older mig or a hand-taken lock is).
     */
    public enum Holder {
        RUN(null, null),
        DRY_RUN("a dry run of this plan (mig run --dry-run)",
                "a dry run keeps the lock until it ends and rolls everything back; wait for it to finish (it changes nothing,"
                        + " so it may also be stopped), or pass --lock-wait 10m"),
        UNDO("mig undo of this plan", null),
        BASELINE("mig baseline of this plan", null),
        RESET("mig reset of this plan", null),
        ADOPT("mig import --adopt of this plan", null);

        private final String who;
        private final String hint;

        Holder(String who, String hint) {
            this.who = who;
            this.hint = hint;
        }
    }

    private static final String DEFAULT_HINT = "wait for that run to finish, or pass --lock-wait 10m";

    private final Connection connection;
    private final String identity;
    private final long key;
    private final Holder as;
    private boolean held;
    private boolean marked;

    public PlanLock(Connection connection, String journalSchema, String planName) {
        this(connection, journalSchema, planName, Holder.RUN);
    }

    /** The lock of a plan, taken for {@code as}, which a run waiting for it is told. */
    public PlanLock(Connection connection, String journalSchema, String planName, Holder as) {
        this(connection, journalSchema, planName, "", as);
    }

    /**
     * The lock of a plan on one tenant of a schema-per-tenant fleet ("" for the database's own), so
     * that tenants of one database run at the same time and each tenant's runs one at a time.
     */
    public PlanLock(Connection connection, String journalSchema, String planName, String tenant, Holder as) {
        this.connection = connection;
        this.identity = identity(journalSchema, planName, tenant);
        this.key = keyOf(identity);
        this.as = as;
    }

    /** The advisory lock key of a plan, so that tools and tests can see or take the same lock. */
    public static long keyFor(String journalSchema, String planName) {
        return keyFor(journalSchema, planName, "");
    }

    /** The advisory lock key of a plan on one tenant of a schema-per-tenant fleet. */
    public static long keyFor(String journalSchema, String planName, String tenant) {
        return keyOf(identity(journalSchema, planName, tenant));
    }

    private static String identity(String journalSchema, String planName, String tenant) {
        // a database's own lock keeps the key it had before tenants existed
        return journalSchema + "\u0000" + planName + (tenant == null || tenant.isEmpty() ? "" : "\u0000" + tenant);
    }

    /** A stable 64-bit key from the plan's identity: the first 8 bytes of its SHA-256. */
    public static long keyOf(String identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (digest[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls for the lock until {@code wait} has passed; then exits 4 naming the holder.
     * {@code onWait} hears once who holds it, when we first have to wait.
     */
    public void acquire(Duration wait, Consumer<String> onWait) throws SQLException {
        connection.setAutoCommit(true);
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 50;
        boolean told = false;
        while (true) {
            if (tryLock(key)) {
                held = true;
                // the marker is taken once the lock is held, so only the holder ever has one
                marked = as.who != null && tryLock(markerKey(as));
                return;
            }
            if (!told) {
                Described holder = holder();
                onWait.accept(holder.by() == null ? holder.session() : holder.by().who + ", " + holder.session());
                told = true;
            }
            if (System.nanoTime() >= deadline) {
                Described holder = holder();
                Holder by = holder.by();
                throw new MigException(ExitCode.LOCK_NOT_ACQUIRED,
                        (by == null ? "another run of this plan" : by.who) + " holds its lock: " + holder.session()
                                + "; gave up after " + wait.toSeconds() + " s",
                        (by == null || by.hint == null ? DEFAULT_HINT : by.hint) + "; the lock is released when its session ends");
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigException(ExitCode.LOCK_NOT_ACQUIRED, "interrupted while waiting for the plan lock");
            }
            pause = Math.min(500, pause * 2);
        }
    }

    /** The marker {@code as} takes beside the plan lock. */
    private long markerKey(Holder holder) {
        return keyOf(identity + "\u0000" + holder.name());
    }

    private boolean tryLock(long lockKey) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, lockKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The session holding the lock, and the command it holds it for when it says (null: a run, or unknown). */
    private record Described(String session, Holder by) {
    }

    /** The command whose marker session {@code pid} holds, or null. */
    private Holder command(int pid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT classid::bigint, objid::bigint FROM pg_locks"
                + " WHERE pid = ? AND locktype = 'advisory' AND granted AND objsubid = 1"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long held = (rs.getLong(1) << 32) | rs.getLong(2);
                    for (Holder h : Holder.values()) {
                        if (h.who != null && markerKey(h) == held) {
                            return h;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** pid, application, client and since when, of the session holding the lock, and what it holds it for. */
    private Described holder() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.pid, a.usename, a.application_name,"
                + " coalesce(host(a.client_addr), 'local socket'), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ')"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            int pid;
            String session;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Described("a session that has just released it", null);
                }
                pid = rs.getInt(1);
                session = "pid " + pid + " (user " + rs.getString(2) + ", application '" + rs.getString(3)
                        + "', client " + rs.getString(4) + ", connected since " + rs.getString(5) + ")";
            }
            return new Described(session, command(pid));
        }
    }

    @Override
    public void close() {
        if (!held) {
            return;
        }
        held = false;
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            if (marked) {
                marked = false;
                ps.setLong(1, markerKey(as));
                ps.execute();
            }
            ps.setLong(1, key);
            ps.execute();
        } catch (SQLException ignored) {
            // the locks go with the session, which the caller closes next
        }
    }
}
