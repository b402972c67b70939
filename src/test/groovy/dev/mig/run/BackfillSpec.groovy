package dev.mig.run

import dev.mig.testing.ChildJvm
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification

import java.sql.SQLException
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong

import static dev.mig.run.CrashSpec.anyMigSession
import static dev.mig.run.CrashSpec.waitUntil

/** Batched backfills (docs/DSL.md, "Batched backfills"): batches, progress in the journal, resume, throttles. */
class BackfillSpec extends Specification {

    PlanFiles files = new PlanFiles()

    static Map progress(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT to_regclass('mig.progress') IS NOT NULL AS e").e
                    ? s.firstRow('SELECT last_key, rows, batches, finished_at IS NOT NULL AS finished FROM mig.progress') : null
        }
    }

    static Map counts(String db, String table = 'counters') {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT count(*) FILTER (WHERE n = 0) AS zero, count(*) FILTER (WHERE n = 1) AS one, count(*) FILTER (WHERE n > 1) AS more FROM ${table}".toString())
        }
    }

    def "a backfill of 1,000,000 rows killed with SIGKILL twice at random batches resumes each time after its last committed batch"() {
        given:
        def db = TestPostgres.createDatabase('backfillkill')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 1000000)')
            s.execute('ANALYZE counters')
        }
        def plan = files.write('kill.groovy', """
            plan('kill') {
                step('count once') {
                    backfill {
                        table 'counters'
                        set 'n = n + 1'
                        batchSize 50_000
                        pause '100ms'
                    }
                    verify { expect('every row counted once') { value('SELECT count(*) FROM counters WHERE n <> 1') == 0 } }
                }
            }
        """).toString()
        def random = new Random()
        def killedAt = []

        when: 'mig runs in its own JVM and is killed twice, each time after a random number of batches'
        2.times { i ->
            int after = (progress(db)?.batches ?: 0) + 2 + random.nextInt(5)
            def log = File.createTempFile('backfill-kill', '.log')
            def process = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main', 'run', '--url', url, plan])
                    .redirectErrorStream(true).redirectOutput(log).start()
            waitUntil(120) {
                assert process.alive: "mig ended before it was killed:\n${log.text}"
                (progress(db)?.batches ?: 0) >= after
            }
            process.destroyForcibly()
            process.waitFor(10, TimeUnit.SECONDS)
            waitUntil(30) { !anyMigSession(db) }
            killedAt << progress(db).batches
            // what the journal says was done is exactly what was done: no batch half-committed
            def c = counts(db)
            assert c.one == progress(db).rows
            assert c.more == 0
            assert TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT status FROM mig.steps').status } == 'running'
        }

        and: 'it is run to the end'
        def rerun = MigCli.run(['run', '--url', url, plan])

        then: 'every row was counted exactly once, and the journal says all'
        killedAt[0] >= 2 && killedAt[1] > killedAt[0] && killedAt[1] < 20
        rerun.exitCode == 0
        rerun.out =~ /applied\s+count once/
        rerun.out.contains('count once  backfill counters: 1000000 rows, 20 batches, ')
        counts(db) == [zero: 0L, one: 1_000_000L, more: 0L]
        progress(db) == [last_key: '1000000', rows: 1_000_000L, batches: 20, finished: true]
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT status FROM mig.steps').status } == 'applied'
    }

    def "with no lockTimeout set, a batch waits at most 500 ms for a row lock and is tried again until it gets it"() {
        given: 'a session of the application holds a row lock for 2 s'
        def db = TestPostgres.createDatabase('backfillwait')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 10000)')
        }
        def plan = files.write('wait.groovy', """
            plan('wait') {
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 5_000 }
                }
            }
        """).toString()
        def holder = TestPostgres.connect(db)
        holder.autoCommit = false
        holder.createStatement().execute('UPDATE counters SET n = n WHERE id = 3')
        def release = Thread.start { Thread.sleep(2000); holder.commit(); holder.close() }

        when:
        def run = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan])
        release.join()

        then: 'the first batch timed out on the lock (55P03) after 500 ms, was rolled back and tried again'
        run.exitCode == 0
        run.out.contains('55P03')
        run.out.readLines().count { it.contains('retry') } >= 2
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) FILTER (WHERE n = 1) AS once, count(*) AS n FROM counters') }
                .values() as List == [10000, 10000]
    }

    def "a backfill while another session updates the same rows loses none of its updates and retries what deadlocks"() {
        given:
        def db = TestPostgres.createDatabase('backfillbusy')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, other int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 100000)')
        }
        def plan = files.write('busy.groovy', """
            plan('busy') {
                step('count once') {
                    lockTimeout '2s'
                    retries 50
                    backfill {
                        table 'counters'
                        set 'n = n + 1'
                        batchSize 2_000
                    }
                }
            }
        """).toString()
        def stop = new AtomicBoolean()
        def committed = new AtomicLong()
        def failedTx = new AtomicLong()
        def writer = Thread.start {
            def c = TestPostgres.connect(db)
            c.autoCommit = false
            def random = new Random(7)
            try {
                while (!stop.get()) {
                    // two rows in descending key order, against the backfill's ascending batches: deadlocks can happen
                    long high = 2 + random.nextInt(99_999)
                    long low = 1 + random.nextInt((int) high - 1)
                    try {
                        def st = c.createStatement()
                        st.execute("UPDATE counters SET other = other + 1 WHERE id = ${high}")
                        st.execute("UPDATE counters SET other = other + 1 WHERE id = ${low}")
                        c.commit()
                        committed.incrementAndGet()
                    } catch (SQLException e) {
                        c.rollback()
                        failedTx.incrementAndGet()
                    }
                }
            } finally {
                c.close()
            }
        }

        when:
        def run = MigCli.run(['run', '--url', url, plan])
        stop.set(true)
        writer.join(30_000)

        then: 'every row counted once by the backfill, and every committed write of the other session is there'
        run.exitCode == 0
        counts(db) == [zero: 0L, one: 100_000L, more: 0L]
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT sum(other) AS s FROM counters').s } == committed.get() * 2
        committed.get() > 0
        progress(db) == [last_key: '100000', rows: 100_000L, batches: 50, finished: true]
    }

    def "a batch that fails names its key range, and the rerun after the fix continues from the last committed batch"() {
        given: 'a CHECK that a second increment would break: a batch applied twice cannot pass'
        def db = TestPostgres.createDatabase('backfillfail')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0 CHECK (n <= 1))')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 10000)')
            s.execute('UPDATE counters SET n = 1 WHERE id = 5500')
        }
        def plan = files.write('fail.groovy', """
            plan('fail') {
                step('count once') {
                    backfill {
                        table 'counters'
                        set 'n = n + 1'
                        where 'id <> 0'
                        batchSize 1000
                    }
                }
            }
        """).toString()

        when:
        def run = MigCli.run(['run', '--url', url, plan])

        then: 'the step fails at the sixth batch, the five before it stay committed'
        run.exitCode == 1
        run.output.contains('backfill batch ("id" > 5000 AND "id" <= 6000) failed')
        run.output.contains('fail.groovy:4')
        progress(db) == [last_key: '5000', rows: 5000L, batches: 5, finished: false]
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT status FROM mig.steps').status } == 'failed'
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS c FROM counters WHERE n = 1 AND id <= 5000').c } == 5000

        when: 'the row is fixed and the plan run again'
        TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE counters SET n = 0 WHERE id = 5500') }
        def rerun = MigCli.run(['run', '--url', url, plan])

        then:
        rerun.exitCode == 0
        counts(db) == [zero: 0L, one: 10_000L, more: 0L]
        progress(db) == [last_key: '10000', rows: 10_000L, batches: 10, finished: true]
    }

    def "mig plan and run --dry-run say how many batches the table's statistics promise, and change nothing"() {
        given:
        def db = TestPostgres.createDatabase('backfillplan')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 10000)')
            s.execute('ANALYZE counters')
        }
        def plan = files.write('estimate.groovy', """
            plan('estimate') {
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 1000 }
                }
            }
        """).toString()

        when:
        def preview = MigCli.run(['plan', '--url', url, plan])
        def dry = MigCli.run(['run', '--dry-run', '--url', url, plan])

        then:
        preview.exitCode == 0
        preview.out.contains('backfill counters set n = n + 1 (batches of 1000): ~10 batches, ~10000 rows by the table\'s statistics  (')
        preview.out.contains('estimate.groovy:4)')
        dry.exitCode == 0
        dry.out.contains('~10 batches, ~10000 rows')
        counts(db) == [zero: 10_000L, one: 0L, more: 0L]
    }

    def "a replication lag above the bound holds the next batch until it drops"() {
        given: 'a lag query reading a table the test controls'
        def db = TestPostgres.createDatabase('backfilllag')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 1000)')
            s.execute('CREATE TABLE lag (seconds float8)')
            s.execute('INSERT INTO lag VALUES (30)')
        }
        def plan = files.write('lag.groovy', """
            plan('lag') {
                step('count once') {
                    backfill {
                        table 'counters'; set 'n = n + 1'; batchSize 100
                        maxReplicationLag '5s', query: 'SELECT seconds FROM lag'
                    }
                }
            }
        """).toString()

        when:
        def lowered = Thread.start {
            Thread.sleep(2500)
            TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE lag SET seconds = 0') }
        }
        long started = System.nanoTime()
        def run = MigCli.run(['run', '--url', url, plan])
        long ms = (System.nanoTime() - started) / 1_000_000
        lowered.join()

        then:
        run.exitCode == 0
        run.out.contains('waiting: replication lag 30.0s is above 5000ms')
        ms >= 2500
        counts(db) == [zero: 0L, one: 1000L, more: 0L]
    }

    def "a statement with {range} runs for each batch: an INSERT into another table, once per key"() {
        given:
        def db = TestPostgres.createDatabase('backfillinsert')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id, n) SELECT g, g % 7 FROM generate_series(1, 10000) g')
            s.execute('CREATE TABLE copies (id int PRIMARY KEY, n int NOT NULL)')
        }
        def plan = files.write('copy.groovy', """
            plan('copy') {
                step('copy') {
                    backfill {
                        table 'counters'
                        statement 'INSERT INTO copies (id, n) SELECT o.id, o.n FROM counters o WHERE {range o} AND o.n > 0'
                        batchSize 3000
                    }
                }
            }
        """).toString()

        when:
        def preview = MigCli.run(['plan', '--url', url, plan])
        def run = MigCli.run(['run', '--url', url, plan])

        then: 'the INSERT ran on four key ranges; a row inserted twice would break the primary key'
        preview.out.contains('backfill counters by its statement (batches of 3000)')
        run.exitCode == 0
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS c FROM copies').c } ==
                TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS c FROM counters WHERE n > 0').c }
        progress(db) == [last_key: '10000', rows: TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS c FROM copies').c }, batches: 4, finished: true]
    }

    def "maxBatchesPerSecond spaces the batches out, and pause waits after each"() {
        given:
        def db = TestPostgres.createDatabase('backfillrate')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 1000)')
        }
        def plan = files.write('rate.groovy', """
            plan('rate') {
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 100; maxBatchesPerSecond 5; pause '10ms' }
                }
            }
        """).toString()

        when: '10 batches, and one that finds no key left, at most 5 a second'
        long started = System.nanoTime()
        def run = MigCli.run(['run', '--url', url, plan])
        long ms = (System.nanoTime() - started) / 1_000_000

        then:
        run.exitCode == 0
        ms >= 2000
        counts(db) == [zero: 0L, one: 1000L, more: 0L]
        progress(db).batches == 10
    }

    def "backfill mistakes are plan errors at their line: #what"() {
        given:
        def plan = files.write('bad.groovy', """
            plan('bad') {
                step('fill') {
                    ${body}
                }
            }
        """).toString()

        when:
        def check = MigCli.run(['check', plan])

        then:
        check.exitCode == 2
        check.output.contains("bad.groovy:${line}: ${message}")

        where:
        what               | body                                                                   | line | message
        'no table'         | "backfill { set 'n = 1' }"                                             | 4    | "the backfill block of step 'fill' has no table"
        'no set'           | "backfill { table 't' }"                                               | 4    | "the backfill block of step 'fill' has no set"
        'batchSize 0'      | "backfill { table 't'; set 'n = 1'; batchSize 0 }"                     | 4    | 'batchSize 0 is not a whole number from 1 to 10000000'
        'batchSize text'   | "backfill { table 't'; set 'n = 1'; batchSize 'many' }"                | 4    | "batchSize 'many' is not a whole number from 1 to 10000000"
        'bad pause'        | "backfill { table 't'; set 'n = 1'; pause 'soon' }"                    | 4    | "'soon' is not a duration"
        'transaction true' | "transaction true\n backfill { table 't'; set 'n = 1' }"               | 4    | "transaction true in step 'fill', which has a backfill"
        'statement without {range}' | "backfill { table 't'; statement 'INSERT INTO b SELECT 1' }"  | 4    | "statement needs {range} where the batch's key range goes"
        'statement and set' | "backfill { table 't'; set 'n = 1'; statement 'UPDATE t SET n = 1 WHERE {range}' }" | 4 | "the backfill block of step 'fill' has a statement and set"
        'other SQL'        | "sql 'SELECT 1'\n backfill { table 't'; set 'n = 1' }"                 | 5    | "step 'fill' has a backfill and other SQL or code"
        'key twice'        | "backfill { table 't'; key 'a', 'a'; set 'n = 1' }"                    | 4    | 'key a, a names a column twice'
    }

    def "mig check --strict type-checks a backfill block"() {
        given:
        def plan = files.write('strict.groovy', """
            plan('strict') {
                step('fill') {
                    lockTimeout '500ms'
                    retries 20
                    backfill {
                        table 'sales.orders'
                        key 'tenant_id', 'id'
                        set 'n = n + 1'
                        where 'n = 0'
                        batchSize 10_000
                        pause '100ms'
                        maxBatchesPerSecond 2.5
                        maxReplicationLag '5s', query: 'SELECT 0'
                    }
                    verify { expect('all done') { value('SELECT count(*) FROM sales.orders WHERE n = 0') == 0 } }
                }
            }
        """).toString()

        when:
        def check = MigCli.run(['check', '--strict', plan])

        then:
        check.exitCode == 0
    }
}
