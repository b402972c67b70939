package dev.mig.cli

import dev.mig.testing.TestPostgres
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** scripts/mig as a user runs it: from another directory, through a symlink, exit codes intact. */
class LauncherIT extends Specification {

    @Shared Path root = Path.of('').toAbsolutePath()
    @Shared Path launcher = root.resolve('scripts/mig')
    @Shared Path elsewhere = Files.createTempDirectory('mig-elsewhere')

    Map run(List<String> command) {
        def process = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectErrorStream(true).start()
        def output = process.inputStream.text
        assert process.waitFor(120, TimeUnit.SECONDS)
        [exit: process.exitValue(), output: output]
    }

    def "the launcher runs the built jar from any directory"() {
        when:
        def result = run([launcher.toString(), '--version'])

        then:
        result.exit == 0
        result.output.startsWith('mig ')
        !result.output.contains('building')
    }

    def "the launcher works through a symlink"() {
        given:
        def link = elsewhere.resolve('mig-link')
        Files.deleteIfExists(link)
        Files.createSymbolicLink(link, launcher)

        expect:
        run([link.toString(), '--version']).exit == 0
    }

    def "exit codes pass through: verify failure 3, plan error 2, done 0"() {
        given:
        def url = TestPostgres.jdbcUrl(TestPostgres.createDatabase('launcher'))
        def bad = elsewhere.resolve('bad.groovy')
        Files.writeString(bad, "plan('bad') { step('a') { sqll 'SELECT 1' } }")

        expect:
        run([launcher.toString(), 'run', '--url', url, root.resolve('dsl-examples/verify-catches-wrong-column-count.groovy').toString()]).exit == 3
        run([launcher.toString(), 'check', bad.toString()]).exit == 2
        run([launcher.toString(), 'run', '--url', url, root.resolve('dsl-examples/quickstart.groovy').toString()]).exit == 0
    }
}
