package dev.mig.target

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres

import java.nio.file.Path

/** Issue 11 item 5: the first line a database command prints names the target it resolved. */
class TargetFirstLineSpec extends DatabaseSpec {

    Path plan

    def setup() {
        plan = files.write('first.groovy', '''\
            plan('first') {
                owns 'first_s'
                step('a') {
                    sql 'CREATE SCHEMA first_s; CREATE TABLE first_s.t (id int)'
                    undo { sql 'DROP SCHEMA first_s CASCADE' }
                }
            }
            ''')
    }

    def "every database command starts with the target, redacted"() {
        given:
        String shown = "postgresql://postgres@localhost:${TestPostgres.port()}/${db}"
        if (applyFirst) {
            assert mig(plan.toString()).exitCode == 0
        }

        when:
        def r = MigCli.run([command, '--url', url + '&password=TOPSECRET'] + extra + [plan.toString()])

        then:
        r.exitCode in [0, 3]  // baseline: a step without verify is not baselined
        r.out.readLines()[0].contains(shown)
        !r.output.contains('TOPSECRET')

        where:
        command    | extra           | applyFirst
        'run'      | []              | false
        'status'   | []              | false
        'plan'     | []              | false
        'lint'     | []              | false
        'baseline' | []              | false
        'undo'     | ['--steps', '1'] | true
        'reset'    | ['--yes']       | true
    }
}
