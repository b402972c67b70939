package dev.mig.target

import dev.mig.testing.MigCli
import org.testcontainers.DockerClientFactory
import spock.lang.Requires
import spock.lang.Specification

/**
 * jdbc:tc:postgresql:17:///db targets, for users with Docker. Where there is no Docker engine
 * (as on the machines this project is built on) the feature is skipped, and says so.
 */
class TestcontainersSpec extends Specification {

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable()
        } catch (Throwable ignored) {
            return false
        }
    }

    def "the tc: URL is resolved without a password and passed to Testcontainers untouched"() {
        when:
        def target = new TargetResolver().resolve('jdbc:tc:postgresql:17:///quickstart', [:], null).orElseThrow()

        then:
        target.jdbcUrl() == 'jdbc:tc:postgresql:17:///quickstart'
        target.host() == null
    }

    @Requires(value = { TestcontainersSpec.dockerAvailable() }, reason = 'no Docker engine on this machine: jdbc:tc: targets cannot start a container')
    def "the quickstart runs on a jdbc:tc:postgresql:17 container"() {
        when:
        def result = MigCli.run(['run', '--url', 'jdbc:tc:postgresql:17:///quickstart', 'dsl-examples/quickstart.groovy'])

        then:
        result.exitCode == 0
        result.out.contains('6 applied')
    }

    def "without Docker a tc: URL is one clear line with exit 6"() {
        given:
        if (dockerAvailable()) {
            return
        }

        when:
        def result = MigCli.run(['run', '--url', 'jdbc:tc:postgresql:17:///quickstart', 'dsl-examples/quickstart.groovy'])

        then:
        result.exitCode == 6
        result.err.readLines()[0].startsWith('mig: cannot connect to')
        !result.err.contains('\tat ')
    }
}
