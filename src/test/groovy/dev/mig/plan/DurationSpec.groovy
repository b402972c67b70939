package dev.mig.plan

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli

/** Issue 11 item 9: one duration grammar for plans and the command line, with messages for negative and absurd ones. */
class DurationSpec extends DatabaseSpec {

    def "a plan takes the spellings --lock-wait takes, and PostgreSQL gets its own"() {
        given:
        def plan = files.write('durations.groovy', """
            plan('durations') {
                lockTimeout '5m'
                step('read settings') {
                    statementTimeout '2 S'
                    sql 'CREATE TABLE settings (lock text, statement text)'
                    groovy { db -> db.execute("INSERT INTO settings SELECT current_setting('lock_timeout'), current_setting('statement_timeout')") }
                }
            }
        """)

        when:
        def result = mig('--lock-wait', '5m', plan.toString())

        then:
        result.exitCode == 0
        sql { it.firstRow('SELECT lock, statement FROM settings') } == [lock: '5min', statement: '2s']
    }

    def "every spelling is accepted by both"() {
        given:
        def plan = files.write('spelling.groovy', """
            plan('spelling') {
                step('a') { lockTimeout '${spelling}'; sql 'SELECT 1' }
            }
        """)

        expect:
        MigCli.run(['check', plan.toString()]).exitCode == 0
        mig('--lock-wait', spelling, plan.toString()).exitCode == 0

        where:
        spelling << ['0', '500ms', '5s', '5 s', '5S', '5m', '5min', '1h', '1d', '24d', '30']
    }

    def "negative and absurd durations in a plan are plan errors with their own messages at file:line"() {
        given:
        def plan = files.write('bad.groovy', """\
            plan('bad') {
                step('a') { lockTimeout '${value}'; sql 'SELECT 1' }
            }
        """)

        when:
        def result = MigCli.run(['check', plan.toString()])

        then:
        result.exitCode == 2
        result.err.contains("bad.groovy:2: '${value}' ${says}")

        where:
        value                        | says
        '-5s'                        | 'is negative: a duration is 0 (none) or more'
        '25d'                        | 'is too long: a duration is at most 2147483647ms (about 24 days)'
        '99999999999999999999999ms'  | 'is too long'
        'soon'                       | 'is not a duration'
        '1.5s'                       | 'is not a duration'
    }

    def "negative and absurd --lock-wait values are usage errors with their own messages"() {
        given:
        def plan = files.write('wait.groovy', "plan('wait') { step('a') { sql 'CREATE TABLE a (id int)' } }")

        when:
        def result = mig('--lock-wait', value, plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("mig: --lock-wait '${value}' ${says}")
        !exists('a')

        where:
        value                      | says
        '-5s'                      | 'is negative'
        '99999999999999999999999s' | 'is too long'
        '25d'                      | 'is too long'
        'soon'                     | 'is not a duration'
    }
}
