package dev.mig.testkit

import dev.mig.api.InvalidPlanException
import dev.mig.result.StepOutcome
import spock.lang.AutoCleanup
import spock.lang.Specification

/** The testkit from Spock (README, "Testing your plans"). */
class MigTestDatabaseSpec extends Specification {

    @AutoCleanup
    MigTestDatabase db = MigTestDatabase.embedded()

    def "a plan runs on a fresh database and its result is checked with the verify vocabulary"() {
        when:
        def result = db.migrate('src/test/resources/testkit/users.groovy')

        then:
        result.steps()*.outcome() == [StepOutcome.APPLIED, StepOutcome.APPLIED]
        db.verify {
            table('users') { columns 3; primaryKey 'id'; column('email') { type 'text'; notNull true } }
            index('users_email_key') { unique true }
        }
    }

    def "every expectation that does not hold is listed, expected against found"() {
        given:
        db.migrate('src/test/resources/testkit/users.groovy')

        when:
        db.verify {
            table('users') { columns 4 }
            table('orders')
            index('users_email_key') { unique true }
        }

        then:
        AssertionError e = thrown()
        e.message.startsWith('verify failed, 2 expectations did not hold:')
        e.message.contains('expected 4 columns, found 3')
        e.message.contains('orders')
    }

    def "verifyFailures returns the typed failures: subject, expected and found apart"() {
        given:
        db.migrate('src/test/resources/testkit/users.groovy')

        when:
        def failures = db.verifyFailures { table('users') { columns 4 } }

        then:
        failures*.subject() == ['table users']
        failures*.expected() == ['4 columns']
        failures*.found() == ['3']
        failures*.message() == ['table users: expected 4 columns, found 3']
    }

    def "each database is fresh"() {
        expect:
        db.verifyFailures { table('users') }.size() == 1
    }

    def "a failing plan is an AssertionError naming the step, the SQL State and the line"() {
        given:
        db.execute('CREATE TABLE users (id int)')

        when:
        db.migrate('src/test/resources/testkit/users.groovy')

        then:
        AssertionError e = thrown()
        e.message.contains("step 'create users' FAILED")
        e.message.contains('users.sql:1')
        e.message.contains('42P07')
    }

    def "a mistake in the verify vocabulary is a plan problem, not a silent pass"() {
        when:
        db.verify { tabel('users') }

        then:
        InvalidPlanException e = thrown()
        e.message.contains('tabel')
    }

    def "the text form names its own line"() {
        when:
        db.assertVerify("table('users')\ntabel('x')")

        then:
        InvalidPlanException e = thrown()
        e.planProblems()[0].location().toString().endsWith('verify.groovy:2')
    }
}
