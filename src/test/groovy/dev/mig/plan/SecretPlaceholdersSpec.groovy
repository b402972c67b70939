package dev.mig.plan

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli

import java.nio.file.Files
import java.nio.file.Path

/** The value of a placeholder whose name looks secret reaches the server, and no output: failure blocks, --verbose, mig plan, reports. */
class SecretPlaceholdersSpec extends DatabaseSpec {

    static final String SECRET = 'Sup3r-s3cret-v4lue'

    def "a failing statement holding a secret placeholder shows *** in its failure block, the --verbose echo and the JSON report"() {
        given:
        def plan = files.write('s.groovy', '''\
            plan('s') {
                step('role') { sql \'\'\'CREATE TABLE t (id int); SELECT '${db_password}'::int\'\'\' }
            }
            ''')
        Path json = files.dir.resolve('r.json')

        when:
        def run = mig('--verbose', '--set', "db_password=${SECRET}".toString(), '--report', "json:${json}".toString(), plan.toString())

        then: 'the server got the value (its error is about it), and no output shows it'
        run.exitCode == 1
        run.output.contains('22P02')
        run.output.contains("SELECT '***'::int")
        !run.output.contains(SECRET)
        !Files.readString(json).contains(SECRET)
        Files.readString(json).contains('***')
    }

    def "mig plan shows the statement with *** for the secret value and the other values as they are"() {
        given:
        def plan = files.write('p.groovy', '''\
            plan('p') {
                placeholders owner: 'app'
                step('r') { sql \'\'\'CREATE ROLE x_${owner} LOGIN PASSWORD '${api_token}'\'\'\' }
            }
            ''')

        when:
        def preview = MigCli.run(['plan', '--url', url, '-v', '--set', "api_token=${SECRET}".toString(), plan.toString()])
        def json = MigCli.run(['plan', '--url', url, '--format', 'json', '--set', "api_token=${SECRET}".toString(), plan.toString()])

        then:
        preview.exitCode == 0
        preview.output.contains("CREATE ROLE x_app LOGIN PASSWORD '***'")
        !preview.output.contains(SECRET)
        json.exitCode == 0
        !json.output.contains(SECRET)
    }
}
