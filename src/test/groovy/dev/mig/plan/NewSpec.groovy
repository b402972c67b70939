package dev.mig.plan

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

class NewSpec extends DatabaseSpec {

    Path dir = Files.createTempDirectory('mig-new')

    def "mig new plan writes a commented plan that passes mig check and runs"() {
        when:
        def made = MigCli.run(['new', 'plan', 'add-orders', '--dir', dir.toString()])
        Path file = dir.resolve('add-orders.groovy')
        String text = Files.readString(file)

        then:
        made.exitCode == 0
        made.out.startsWith("wrote ${file}")
        text.contains("plan('add-orders') {")
        text.contains("// lockTimeout '5s'")
        text.contains('guard {')
        text.contains('verify {')
        text.contains("sql '''")

        when:
        def check = MigCli.run(['check', file.toString()])

        then:
        check.exitCode == 0
        check.out.contains("plan 'add-orders' (${file}): 1 step, no problems found")

        when:
        def run = mig(file.toString())

        then:
        run.exitCode == 0
        run.out.contains('1 applied')
        exists('example')
    }

    def "mig new plan never overwrites a file (exit 2)"() {
        given:
        Path file = dir.resolve('mine.groovy')
        Files.writeString(file, '// my plan')

        when:
        def result = MigCli.run(['new', 'plan', 'mine', '--dir', dir.toString()])

        then:
        result.exitCode == 2
        result.err.contains("${file} exists already; mig new never overwrites a file")
        Files.readString(file) == '// my plan'
    }

    def "a name that cannot be a file name is refused"() {
        when:
        def result = MigCli.run(['new', 'plan', '../up', '--dir', dir.toString()])

        then:
        result.exitCode == 2
        result.err.contains("'../up' cannot be a plan file name")
    }

    def "mig new step adds a step before the plan's closing brace; the plan still checks and runs"() {
        given:
        MigCli.run(['new', 'plan', 'shop', '--dir', dir.toString()]).exitCode == 0
        Path file = dir.resolve('shop.groovy')

        when:
        def result = MigCli.run(['new', 'step', "add the author's index", '--plan', file.toString()])
        def check = MigCli.run(['check', file.toString()])

        then:
        result.exitCode == 0
        result.out.contains("added step 'add the author's index' at the end of ${file}")
        check.exitCode == 0
        check.out.contains('2 steps, no problems found')
        Files.readString(file).stripTrailing().endsWith('}')
        Files.readString(file).indexOf("step('add the author\\'s index')") > Files.readString(file).indexOf("step('create example table')")

        and:
        mig(file.toString()).exitCode == 0
        sql { Sql s -> s.rows("SELECT step FROM mig.steps WHERE plan = 'shop' ORDER BY position")*.step } ==
                ['create example table', "add the author's index"]
    }

    def "mig new step refuses a file that does not end with the plan block, and changes nothing"() {
        given:
        Path file = dir.resolve('odd.groovy')
        String original = "plan('odd') {\n    step('a') { sql 'SELECT 1' }\n}\n// trailing words\n"
        Files.writeString(file, original)

        when:
        def result = MigCli.run(['new', 'step', 'b', '--plan', file.toString()])

        then:
        result.exitCode == 2
        result.err.contains('does not end with the closing brace of a plan')
        Files.readString(file) == original
    }

    def "mig new step refuses a name the plan has already"() {
        given:
        Path file = dir.resolve('dup.groovy')
        Files.writeString(file, "plan('dup') {\n    step('a') { sql 'SELECT 1' }\n}\n")

        when:
        def result = MigCli.run(['new', 'step', 'a', '--plan', file.toString()])

        then:
        result.exitCode == 2
        result.err.contains("plan 'dup' has a step 'a' already")
    }
}
