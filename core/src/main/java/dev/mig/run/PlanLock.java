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

    private final Connection connection;
    private final long key;
    private boolean held;

    public PlanLock(Connection connection, String journalSchema, String planName) {
        this.connection = connection;
        this.key = keyFor(journalSchema, planName);
    }

    /** The advisory lock key of a plan, so that tools and tests can see or take the same lock. */
    public static long keyFor(String journalSchema, String planName) {
        return keyOf(journalSchema + "\u0000" + planName);
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
            if (tryLock()) {
                held = true;
                return;
            }
            if (!told) {
                onWait.accept(holder());
                told = true;
            }
            if (System.nanoTime() >= deadline) {
                throw new MigException(ExitCode.LOCK_NOT_ACQUIRED,
                        "another run of this plan holds its lock: " + holder() + "; gave up after " + wait.toSeconds() + " s",
                        "wait for that run to finish, or pass --lock-wait 10m; the lock is released when its session ends");
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

    private boolean tryLock() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** pid, application, client and since when, of the session holding the lock. */
    String holder() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.pid, a.usename, a.application_name,"
                + " coalesce(host(a.client_addr), 'local socket'), to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ')"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return "pid " + rs.getInt(1) + " (user " + rs.getString(2) + ", application '" + rs.getString(3)
                            + "', client " + rs.getString(4) + ", connected since " + rs.getString(5) + ")";
                }
                return "a session that has just released it";
            }
        }
    }

    @Override
    public void close() {
        if (!held) {
            return;
        }
        held = false;
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.execute();
        } catch (SQLException ignored) {
            // the lock goes with the session, which the caller closes next
        }
    }
}
