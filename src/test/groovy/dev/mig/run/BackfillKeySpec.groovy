package dev.mig.run

import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification
import spock.lang.Timeout

import static dev.mig.run.BackfillSpec.counts
import static dev.mig.run.BackfillSpec.progress

/** Batched backfills along a composite primary key or a {@code key} (docs/DSL.md, "Batched backfills", "The key"). */
class BackfillKeySpec extends Specification {

    PlanFiles files = new PlanFiles()

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

    @Timeout(120)
    def "the batches end at the highest key when the run began: a writer inserting ahead faster than the batches go does not keep it running"() {
        given: 'a small batch and a pause: 100 keys every 20 ms or so, while a writer inserts far more ahead of them'
        def db = TestPostgres.createDatabase('backfillend')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0 CHECK (n <= 1))')
            s.execute('INSERT INTO counters (id) SELECT g FROM generate_series(1, 3000) g')
        }
        def plan = files.write('end.groovy', """
            plan('end') {
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 100; pause '20ms' }
                }
            }
        """).toString()
        def stop = new java.util.concurrent.atomic.AtomicBoolean()
        def writer = Thread.start {
            TestPostgres.withSql(db) { Sql s ->
                long next = 3001
                while (!stop.get()) {
                    s.execute("INSERT INTO counters (id) SELECT g FROM generate_series(${next}, ${next + 499}) g".toString())
                    next += 500
                    Thread.sleep(5)
                }
            }
        }

        when:
        def run = MigCli.run(['run', '--url', url, plan])
        stop.set(true)
        writer.join()

        then: 'every row up to the highest key at its start is counted once; the rows inserted after it are left to the application'
        run.exitCode == 0
        progress(db).finished == true
        long end = progress(db).last_key as long
        end >= 3000L
        TestPostgres.withSql(db) { Sql s ->
            [s.firstRow("SELECT count(*) AS c FROM counters WHERE id <= ${end} AND n = 1".toString()).c == end,
             s.firstRow("SELECT count(*) AS c FROM counters WHERE id > ${end} AND n = 0".toString()).c > 10_000L,
             s.firstRow('SELECT count(*) AS c FROM counters WHERE n > 1').c]
        } == [true, true, 0L]
    }
}

