package dev.mig.plan

import dev.mig.examples.ExamplesSpec
import dev.mig.testing.MigCli
import spock.lang.Specification

import java.nio.file.Path

/** {@code mig check --strict}: the plan is type-checked against the DSL's @DelegatesTo types. */
class StrictCheckSpec extends Specification {

    static final Path FIXTURES = Path.of('src/test/resources/plans/strict')

    def "a misspelt element inside table { } is an error with file, line and the word"() {
        when:
        def cli = MigCli.run(['check', '--strict', FIXTURES.resolve('misspelt-columns.groovy').toString()])

        then:
        cli.exitCode == 2
        cli.output.contains('misspelt-columns.groovy:8')
        cli.output.contains("misspelt-columns.groovy:8: strict: unknown element 'colums' in table { }; did you mean 'column' or 'columns'? (column 17)")
    }

    def "without --strict the same typo is still found, when the plan runs as it loads"() {
        when:
        def cli = MigCli.run(['check', FIXTURES.resolve('misspelt-columns.groovy').toString()])

        then:
        cli.exitCode == 2
        cli.output.contains('misspelt-columns.groovy:8')
        cli.output.contains("colums")
    }

    def "a binding variable is valid for check but a strict-mode error"() {
        given:
        def plan = FIXTURES.resolve('dynamic.groovy').toString()

        expect:
        MigCli.run(['check', plan]).exitCode == 0

        when:
        def strict = MigCli.run(['check', '--strict', plan])

        then:
        strict.exitCode == 2
        strict.output.contains('dynamic.groovy:2')
        strict.output.contains("strict: 'tableName' is not declared")
    }

    def "a plan using helpers, def variables, guards, groovy blocks, recipes and every block passes --strict"() {
        when:
        def cli = MigCli.run(['check', '--strict', FIXTURES.resolve('typed.groovy').toString()])

        then:
        cli.exitCode == 0
        cli.output.contains('no problems found (strict)')
    }

    def "every example in dsl-examples/ passes check --strict"() {
        when:
        def cli = MigCli.run(['check', '--strict', example.toString()])

        then:
        cli.exitCode == 0

        where:
        example << ExamplesSpec.examples()       // dsl-examples/ and dsl-examples/cookbook/
    }

    def "a plan loaded with --strict is the same plan as without"() {
        // the strict compilation must not change what a plan means: a valid plan loads to the same steps
        when:
        def dynamic = new PlanLoader().load(Path.of('dsl-examples/quickstart.groovy'))
        def strict = new PlanLoader().load(Path.of('dsl-examples/quickstart.groovy'), true)

        then:
        strict.steps()*.checksum() == dynamic.steps()*.checksum()
        strict.steps()*.name() == dynamic.steps()*.name()
    }
}
