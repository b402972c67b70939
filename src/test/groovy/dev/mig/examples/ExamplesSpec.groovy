package dev.mig.examples

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import spock.lang.Specification
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/**
 * Every plan in dsl-examples/ is run here on embedded PostgreSQL. Each example states what it
 * should do in its header: {@code // expect: exit N} and any number of
 * {@code // expect-output: text}. Examples that succeed are run a second time as a no-op.
 */
class ExamplesSpec extends Specification {

    static List<Path> examples() {
        Files.list(Path.of('dsl-examples')).withCloseable { s ->
            s.filter { it.toString().endsWith('.groovy') }.sorted().toList()
        }
    }

    def "there are examples to run"() {
        expect:
        examples().size() >= 3
        examples()*.fileName*.toString().contains('quickstart.groovy')
    }

    @Unroll
    def "dsl-examples/#example.fileName runs as its header says"() {
        given:
        def text = example.toFile().text
        def expectedExit = (text =~ /(?m)^\/\/ expect: exit (\d+)/).with { it.find() ? it.group(1) as int : -1 }
        def expectedOutput = (text =~ /(?m)^\/\/ expect-output: (.+)$/).collect { it[1].trim() }
        def url = TestPostgres.jdbcUrl(TestPostgres.createDatabase('example'))

        expect: 'the header says what to expect'
        expectedExit >= 0

        when:
        def result = MigCli.run(['run', '--url', url, example.toString()])

        then:
        result.exitCode == expectedExit
        expectedOutput.every { result.output.contains(it) }

        when: 'a successful example is run again'
        def rerun = expectedExit == 0 ? MigCli.run(['run', '--url', url, example.toString()]) : null

        then: 'nothing is applied twice: only runAlways steps run again'
        def always = (text =~ /runAlways true/).count
        rerun == null || (rerun.exitCode == 0 && rerun.out =~ /done in .*: ${always} applied, 0 skipped/)

        where:
        example << examples()
    }
}
