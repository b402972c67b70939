package dev.mig.journal

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

/** The history's outcome words are what every earlier mig wrote: journals already out there read the same. */
class HistoryOutcomeSpec extends DatabaseSpec {

    def "the database values are the words earlier journals hold"() {
        expect:
        HistoryOutcome.values().collectEntries { [(it.name()): it.word()] } == [
                APPLIED: 'applied', SKIPPED: 'skipped', FAILED: 'failed', VERIFY_FAILED: 'verify-failed',
                RETRIED: 'retried', RUNNING: 'running', UNDONE: 'undone', UNDO_FAILED: 'undo-failed',
                BASELINED: 'baselined', ADOPTED: 'adopted', RESET: 'reset']
    }

    def "a journal with history written before the enum keeps it, and new rows use the same words"() {
        given: 'a journal whose history an earlier mig wrote, with its bare strings'
        def plan = files.write('h.groovy', '''
            plan('h') {
                step('a') { sql 'CREATE TABLE ha (id int)' }
                step('b') {
                    guard { false }
                    sql 'SELECT 1'
                }
                step('c') {
                    sql 'CREATE TABLE hc (id int)'
                    verify { table('hc') { columns 2 } }
                }
            }
        ''')
        assert mig('--until', 'a', plan.toString()).exitCode == 0
        sql { Sql s ->
            s.execute("""INSERT INTO mig.history (run_id, plan, step, outcome, started_at, mig_version)
                         VALUES (gen_random_uuid(), 'h', 'a', 'retried', now() - interval '1 day', '0.9')""")
        }

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 3
        sql { Sql s -> s.rows('SELECT step, outcome FROM mig.history ORDER BY id')*.values()*.toList() } == [
                ['a', 'applied'], ['a', 'retried'], ['b', 'skipped'], ['c', 'verify-failed']]
        MigCli.run(['status', '--url', url, plan.toString()]).exitCode == 0
    }
}
