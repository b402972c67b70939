package dev.mig.cli

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import dev.mig.text.Redactor

/** Issue 11 item 4: no output path, the usage errors included, prints a password. */
class UsageSecretsSpec extends DatabaseSpec {

    static final String SECRET = 'S3cr3t-pw'

    def "a password in a misplaced or malformed argument appears nowhere in the output"() {
        given:
        def plan = files.write('secrets.groovy', "plan('secrets') { step('a') { tags 'x'; sql 'CREATE TABLE s (id int)' } }").toString()
        int port = TestPostgres.port()
        def pgUrl = "postgres://postgres:${SECRET}@localhost:${port}/${db}".toString()
        def jdbcUrl = "jdbc:postgresql://localhost:${port}/${db}?user=postgres&password=${SECRET}".toString()
        def keywords = "host=localhost port=${port} dbname=${db} user=postgres password=${SECRET}".toString()
        def quoted = "host=localhost dbname=${db} password='${SECRET} with\\' quote'".toString()
        def matrix = [
                [['--url', pgUrl, 'run', plan], [:], 2],
                [['--url', jdbcUrl, 'run', plan], [:], 2],
                [["--url=${pgUrl}".toString(), 'status', plan], [:], 2],
                [['--url', keywords, 'plan', plan], [:], 2],
                [['--url', quoted, 'run', plan], [:], 2],
                [[pgUrl], [:], 2],
                [['frobnicate', '--url', pgUrl], [:], 2],
                [['run', plan, pgUrl], [:], 2],
                [['run', '--urll', jdbcUrl, plan], [:], 2],
                [['run', '--url', pgUrl, '--plian', plan], [:], 2],
                [['status', "--url=${jdbcUrl}".toString(), '--journal-schema'], [:], 2],
                [['run', '--url', pgUrl, '--lock-wait', 'soon', plan], [:], 2],
                [['run', '--url', jdbcUrl, '--tags', 'nope', plan], [:], 2],
                [['help', pgUrl], [:], 2],
                [['completion', pgUrl], [:], 2],
                [['status', plan], [MIG_URL: "postgres://postgres:${SECRET}@localhost:notaport/${db}".toString()], 2],
                [['run', '--url', "postgres://postgres:${SECRET}@localhost:1/${db}".toString(), plan], [:], 6],
        ]

        expect:
        matrix.each { List<String> args, Map<String, String> env, int code ->
            def result = MigCli.run(args, env)
            assert !result.output.contains(SECRET), "${args} printed the password:\n${result}"
            assert result.exitCode == code, "${args}:\n${result}"
            assert result.err.startsWith('mig: ')
        }
    }

    def "a misplaced option's hint says where options go; a command's usage error names the command"() {
        given:
        def plan = files.write('hint.groovy', "plan('hint') { step('a') { sql 'SELECT 1' } }").toString()

        expect:
        with(MigCli.run(['--url', url, 'run', plan])) {
            exitCode == 2
            err.contains("hint: options go after the command: mig run [OPTIONS] ...; mig run --help lists them")
        }
        with(MigCli.run(['run', '--url', url, '--dryrun', plan])) {
            exitCode == 2
            err.contains("hint: did you mean '--dry-run'? mig run --help lists its options")
        }
        with(MigCli.run(['status', '--url', url, '--nope', plan])) {
            exitCode == 2
            err.contains('mig status --help lists its options')
        }
        with(MigCli.run(['rn', plan])) {
            exitCode == 2
            err.contains("hint: did you mean 'run'? mig --help lists the commands")
        }
        with(MigCli.run(['frobnicate'])) {
            exitCode == 2
            err.contains("hint: mig --help lists the commands; mig COMMAND --help lists a command's options")
        }
    }

    def "the redactor masks every way of writing a password"() {
        expect:
        !Redactor.redact(text).contains('SECRET')

        where:
        text << ["Unknown options: '--url', 'postgres://u:SECRET@h/db'",
                 "Unknown option: '--url=postgres://u:SECRET@h/db'",
                 "'jdbc:postgresql://h/db?user=u&password=SECRET'",
                 "'jdbc:postgresql://h/db?password=SECRET,x;y&ssl=true'",
                 "host=h password=SECRET port=5",
                 "host=h password = 'SECRET two\\' words' port=5",
                 "host=h password='SECRET unterminated",
                 "PASSWORD=SECRET"]
    }
}
