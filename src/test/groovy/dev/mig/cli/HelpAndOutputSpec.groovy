package dev.mig.cli

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import spock.lang.Requires

import java.nio.file.Files
import java.nio.file.Path

/** Issue 11 item 18: help, output options on every command that prints steps, and fish completion. */
class HelpAndOutputSpec extends DatabaseSpec {

    static String fish() {
        System.getenv('PATH').split(File.pathSeparator).collect { Path.of(it, 'fish') }.find { Files.isExecutable(it) }?.toString()
    }

    def "mig help COMMAND shows the command's help, mig help the commands"() {
        expect:
        with(MigCli.run(['help', 'run'])) {
            exitCode == 0
            out.startsWith('Usage: mig run ')
            out.contains('--lock-wait')
        }
        with(MigCli.run(['help'])) {
            exitCode == 0
            out.contains('completion')
            out.contains('help')
        }
        with(MigCli.run(['help', 'frobnicate'])) {
            exitCode == 2
            err.contains("mig: Unknown subcommand 'frobnicate'")
        }
    }

    def "the exit-code footer of mig --help has no stray line break"() {
        when:
        def lines = MigCli.run(['--help']).out.readLines()
        def footer = lines.subList(lines.findIndexOf { it.startsWith('Exit codes:') }, lines.size())

        then:
        footer == ['Exit codes: 0 done, 1 a step failed, 2 usage or plan error,',
                   '3 verification failed, 4 plan lock not acquired, 5 drift,',
                   '6 cannot connect to the target, 7 a report could not be written.']
    }

    def "status and plan take the output options of run: -q lists only what a run would still do"() {
        given:
        def plan = files.write('output.groovy', """
            plan('output') {
                step('done one') { sql 'CREATE TABLE a (id int)' }
                step('to do') { sql '''CREATE TABLE b (id int);
                                      CREATE INDEX ON b (id)''' }
            }
        """).toString()
        assert mig('--until', 'done one', plan).exitCode == 0

        when:
        def quiet = MigCli.run(['status', '--url', url, '--plain', '-q', '--no-color', plan])

        then:
        quiet.exitCode == 0
        quiet.out.contains('pending      to do')
        !quiet.out.contains('done one')
        quiet.out.contains('1 step to run')

        when:
        def full = MigCli.run(['status', '--url', url, '--plain', plan])

        then:
        full.exitCode == 0
        full.out.contains('applied      done one')

        when:
        def planQuiet = MigCli.run(['plan', '--url', url, '-q', '--plain', '--no-color', plan])
        def planVerbose = MigCli.run(['plan', '--url', url, '--verbose', plan])

        then:
        planQuiet.exitCode == 0
        planQuiet.out.contains('to do')
        !planQuiet.out.contains('done one')
        planVerbose.exitCode == 0
        planVerbose.out.contains('done one')
        planVerbose.out.contains('CREATE INDEX ON b (id)')
    }

    def "every command that prints steps takes the output options"() {
        given:
        def plan = files.write('every.groovy', """
            plan('every') {
                owns 'every'
                step('schema') {
                    sql 'CREATE SCHEMA every; CREATE TABLE every.t (id int)'
                    verify { table 'every.t' }
                    undo { sql 'DROP SCHEMA every CASCADE' }
                }
            }
        """).toString()
        def shadow = TestPostgres.jdbcUrl(TestPostgres.createDatabase('shadow'))
        def options = ['--plain', '--no-color', '-q', '-v']

        expect:
        // baseline on the empty database: the verify does not hold yet, exit 3
        [[['baseline', '--url', url, plan], 3], [['run', '--url', url, plan], 0], [['status', '--url', url, plan], 0], [['verify', '--url', url, plan], 0],
         [['plan', '--url', url, plan], 0], [['undo', '--url', url, plan], 0], [['reset', '--url', url, '--yes', plan], 0],
         [['rehearse', '--shadow', shadow, plan], 0]].each { List<String> args, int code ->
            def result = MigCli.run(args[0..0] + options + args.drop(1))
            assert result.exitCode == code, "${args[0]}:\n${result}"
            assert !result.err.contains('Unknown option')
        }
    }

    def "mig completion fish lists every command and each command's options"() {
        when:
        def result = MigCli.run(['completion', 'fish'])
        def script = result.out

        then:
        result.exitCode == 0
        script.startsWith('# fish completion for mig')
        ['run', 'plan', 'status', 'verify', 'undo', 'baseline', 'check', 'lint', 'recipes', 'import', 'rehearse', 'reset', 'new',
         'completion', 'help'].every { script.contains("complete -c mig -n __fish_use_subcommand -f -a ${it} -d '") }
        script.contains("complete -c mig -n '__fish_seen_subcommand_from run' -l lock-wait -r -d 'How long to wait")
        script.contains("complete -c mig -n '__fish_seen_subcommand_from status' -s q -l quiet -d '")
        script.contains("complete -c mig -n '__fish_seen_subcommand_from plan' -l plain -d '")
        script.contains("complete -c mig -n '__fish_seen_subcommand_from completion' -f -a 'bash zsh fish'")
        script.contains("-d 'Show what a run would do: each step\\'s state")
        script.readLines().every { it.startsWith('#') || it.startsWith('complete -c mig ') }
    }

    @Requires(value = { HelpAndOutputSpec.fish() != null }, reason = 'fish is not installed: the script is checked by its content only')
    def "fish reads the completion script without a syntax error"() {
        given:
        def file = files.dir.resolve('mig.fish')
        Files.writeString(file, MigCli.run(['completion', 'fish']).out)

        when:
        def process = new ProcessBuilder(fish(), '-n', file.toString()).redirectErrorStream(true).start()
        def output = process.inputStream.text

        then:
        process.waitFor() == 0
        output.isEmpty()
    }
}
