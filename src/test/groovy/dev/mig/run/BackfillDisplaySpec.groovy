package dev.mig.run

import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification

import static dev.mig.run.BackfillSpec.counts
import static dev.mig.run.BackfillSpec.progress

/** A backfill's progress in mig status and in the live line on a terminal (docs/DSL.md, "Batched backfills"). */
class BackfillDisplaySpec extends Specification {

    PlanFiles files = new PlanFiles()

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

    def "on a terminal the progress is redrawn in the live line, cut to COLUMNS; with --plain, -q and off a terminal, lines as before"() {
        given: 'a backfill of 50 batches, run again on each run'
        def db = TestPostgres.createDatabase('backfilllive')
        def url = TestPostgres.jdbcUrl(db)
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
            s.execute('INSERT INTO counters (id) SELECT generate_series(1, 10000)')
            // statistics from the start: autovacuum analyzes the table between runs anyway, and the lines carry the estimate
            s.execute('ANALYZE counters')
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
        def tickLine = ~/\s+count once  backfill counters: \d+ rows, \d+ of ~50 batches, \d+ rows\/s, ETA \d+s/

        when:
        def live = MigCli.onTerminal(['run', '--url', url, plan], [COLUMNS: '200'])
        def narrow = MigCli.onTerminal(['run', '--url', url, plan], [COLUMNS: '60'])
        def plain = MigCli.onTerminal(['run', '--plain', '--url', url, plan])
        def quiet = MigCli.onTerminal(['run', '-q', '--url', url, plan])
        def piped = MigCli.run(['run', '--url', url, plan])

        then: 'the live line holds the progress; no line per tick, only the last one'
        live.exitCode == 0
        live.out =~ /\r\u001b\[2K\[1\/1\] \u001b\[1mrunning… +\u001b\[0m count once  \d+ s  backfill counters: 2000 rows, 10 of ~50 batches, \d+ rows\/s, ETA \d+s/
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
