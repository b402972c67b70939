import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load loop scripts/lock-demo.sh falls back to when pgbench is not installed: the same mix as
 * its pgbench run (80% pgbench "select-only", 20% "simple-update", on the pgbench tables), from
 * CLIENTS connections, throttled to RATE transactions per second in all (Poisson arrivals, like
 * pgbench -R; latency counts from the scheduled start, so time spent queued behind a lock shows;
 * RATE 0: as fast as they go),
 * for SECONDS seconds. It writes one line per second to OUT in the layout of pgbench's aggregated
 * log: interval_start count sum_latency sum_latency_2 min_latency max_latency (microseconds).
 *
 * When its clock starts (connections open, the program compiled) it creates the file READY, so the
 * caller can line its timeline up with the load's seconds.
 *
 * Run as a single-file program: java -cp postgresql.jar LockDemoLoad.java URL CLIENTS SECONDS RATE OUT READY
 */
public class LockDemoLoad {
    static final int ACCOUNTS = 100_000;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int clients = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        double rate = Double.parseDouble(args[3]);
        String out = args[4];
        java.nio.file.Path ready = java.nio.file.Path.of(args[5]);
        long[] count = new long[seconds + 1];
        double[] sum = new double[seconds + 1];
        double[] sum2 = new double[seconds + 1];
        long[] min = new long[seconds + 1];
        long[] max = new long[seconds + 1];
        Connection[] conns = new Connection[clients];
        for (int i = 0; i < clients; i++) {
            conns[i] = DriverManager.getConnection(url);
            conns[i].createStatement().execute("SET application_name = 'lock-demo load'");
        }
        long startEpochMs = System.currentTimeMillis();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        java.nio.file.Files.writeString(ready, "started\n");
        Thread[] threads = new Thread[clients];
        for (int i = 0; i < clients; i++) {
            Connection c = conns[i];
            threads[i] = new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                double meanGapNs = 1e9 * clients / rate;
                long scheduled = start;
                try (PreparedStatement select = c.prepareStatement("SELECT abalance FROM pgbench_accounts WHERE aid = ?");
                     PreparedStatement update = c.prepareStatement("UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?");
                     PreparedStatement history = c.prepareStatement(
                             "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
                    while (true) {
                        scheduled = rate > 0 ? scheduled + (long) (-Math.log(1 - rnd.nextDouble()) * meanGapNs)
                                : System.nanoTime();
                        if (scheduled >= end) {
                            break;
                        }
                        long wait = scheduled - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        int aid = 1 + rnd.nextInt(ACCOUNTS);
                        if (rnd.nextInt(5) == 0) {  // simple-update: BEGIN; UPDATE; SELECT; INSERT; END
                            int delta = rnd.nextInt(-5000, 5001);
                            c.setAutoCommit(false);
                            update.setInt(1, delta);
                            update.setInt(2, aid);
                            update.executeUpdate();
                            select.setInt(1, aid);
                            try (ResultSet rs = select.executeQuery()) {
                                rs.next();
                            }
                            history.setInt(1, 1 + rnd.nextInt(10));
                            history.setInt(2, 1);
                            history.setInt(3, aid);
                            history.setInt(4, delta);
                            history.executeUpdate();
                            c.commit();
                            c.setAutoCommit(true);
                        } else {  // select-only
                            select.setInt(1, aid);
                            try (ResultSet rs = select.executeQuery()) {
                                rs.next();
                            }
                        }
                        long done = System.nanoTime();
                        long latencyUs = (done - scheduled) / 1000;
                        int k = (int) Math.min(seconds, (done - start) / 1_000_000_000L);
                        synchronized (count) {
                            if (count[k] == 0 || latencyUs < min[k]) {
                                min[k] = latencyUs;
                            }
                            count[k]++;
                            sum[k] += latencyUs;
                            sum2[k] += (double) latencyUs * latencyUs;
                            max[k] = Math.max(max[k], latencyUs);
                        }
                    }
                } catch (Exception e) {
                    System.err.println("lock-demo load: " + e);
                    System.exit(1);
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        try (PrintWriter w = new PrintWriter(out)) {
            for (int k = 0; k < seconds; k++) {
                w.printf("%d %d %.0f %.0f %d %d%n", startEpochMs / 1000 + k, count[k], sum[k], sum2[k], min[k], max[k]);
            }
        }
        long total = 0;
        for (long n : count) {
            total += n;
        }
        System.out.println("number of transactions actually processed: " + total);
        for (Connection c : conns) {
            c.close();
        }
    }
}
