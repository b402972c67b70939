package dev.mig.run

import dev.mig.api.ExitCode
import dev.mig.api.MigException
import dev.mig.journal.Journal
import dev.mig.lifecycle.Reset
import dev.mig.plan.PlanLoader
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Path
import java.time.Duration
import spock.lang.Isolated

@Isolated("counts the advisory locks of the whole server (pg_locks), which a concurrent run would hold")
class ResetSpec extends DatabaseSpec {

    Path kb = files.write('kb.groovy', '''\
        plan('kb') {
            owns 'kb', '"Core"'
            step('schemas') { sql 'CREATE SCHEMA kb; CREATE SCHEMA "Core"' }
            step('tables') {
                sql 'CREATE TABLE kb.chunks (id int PRIMARY KEY, body text); CREATE TABLE kb.tags (id int)'
                sql 'CREATE TABLE "Core".settings (k text)'
            }
        }
        ''')

    Path other = files.write('other.groovy', '''\
        plan('other') {
            step('make other') { sql 'CREATE TABLE public.other (id int)' }
        }
        ''')

    MigCli reset(String... args) {
        MigCli.run(['reset', '--url', url] + (args as List))
    }

    def "a plan without owns is refused (exit 2)"() {
        when:
        def result = reset('--yes', other.toString())

        then:
        result.exitCode == 2
        result.err.contains("mig: plan 'other' declares no schemas it owns, so reset has nothing it may drop")
        result.err.contains("owns 'kb', 'core'")
    }

    def "without --yes reset says exactly what it would drop, with table counts, and drops nothing (exit 2)"() {
        given:
        mig(kb.toString()).exitCode == 0

        when:
        def result = reset(kb.toString())

        then:
        result.exitCode == 2
        result.err.contains("reset would drop schema kb (2 tables), schema Core (1 table) and the 2 journal rows of plan 'kb' in mig.steps on postgresql://postgres@localhost:")
        result.err.contains('nothing was dropped')
        result.err.contains('run again with --yes')
        exists('kb.chunks')
        sql { Sql s -> s.firstRow('SELECT count(*) AS n FROM mig.steps').n } == 2
    }

    def "a database that is not on this machine is refused without --i-mean-it, before connecting (exit 2)"() {
        when:
        def result = MigCli.run(['reset', '--yes', '--url', 'postgres://app@db.example.invalid:5432/app', kb.toString()])

        then:
        result.exitCode == 2
        result.err.contains('mig: reset refuses postgresql://app@db.example.invalid:5432/app: host db.example.invalid is not this machine')
        result.err.contains('--i-mean-it')
    }

    def "--i-mean-it lets a remote host through the refusal (here it then cannot connect: exit 6)"() {
        when:
        def result = MigCli.run(['reset', '--yes', '--i-mean-it', '--url', 'postgres://app@db.example.invalid:5432/app', kb.toString()])

        then:
        result.exitCode == 6
        !result.err.contains('is not this machine')
    }

    def "a system schema cannot be owned: a plan error with its line"() {
        given:
        def bad = files.write('bad.groovy', '''\
            plan('bad') {
                owns 'kb', 'pg_catalog'
            }
            ''')

        when:
        def result = MigCli.run(['check', bad.toString()])

        then:
        result.exitCode == 2
        result.err.contains('bad.groovy:2')
        result.err.contains("owns: 'pg_catalog' is a system schema; a plan cannot own it")
    }

    def "reset --yes drops the owned schemas and the plan's journal rows, then runs the plan again; other plans are untouched"() {
        given:
        mig(kb.toString()).exitCode == 0
        mig(other.toString()).exitCode == 0
        sql { Sql s ->
            s.execute("INSERT INTO kb.chunks VALUES (1, 'old')")
            s.execute('CREATE TABLE kb.stray (id int)')
        }
        def otherRow = sql { Sql s -> s.firstRow("SELECT step, status, updated_at FROM mig.steps WHERE plan = 'other'").toSpreadMap() }
        def kbApplied = sql { Sql s -> s.rows("SELECT updated_at FROM mig.steps WHERE plan = 'kb'")*.updated_at }

        when:
        def result = reset('--yes', kb.toString())

        then:
        result.exitCode == 0
        result.out.readLines()[0].startsWith("mig reset: dropped schema kb (3 tables), schema Core (1 table) and the 2 journal rows of plan 'kb' in mig.steps on ")
        result.out.contains('2 applied')

        and: 'the objects are back, empty; the stray table is gone'
        exists('kb.chunks')
        exists('"Core".settings')
        !exists('kb.stray')
        sql { Sql s -> s.firstRow('SELECT count(*) AS n FROM kb.chunks').n } == 0

        and: "the plan's journal rows are new, the other plan's row is as it was, and the history records the reset"
        sql { Sql s -> s.rows("SELECT updated_at FROM mig.steps WHERE plan = 'kb'")*.updated_at }.every { !(it in kbApplied) }
        sql { Sql s -> s.firstRow("SELECT step, status, updated_at FROM mig.steps WHERE plan = 'other'").toSpreadMap() } == otherRow
        exists('public.other')
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.history WHERE plan = 'kb' AND outcome = 'reset'").n } == 1
    }

    def "reset --yes through a transaction pooler is refused like a run (exit 6), before the lock, and drops nothing"() {
        given: 'a connector that hands out one backend twice, as a transaction-pooling proxy does'
        mig(kb.toString()).exitCode == 0
        def shared = TestPostgres.connect(db)
        def reset = new Reset(new PlanLoader().load(kb), new Journal('mig', 'test'))

        when:
        reset.apply({ -> shared } as Runner.Connector, 'the pooler', Duration.ofSeconds(1), { }, 'test')

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.CONNECTION_FAILED
        e.message.startsWith('cannot use the pooler: a connection there is not one PostgreSQL session: two connections of mig ran in the same backend')
        e.hint() == SessionCheck.HINT
        exists('kb.chunks')
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE plan = 'kb'").n } == 2
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'").n } == 0

        cleanup:
        shared?.close()
    }
}
