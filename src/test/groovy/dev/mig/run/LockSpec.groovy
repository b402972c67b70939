package dev.mig.run

import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.sql.DriverManager
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class LockSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()

    def "two concurrent runs of a plan apply each step exactly once"() {
        given:
        def db = TestPostgres.createDatabase('concurrent')
        def url = TestPostgres.jdbcUrl(db)
        def plan = files.write('concurrent.groovy', """
            plan('concurrent') {
                step('table') { sql 'CREATE TABLE events (id serial PRIMARY KEY, what text)' }
                step('slow insert') {
                    sql "INSERT INTO events (what) VALUES ('once'); SELECT pg_sleep(1)"
                    verify { rowCount 'events', 1 }
                }
                step('more') { sql "INSERT INTO events (what) VALUES ('twice?')" }
            }
        """)
        def pool = Executors.newFixedThreadPool(2)

        when:
        def futures = (1..2).collect { pool.submit({ MigCli.run(['run', '--url', url, plan.toString()]) } as Callable<MigCli>) }
        def results = futures*.get()

        then:
        results*.exitCode == [0, 0]
        results.count { it.out.contains('waiting for the plan lock, held by pid') } == 1
        results.count { it.out.contains('2 applied earlier') || it.out.contains('3 applied earlier') } == 1
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS n FROM events').n } == 2
        TestPostgres.withSql(db) { Sql s ->
            s.rows("SELECT step, count(*) AS n FROM mig.history WHERE outcome = 'applied' GROUP BY step")
                    .collectEntries { [(it.step): it.n] }
        } == ['table': 1L, 'slow insert': 1L, 'more': 1L]

        cleanup:
        pool.shutdownNow()
    }

    def "a run that cannot get the plan lock exits 4 after --lock-wait and names the holder"() {
        given:
        def db = TestPostgres.createDatabase('lockwait')
        def plan = files.write('held.groovy', "plan('held') { step('a') { sql 'CREATE TABLE a (id int)' } }")
        def holder = DriverManager.getConnection(TestPostgres.jdbcUrl(db) + '&ApplicationName=deploy-bot')
        holder.createStatement().execute("SELECT pg_advisory_lock(${PlanLock.keyFor('mig', 'held')})")
        def holderPid = new Sql(holder).firstRow('SELECT pg_backend_pid() AS pid').pid

        when:
        long started = System.nanoTime()
        def result = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), '--lock-wait', '1s', plan.toString()])
        long waitedMs = (System.nanoTime() - started) / 1_000_000

        then:
        result.exitCode == 4
        result.err.contains("another run of this plan holds its lock: pid ${holderPid}")
        result.err.contains("application 'deploy-bot'")
        result.err.contains('--lock-wait')
        waitedMs >= 1000
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass('a') IS NULL AS gone").gone }

        when: 'the holder goes away, the next run proceeds'
        holder.close()

        then:
        MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()]).exitCode == 0
    }

    def "a run held up by a dry run of the plan says it waits for a dry run, and so does its exit 4"() {
        given: 'a dry run of the plan, holding the plan lock while its step sleeps'
        def db = TestPostgres.createDatabase('lockdry')
        def url = TestPostgres.jdbcUrl(db)
        def plan = files.write('dry.groovy', "plan('dry') { step('nap') { sql 'SELECT pg_sleep(4)' } }")
        def pool = Executors.newSingleThreadExecutor()
        def dryRun = pool.submit({ MigCli.run(['run', '--url', url, '--dry-run', plan.toString()]) } as Callable<MigCli>)
        long key = PlanLock.keyFor('mig', 'dry')
        int holderPid = 0
        for (int i = 0; i < 200 && holderPid == 0; i++) {
            holderPid = TestPostgres.withSql(db) { Sql s ->
                s.firstRow("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                        + " AND classid::bigint = ? AND objid::bigint = ?", [key >>> 32, key & 0xffffffffL])?.pid ?: 0
            } as int
            Thread.sleep(50)
        }
        assert holderPid != 0

        when: 'a run of the plan waits 1 s for it'
        def result = MigCli.run(['run', '--url', url, '--lock-wait', '1s', plan.toString()])

        then:
        result.exitCode == 4
        result.out.contains("waiting for the plan lock, held by a dry run of this plan (mig run --dry-run), pid ${holderPid} (user ")
        result.err.contains("mig: a dry run of this plan (mig run --dry-run) holds its lock: pid ${holderPid} (user ")
        result.err.contains('gave up after 1 s')
        result.err.contains('hint: a dry run keeps the lock until it ends and rolls everything back; wait for it to finish'
                + ' (it changes nothing, so it may also be stopped), or pass --lock-wait 10m; the lock is released when its session ends')

        and: 'the dry run itself ends as usual, and a run after it is held by nothing'
        dryRun.get(30, TimeUnit.SECONDS).exitCode == 0
        with(MigCli.run(['run', '--url', url, '--lock-wait', '0s', plan.toString()])) {
            exitCode == 0
            !out.contains('waiting for the plan lock')
        }

        when: 'a session that holds the lock with no marker (a run, an older mig) is a run, as before'
        def holder = DriverManager.getConnection(url)
        holder.createStatement().execute("SELECT pg_advisory_lock(${key})")
        result = MigCli.run(['run', '--url', url, '--lock-wait', '0s', '--dry-run', plan.toString()])

        then:
        result.exitCode == 4
        result.err.contains('mig: another run of this plan holds its lock: pid ')
        result.err.contains('hint: wait for that run to finish, or pass --lock-wait 10m')

        cleanup:
        holder?.close()
        pool.shutdownNow()
    }

    def "a run waiting for the plan lock holds no transaction: a CREATE INDEX CONCURRENTLY elsewhere completes meanwhile"() {
        given: 'run A holds the plan lock (a session standing in for it, since a real run would hold a snapshot while its steps run)'
        def db = TestPostgres.createDatabase('lockidle')
        def url = TestPostgres.jdbcUrl(db)
        def plan = files.write('idle.groovy', "plan('idle') { step('a') { sql 'CREATE TABLE a (id int)' } }")
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE items (id int)')
            s.execute('INSERT INTO items SELECT generate_series(1, 10000)')
        }
        def runA = DriverManager.getConnection(url + '&ApplicationName=run-a')
        runA.createStatement().execute("SELECT pg_advisory_lock(${PlanLock.keyFor('mig', 'idle')})")
        def pool = Executors.newSingleThreadExecutor()

        when: 'run B starts and waits for the lock'
        def runB = pool.submit({ MigCli.run(['run', '--url', url, '--lock-wait', '60s', plan.toString()]) } as Callable<MigCli>)
        CrashSpec.waitUntil(30) {
            TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mig'").n } == 2
        }
        Thread.sleep(300)   // B has polled the lock a few times by now

        then: "both of B's sessions are idle, with no snapshot (backend_xmin) and no transaction id"
        TestPostgres.withSql(db) { Sql s ->
            s.rows("""SELECT state, backend_xmin::text AS xmin, backend_xid::text AS xid, xact_start FROM pg_stat_activity
                       WHERE datname = current_database() AND application_name = 'mig'""")
        }.every { it.state == 'idle' && it.xmin == null && it.xid == null && it.xact_start == null }

        and: 'a concurrent index build, which waits for every transaction with an older snapshot, completes'
        TestPostgres.withSql(db) { Sql s ->
            s.execute("SET statement_timeout = '20s'")
            s.execute('CREATE INDEX CONCURRENTLY items_id ON items (id)')
            s.firstRow("SELECT indisvalid AS v FROM pg_index WHERE indexrelid = 'items_id'::regclass").v
        }
        !runB.done

        when: 'A lets go'
        runA.close()

        then: 'B gets the lock and runs'
        with(runB.get(60, TimeUnit.SECONDS)) {
            exitCode == 0
            out.contains('waiting for the plan lock, held by pid')
            out.contains("application 'run-a'")
        }

        cleanup:
        runA?.close()
        pool.shutdownNow()
    }

    def "different plans do not wait for each other"() {
        given:
        def db = TestPostgres.createDatabase('twoplans')
        def one = files.write('one.groovy', "plan('one') { step('a') { sql 'CREATE TABLE one (id int)' } }")
        def two = files.write('two.groovy', "plan('two') { step('a') { sql 'CREATE TABLE two (id int)' } }")
        def holder = DriverManager.getConnection(TestPostgres.jdbcUrl(db))
        holder.createStatement().execute("SELECT pg_advisory_lock(${PlanLock.keyFor('mig', 'one')})")

        expect:
        MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), '--lock-wait', '0s', two.toString()]).exitCode == 0
        MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), '--lock-wait', '0s', one.toString()]).exitCode == 4

        cleanup:
        holder?.close()
    }
}
