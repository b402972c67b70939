package dev.mig.plan

import dev.mig.testing.DatabaseSpec
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/**
 * Groovy names a plan's class after its file. A file named like a primitive type (long.groovy)
 * made a class the JVM's verifier refused: a VerifyError with a stack trace instead of a run.
 */
class PlanFileNameSpec extends DatabaseSpec {

    Path dir = Files.createTempDirectory('mig-file-names')

    def "a plan whose file is named #name (.groovy) runs, and its problems name its file and line"() {
        given:
        Path plan = dir.resolve("${name}.groovy")
        Files.writeString(plan, "plan('named') {\n    step('a') { sql 'CREATE TABLE t_${name} (i int)' }\n}\n")
        Path broken = dir.resolve("sub/${name}.groovy")
        Files.createDirectories(broken.parent)
        Files.writeString(broken, "plan('named') {\n    step('a') { sql 'SELECT 1' }\n    stepp('b') { sql 'SELECT 2' }\n}\n")

        when:
        def ran = mig(plan.toString())
        def refused = mig('--dry-run', broken.toString())

        then:
        ran.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE step = 'a'").n } == 1
        exists("t_${name}")
        !ran.output.contains('VerifyError')

        and:
        refused.exitCode == 2
        refused.output.contains("${name}.groovy:3")
        refused.output.contains("stepp")
        !refused.output.contains('VerifyError')

        where:
        name << ['long', 'int', 'void', 'boolean']
    }
}
