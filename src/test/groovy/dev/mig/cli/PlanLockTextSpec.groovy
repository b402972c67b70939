package dev.mig.cli

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

/**
 * Text {@code mig plan}: the lock settings a run uses (docs/DSL.md, "The default: mig's lock-retry
 * schedule"), once in the header for a step that sets nothing, and under each step whose own differ.
 */
class PlanLockTextSpec extends DatabaseSpec {

    static final String HEADER = '  lock (each step unless it says otherwise): '

    def setup() {
        sql { Sql s -> s.execute('CREATE TABLE orders (id bigint PRIMARY KEY, n int)') }
    }

    MigCli plan(String text) {
        MigCli.run(['plan', '--url', url, files.write('plan.groovy', text).toString()])
    }

    /** The lock line under each step that has one, by step name. */
    static Map<String, String> stepLocks(MigCli result) {
        Map<String, String> out = [:]
        String step = null
        for (String line : result.out.readLines()) {
            def m = line =~ /^  pending\s+(\S+)\s/
            if (m.find()) {
                step = m.group(1)
            } else if (step != null && line.startsWith('                  lock: ')) {
                out[step] = line.substring('                  lock: '.length())
            }
        }
        out
    }

    def "the header says what a step that sets nothing gets; only steps whose lock settings differ have a line of their own"() {
        when:
        def result = plan('''
            plan('p') {
                step('a') { sql 'ALTER TABLE orders ADD COLUMN a int' }
                step('b') { lockTimeout '2s'; sql 'ALTER TABLE orders ADD COLUMN b int' }
                step('c') { transaction false; sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_n ON orders (n)' }
                step('d') { backfill { table 'orders'; set 'n = 1' } }
                step('e') { retries 3; sql 'ALTER TABLE orders ADD COLUMN e int' }
                step('f') { lockTimeout '0'; retries 2; sql 'ALTER TABLE orders ADD COLUMN f int' }
            }
        ''')

        then:
        result.exitCode == 0
        result.out.readLines()[1] == HEADER + "500ms a wait, tried again for up to 60s (mig's default lock-retry schedule)"
        stepLocks(result) == [
                b: "2s a wait (the step's lockTimeout)",
                c: "5s a wait (mig's default for a step without a transaction), not retried: no transaction",
                d: "500ms a wait per batch (mig's default lock-retry schedule), a batch tried again up to 10 times",
                e: "500ms a wait, tried again for up to 60s (mig's default lock-retry schedule), deadlocks: retries 3 (the step's retries)",
                f: "no limit on a wait (the step's lockTimeout), retries 2 (the step's retries)"]
    }

    def "a plan-wide lockTimeout and retries are in the header; a step with retries of its own says so"() {
        when:
        def result = plan('''
            plan('p') {
                lockTimeout '5s'
                retries 2
                step('a') { sql 'ALTER TABLE orders ADD COLUMN a int' }
                step('b') { retries 0; sql 'ALTER TABLE orders ADD COLUMN b int' }
            }
        ''')

        then:
        result.out.readLines()[1] == HEADER + "5s a wait (the plan's lockTimeout), retries 2 (the plan's retries)"
        stepLocks(result) == [b: "5s a wait (the plan's lockTimeout)"]
    }

    def "an applied step has no lock line: a run does not take its locks again"() {
        given:
        def text = '''
            plan('p') {
                step('a') { lockTimeout '1s'; sql 'ALTER TABLE orders ADD COLUMN a int' }
                step('b') { lockTimeout '1s'; sql 'ALTER TABLE orders ADD COLUMN b int' }
            }
        '''
        mig(files.write('plan.groovy', text).toString(), '--until', 'a')

        when:
        def result = plan(text)

        then:
        stepLocks(result) == [b: "1s a wait (the step's lockTimeout)"]
        !result.out.readLines().find { it.startsWith('  applied') }.contains('lock')
        result.out.readLines().count { it.contains('lock: ') } == 1
    }
}
