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

    def "a composite primary key (tenant_id, id) is batched by row comparison: every row once, and a failed batch resumes at its key"() {
        given: 'a CHECK that a second increment would break: a batch applied twice cannot pass'
        def db = TestPostgres.createDatabase('backfillpair')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (tenant_id int, id bigint, n int NOT NULL DEFAULT 0 CHECK (n <= 1), PRIMARY KEY (tenant_id, id))')
            s.execute('INSERT INTO counters (tenant_id, id) SELECT t, i FROM generate_series(1, 5) t, generate_series(1, 2000) i')
            s.execute('UPDATE counters SET n = 1 WHERE (tenant_id, id) = (3, 1200)')
        }
        def plan = files.write('pair.groovy', """
            plan('pair') {
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 1500 }
                }
            }
        """).toString()

        when: 'batches of 1500 keys straddle the tenants: (1, 1500), (2, 1000), (3, 500), then the one holding (3, 1200)'
        def run = MigCli.run(['run', '--url', url, plan])

        then:
        run.exitCode == 1
        run.output.contains('backfill batch (("tenant_id", "id") > (3, 500) AND ("tenant_id", "id") <= (3, 2000)) failed')
        run.output.contains('pair.groovy:4')
        progress(db) == [last_key: '["3", "500"]', rows: 4500L, batches: 3, finished: false]
        TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS c FROM counters WHERE n = 1').c } == 4501

        when: 'the row is fixed and the plan run again'
        TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE counters SET n = 0 WHERE (tenant_id, id) = (3, 1200)') }
        def rerun = MigCli.run(['run', '--url', url, plan])

        then: 'it went on after (3, 500): every row counted exactly once'
        rerun.exitCode == 0
        counts(db) == [zero: 0L, one: 10_000L, more: 0L]
        progress(db) == [last_key: '["5", "2000"]', rows: 10_000L, batches: 7, finished: true]
    }

    def "a key of text, timestamptz and uuid columns resumes exactly where it stopped, quotes and all, and {range} compares rows"() {
        given:
        def db = TestPostgres.createDatabase('backfilltext')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''CREATE TABLE things (region text, at timestamptz, id uuid, n int NOT NULL DEFAULT 0 CHECK (n <= 1),
                         PRIMARY KEY (region, at, id))''')
            s.execute($/INSERT INTO things (region, at, id)
                         SELECT (ARRAY['eu', 'us "east"', 'o''k', 'back\slash', 'ünï', ',[x]', 'EU', E'tab\tbed'])[g % 8 + 1],
                                timestamptz '2026-01-01 00:00:00.123456+00' + (g / 3) * interval '1.5 s', md5(g::text)::uuid
                         FROM generate_series(1, 3000) g/$)
            // the 1900th row in key order
            s.execute('UPDATE things SET n = 1 WHERE (region, at, id) = (SELECT region, at, id FROM things ORDER BY region, at, id OFFSET 1899 LIMIT 1)')
        }
        def plan = files.write('things.groovy', """
            plan('things') {
                step('count once') {
                    backfill { table 'things'; statement 'UPDATE things o SET n = n + 1 WHERE {range o}'; batchSize 250 }
                }
            }
        """).toString()
        def lastKeyIsRow = { int offset ->
            TestPostgres.withSql(db) { Sql s ->
                s.firstRow("""SELECT (region, at, id) = (SELECT p.last_key::jsonb ->> 0, (p.last_key::jsonb ->> 1)::timestamptz,
                                     (p.last_key::jsonb ->> 2)::uuid FROM mig.progress p) AS same
                              FROM things ORDER BY region, at, id OFFSET ${offset} LIMIT 1""".toString()).same
            }
        }

        when:
        def run = MigCli.run(['run', '--url', url, plan])

        then: 'seven batches of 250 committed, the eighth (rows 1751 to 2000) failed'
        run.exitCode == 1
        run.output =~ /backfill batch \(\("region", "at", "id"\) > \('.+\) AND \("region", "at", "id"\) <= \('.+\)\) failed/
        progress(db).rows == 1750L
        progress(db).batches == 7
        lastKeyIsRow(1749)

        when:
        TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE things SET n = 0 WHERE n = 1 AND (region, at, id) > (SELECT region, at, id FROM things ORDER BY region, at, id OFFSET 1749 LIMIT 1)') }
        def rerun = MigCli.run(['run', '--url', url, plan])

        then:
        rerun.exitCode == 0
        counts(db, 'things') == [zero: 0L, one: 3000L, more: 0L]
        progress(db).rows == 3000L
        progress(db).batches == 12
        lastKeyIsRow(2999)
    }

    def "a table without a primary key is refused with what to do, and key names a unique not-null key instead"() {
        given:
        def db = TestPostgres.createDatabase('backfillnopk')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE codes (code text NOT NULL, note text, n int NOT NULL DEFAULT 0)')
            s.execute('CREATE UNIQUE INDEX codes_code ON codes (code)')
            s.execute("INSERT INTO codes (code, note) SELECT 'c' || g, CASE WHEN g > 1 THEN 'x' END FROM generate_series(1, 1000) g")
        }
        def write = { String name, String key ->
            files.write(name, """
                plan('codes') {
                    step('fill') {
                        backfill { table 'codes'; ${key}set 'n = n + 1'; batchSize 300 }
                    }
                }
            """).toString()
        }

        when:
        def bare = MigCli.run(['run', '--url', url, write('bare.groovy', '')])
        def nullable = MigCli.run(['run', '--url', url, write('nullable.groovy', "key 'note'; ")])
        def notUnique = MigCli.run(['run', '--url', url, write('unique.groovy', "key 'n'; ")])

        then:
        bare.exitCode == 1
        bare.output.contains('backfill: table codes has no primary key, and a backfill batches along one; give the table a primary key'
                + ' (ALTER TABLE codes ADD PRIMARY KEY (...)), or name the columns of a unique index, each NOT NULL, in the backfill block: key \'code\'')
        bare.output.contains('bare.groovy:4')
        bare.output.contains('fill')
        nullable.exitCode == 1
        nullable.output.contains('backfill: key note: column note of codes may be NULL, and a batch never reaches a NULL key')
        notUnique.exitCode == 1
        notUnique.output.contains('backfill: key n: table codes has no unique index on exactly these columns')
        counts(db, 'codes') == [zero: 1000L, one: 0L, more: 0L]

        when:
        def keyed = MigCli.run(['run', '--url', url, write('keyed.groovy', "key 'code'; ")])

        then:
        keyed.exitCode == 0
        counts(db, 'codes') == [zero: 0L, one: 1000L, more: 0L]
        progress(db) == [last_key: 'c999', rows: 1000L, batches: 4, finished: true]
    }

    def "mig status shows a backfill that failed part-way: rows, batches, last key and last batch, as text and in --format json"() {
        given: 'a backfill over (tenant_id, id) that fails in its fourth batch'
        def db = TestPostgres.createDatabase('backfillstatus')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (tenant_id int, id bigint, n int NOT NULL DEFAULT 0 CHECK (n <= 1), PRIMARY KEY (tenant_id, id))')
            s.execute('INSERT INTO counters (tenant_id, id) SELECT t, i FROM generate_series(1, 5) t, generate_series(1, 2000) i')
            s.execute('UPDATE counters SET n = 1 WHERE (tenant_id, id) = (3, 1200)')
        }
        def plan = files.write('status.groovy', """
            plan('status') {
                step('create log') { sql 'CREATE TABLE log (id int)' }
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 1500 }
                }
            }
        """).toString()
        assert MigCli.run(['run', '--url', url, plan]).exitCode == 1
        def lastBatch = TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS t FROM mig.progress").t
        }

        when:
        def text = MigCli.run(['status', '--url', url, plan])
        def json = MigCli.run(['status', '--url', url, '--format', 'json', plan])
        Map doc = dev.mig.cli.JsonOutputSpec.parse(json)

        then:
        text.exitCode == 0
        text.out.contains('  failed       count once  the next run resumes the backfill after its last batch\n'
                + "               backfill 4,500 rows done in 3 batches, last key (3, 500), last batch ${lastBatch} UTC\n")
        json.exitCode == 0
        doc.steps[0].backfill == null
        with(doc.steps[1].backfill as Map) {
            rows == 4500
            batches == 3
            lastKey == ['3', '500']
            finishedAt == null
            java.time.OffsetDateTime.parse(lastBatchAt as String).toInstant() ==
                    TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT updated_at FROM mig.progress').updated_at.toInstant() }
            startedAt != null
        }

        when: 'the row is fixed and the backfill finished: the line goes, the JSON says finished'
        TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE counters SET n = 0 WHERE (tenant_id, id) = (3, 1200)') }
        assert MigCli.run(['run', '--url', url, plan]).exitCode == 0
        def after = MigCli.run(['status', '--url', url, plan])
        Map done = dev.mig.cli.JsonOutputSpec.parse(MigCli.run(['status', '--url', url, '--format', 'json', plan]))

        then:
        !after.out.contains('rows done')
        done.steps[1].backfill.rows == 10_000
        done.steps[1].backfill.lastKey == ['5', '2000']
        done.steps[1].backfill.finishedAt != null
    }

    def "Ctrl-C (SIGINT) in the middle of a backfill: the batch in progress commits, exit 130, the journal holds the last batch, and the rerun finishes it, every row once"() {
        given:
        def db = TestPostgres.createDatabase('backfillint')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 200000)')
        }
        def plan = files.write('int.groovy', """
            plan('int') {
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 10_000; pause '200ms' }
                }
                step('later') { sql 'CREATE TABLE later (id int)' }
            }
        """).toString()
        def log = File.createTempFile('backfill-int', '.log')
        def process = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main', 'run', '--keep-going', '--url', url, plan])
                .redirectErrorStream(true).redirectOutput(log).start()

        when: 'mig gets SIGINT, as Ctrl-C sends it, after three batches'
        waitUntil(120) {
            assert process.alive: "mig ended before Ctrl-C:\n${log.text}"
            (progress(db)?.batches ?: 0) >= 3
        }
        new ProcessBuilder('kill', '-INT', process.pid().toString()).start().waitFor()
        assert process.waitFor(60, TimeUnit.SECONDS)
        waitUntil(30) { !anyMigSession(db) }
        def stopped = progress(db)
        def c = counts(db)

        then: 'what the journal says was done is exactly what was done'
        process.exitValue() == 130
        stopped.batches >= 3 && stopped.batches < 20
        !stopped.finished
        stopped.last_key == (stopped.batches * 10_000).toString()
        c.one == stopped.rows
        c.more == 0
        log.text.contains('mig: interrupted: the backfill stops once its batch in progress commits; the next run resumes after it')
        log.text.contains("backfill of counters stopped after batch ${stopped.batches} (\"id\" <= ${stopped.last_key}); the next run resumes after it")
        log.text.contains('FAILED')
        log.text.contains('interrupted (Ctrl-C): the process exits 130; run the same command again: the backfill resumes after its last batch')
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT status FROM mig.steps WHERE step = 'count once'").status } == 'failed'

        and: 'the run stopped there, --keep-going or not'
        log.text =~ /not run\s+later\s+the run was interrupted/
        !CrashSpec.exists(db, 'later')

        when:
        def rerun = MigCli.run(['run', '--url', url, plan])

        then:
        rerun.exitCode == 0
        CrashSpec.exists(db, 'later')
        counts(db) == [zero: 0L, one: 200_000L, more: 0L]
        progress(db) == [last_key: '200000', rows: 200_000L, batches: 20, finished: true]
    }

    def "a second Ctrl-C quits at once: the batch in progress rolls back, exit 130, and the rerun still counts every row once"() {
        given: 'batches that take about half a second each (pg_sleep for each row in the SET list)'
        def db = TestPostgres.createDatabase('backfillint2')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 20000)')
        }
        def plan = files.write('int2.groovy', """
            plan('int2') {
                step('count once') {
                    backfill { table 'counters'; set 'n = CASE WHEN pg_sleep(0.0002 * (id > 0)::int) IS NOT NULL THEN n + 1 ELSE n + 1 END'; batchSize 2_000 }
                }
            }
        """).toString()
        def log = File.createTempFile('backfill-int2', '.log')
        def process = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main', 'run', '--url', url, plan])
                .redirectErrorStream(true).redirectOutput(log).start()

        when: 'two SIGINTs right after each other, after the first batch'
        waitUntil(120) {
            assert process.alive: "mig ended before Ctrl-C:\n${log.text}"
            (progress(db)?.batches ?: 0) >= 1
        }
        2.times {
            new ProcessBuilder('kill', '-INT', process.pid().toString()).start().waitFor()
            Thread.sleep(50)
        }
        assert process.waitFor(60, TimeUnit.SECONDS)
        waitUntil(30) { !anyMigSession(db) }
        def stopped = progress(db)
        def c = counts(db)

        then:
        process.exitValue() == 130
        !stopped.finished
        c.one == stopped.rows
        c.more == 0

        when:
        def rerun = MigCli.run(['run', '--url', url, plan])

        then:
        rerun.exitCode == 0
        counts(db) == [zero: 0L, one: 20_000L, more: 0L]
        progress(db).finished
    }

    def "on a terminal the progress is redrawn in the live line, cut to COLUMNS; with --plain, -q and off a terminal, lines as before"() {
        given: 'a backfill of 50 batches, run again on each run'
        def db = TestPostgres.createDatabase('backfilllive')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 10000)')
        }
        def plan = files.write('live.groovy', """
            plan('live') {
                step('count once') {
                    runAlways true
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 200 }
                }
            }
        """).toString()
        def esc = '\u001b['
        def tickLine = ~/\s+count once  backfill counters: \d+ rows, \d+ batches, \d+ rows\/s/

        when:
        def live = MigCli.onTerminal(['run', '--url', url, plan], [COLUMNS: '200'])
        def narrow = MigCli.onTerminal(['run', '--url', url, plan], [COLUMNS: '60'])
        def plain = MigCli.onTerminal(['run', '--plain', '--url', url, plan])
        def quiet = MigCli.onTerminal(['run', '-q', '--url', url, plan])
        def piped = MigCli.run(['run', '--url', url, plan])

        then: 'the live line holds the progress; no line per tick, only the last one'
        live.exitCode == 0
        live.out =~ /\r\u001b\[2K\[1\/1\] \u001b\[1mrunning… +\u001b\[0m count once  \d+ s  backfill counters: 2000 rows, 10 batches, \d+ rows\/s/
        live.out.contains('backfill counters: 10000 rows, 50 batches, ')
        live.out.split('\n').count { it.replaceAll(/\r\u001b\[2K/, '') ==~ tickLine } == 0
        live.out =~ /count once  backfill counters: 10000 rows, 50 batches, \d+ rows\/s, done/

        and: 'on 60 columns each drawing of the live line is cut to 59 characters'
        def drawn = narrow.out.split(java.util.regex.Pattern.quote('\r' + esc + '2K'))*.takeWhile { it != '\n' }
                .collect { it.replaceAll(/\u001b\[\d+m/, '') }.findAll { it.contains('running…') }
        drawn.any { it.contains('backfill counters') }
        drawn.every { it.length() <= 59 }
        drawn.any { it.endsWith('…') }

        and: 'plain lines: one every 10 batches, and the last'
        [plain, piped].every { r ->
            r.exitCode == 0 && !r.out.contains('\r') && r.out.readLines().count { it ==~ tickLine } == 5
                    && r.out =~ /count once  backfill counters: 10000 rows, 50 batches, \d+ rows\/s, done/
        }
        quiet.exitCode == 0
        !quiet.out.contains('backfill counters')
        counts(db) == [zero: 0L, one: 0L, more: 10_000L]
    }
}
