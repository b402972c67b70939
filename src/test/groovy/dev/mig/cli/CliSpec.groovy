package dev.mig.cli

import dev.mig.embedded.EmbeddedServer
import dev.mig.target.Connections
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class CliSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()
    @Shared Path plan

    def setupSpec() {
        plan = files.write('cli.groovy', "plan('cli') { step('a') { sql 'CREATE TABLE cli_a (id int)' } }")
    }

    def "--version and --help answer without a plan"() {
        expect:
        with(MigCli.run(['--version'])) {
            exitCode == 0
            out.startsWith('mig ')
        }
        with(MigCli.run(['--help'])) {
            exitCode == 0
            out.contains('run')
            out.contains('status')
            out.contains('check')
            out.contains('Exit codes: 0 done, 1 a step failed, 2 usage or plan error')
        }
        with(MigCli.run(['run', '--help'])) {
            exitCode == 0
            out.contains('--lock-wait')
            out.contains('--report')
        }
    }

    def "an unknown command or option is a usage error, exit 2"() {
        expect:
        MigCli.run(['frobnicate']).exitCode == 2
        MigCli.run(['run', '--no-such-option', plan.toString()]).exitCode == 2
        MigCli.run(['run']).exitCode == 2
    }

    def "with no target, run uses an embedded throwaway PostgreSQL and says so in its first line"() {
        when:
        def result = MigCli.run(['run', plan.toString()], [:])

        then:
        result.exitCode == 0
        result.out.readLines()[0].startsWith('mig: no database given')
        result.out.readLines()[0].contains('embedded throwaway PostgreSQL')
        result.out.contains('embedded PostgreSQL 17')
        result.out =~ /applied\s+a/
    }

    def "status without a target is a usage error"() {
        when:
        def result = MigCli.run(['status', plan.toString()], [:])

        then:
        result.exitCode == 2
        result.err.contains('status needs a database')
    }

    def "status lists applied, pending and skipped steps"() {
        given:
        def db = TestPostgres.createDatabase('status')
        def url = TestPostgres.jdbcUrl(db)
        def p = files.write('status.groovy', """
            plan('status') {
                step('one') { sql 'CREATE TABLE one (id int)' }
                step('never') { guard { false }; sql 'SELECT 1' }
                step('two') { sql 'CREATE TABLE two (id int)' }
            }
        """)

        expect:
        with(MigCli.run(['status', '--url', url, p.toString()])) {
            exitCode == 0
            out =~ /pending\s+one/
            out.contains('3 steps to run')
        }
        MigCli.run(['run', '--url', url, '--until', 'never', p.toString()]).exitCode == 0
        with(MigCli.run(['status', '--url', url, p.toString()])) {
            exitCode == 0
            out =~ /applied\s+one\s+\d{4}-\d\d-\d\d .* by postgres/
            out =~ /skipped\s+never\s+its guard is asked again/
            out =~ /pending\s+two/
            out.contains('2 steps to run')
        }
    }

    def "an unreachable host is one clear line with exit 6, never a stack trace"() {
        when:
        def result = MigCli.run(['run', '--url', 'postgres://app@127.0.0.1:1/app', plan.toString()])

        then:
        result.exitCode == 6
        result.err.readLines()[0].startsWith('mig: cannot connect to postgresql://app@127.0.0.1:1/app')
        result.err.contains('hint:')
        !result.err.contains('\tat ')
        !result.err.contains('Exception')
    }

    def "an unknown host is one clear line with exit 6"() {
        when:
        def result = MigCli.run(['run', '--url', 'postgres://app@no-such-host.invalid/app', plan.toString()])

        then:
        result.exitCode == 6
        result.err.readLines()[0].contains('no-such-host.invalid')
        !result.err.contains('\tat ')
    }

    def "a malformed URL is a usage error, exit 2"() {
        when:
        def result = MigCli.run(['run', '--url', 'postgres://app:secret@host:notaport/app', plan.toString()])

        then:
        result.exitCode == 2
        result.err.startsWith('mig: ')
        !result.err.contains('secret')
        !result.err.contains('\tat ')
    }

    def "--stacktrace adds the stack trace to an error"() {
        when:
        def result = MigCli.run(['run', '--stacktrace', '--url', 'postgres://app@127.0.0.1:1/app', plan.toString()])

        then:
        result.exitCode == 6
        result.err.contains('\tat ')
    }

    def "a wrong password is one clear line with exit 6 that does not show the password"(@TempDir Path dataDir) {
        given: 'a server where alice must give her password'
        def server = EmbeddedServer.start(EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true))
        def c = Connections.open(server.target())
        c.createStatement().execute("CREATE ROLE alice LOGIN PASSWORD 'right-one'")
        c.createStatement().execute('GRANT CREATE ON DATABASE postgres TO alice')
        c.createStatement().execute('GRANT CREATE ON SCHEMA public TO alice')
        Files.writeString(dataDir.resolve('pg_hba.conf'), 'local all all trust\nhost all postgres 127.0.0.1/32 trust\n'
                + 'host all alice 127.0.0.1/32 scram-sha-256\n')
        c.createStatement().execute('SELECT pg_reload_conf()')
        c.close()

        when:
        def wrong = MigCli.run(['run', '--url', "postgres://alice:Wr0ng-Pass@127.0.0.1:${server.port()}/postgres", plan.toString()])
        def right = MigCli.run(['run', '--url', "postgres://alice:right-one@127.0.0.1:${server.port()}/postgres", '--journal-schema', 'alice_journal', plan.toString()])

        then:
        wrong.exitCode == 6
        wrong.err.readLines().findAll { !it.startsWith('    hint') }.size() == 1
        wrong.err.toLowerCase().contains('password')
        !wrong.output.contains('Wr0ng-Pass')
        !wrong.err.contains('\tat ')
        right.exitCode == 0
        !right.output.contains('right-one')

        cleanup:
        server?.close()
    }
}
