package dev.mig.run

import dev.mig.testing.ChildJvm
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification

import java.util.concurrent.TimeUnit

import static dev.mig.run.BackfillSpec.counts
import static dev.mig.run.BackfillSpec.progress
import static dev.mig.run.CrashSpec.anyMigSession
import static dev.mig.run.CrashSpec.waitUntil

/** Ctrl-C in a backfill run by mig run in its own JVM (docs/DSL.md, "Batched backfills", "Ctrl-C"). */
class BackfillStopSpec extends Specification {

    PlanFiles files = new PlanFiles()

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

    def "Ctrl-C while a backfill waits for replication stops it at once, before the batch it waited for"() {
        given: 'a lag the test controls, above the bound'
        def db = TestPostgres.createDatabase('backfillintlag')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 1000)')
            s.execute('CREATE TABLE lag (seconds float8)')
            s.execute('INSERT INTO lag VALUES (30)')
        }
        def plan = files.write('intlag.groovy', """
            plan('intlag') {
                step('count once') {
                    backfill { table 'counters'; set 'n = n + 1'; batchSize 100; maxReplicationLag '5s', query: 'SELECT seconds FROM lag' }
                }
            }
        """).toString()
        def log = File.createTempFile('backfill-intlag', '.log')
        def process = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main', 'run', '--url', url, plan])
                .redirectErrorStream(true).redirectOutput(log).start()

        when:
        waitUntil(120) {
            assert process.alive: "mig ended before Ctrl-C:\n${log.text}"
            log.text.contains('waiting: replication lag 30.0s is above 5000ms')
        }
        long sent = System.nanoTime()
        new ProcessBuilder('kill', '-INT', process.pid().toString()).start().waitFor()
        assert process.waitFor(60, TimeUnit.SECONDS)
        long ms = (System.nanoTime() - sent) / 1_000_000

        then: 'no batch ran: the wait ended within its one-second poll'
        process.exitValue() == 130
        ms < 5000
        log.text.contains('backfill of counters stopped before its first batch; the next run resumes after it')
        counts(db) == [zero: 1000L, one: 0L, more: 0L]

        when:
        TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE lag SET seconds = 0') }
        def rerun = MigCli.run(['run', '--url', url, plan])

        then:
        rerun.exitCode == 0
        counts(db) == [zero: 0L, one: 1000L, more: 0L]
    }
}
