package dev.mig.cli

import picocli.CommandLine
import spock.lang.Specification

import java.nio.file.Path

/** Start-up: a command line that names a command registers that command alone (Subcommands). */
class SubcommandsSpec extends Specification {

    static final List<String> COMMANDS = ['run', 'plan', 'status', 'undo', 'verify', 'baseline', 'check', 'lint', 'recipes',
                                          'import', 'rehearse', 'reset', 'new', 'completion', 'help']

    CliContext context = new CliContext([:], Path.of(System.getProperty('java.io.tmpdir')), System.out, System.err)

    CommandLine cli(List<String> args) {
        Subcommands.register(new CommandLine(new MigCommand()), context, args as String[])
    }

    def "a command line that starts with a command's name registers that command alone"() {
        expect:
        cli([command, 'plan.groovy']).subcommands.keySet() as List == [command]

        where:
        command << COMMANDS - ['help', 'completion']
    }

    def "no command, an option first, help, completion or an unknown word: all commands, in mig --help's order"() {
        expect:
        cli(args).subcommands.keySet() as List == COMMANDS

        where:
        args << [[], ['--help'], ['-V'], ['help', 'run'], ['completion', 'bash'], ['rn', 'plan.groovy'], ['--url', 'x', 'run'], ['@args.txt']]
    }

    def "each command's help, and new's subcommands', reads the same registered alone as among all"() {
        given:
        def all = cli([])

        expect:
        COMMANDS.each { name ->
            def alone = cli([name]).subcommands[name]
            assert alone.usageMessage == all.subcommands[name].usageMessage
            assert alone.subcommands.keySet() == all.subcommands[name].subcommands.keySet()
            alone.subcommands.each { sub, line -> assert line.usageMessage == all.subcommands[name].subcommands[sub].usageMessage }
        }
    }

    def "usage errors read the same: an unknown option of run, a missing plan, options before the command"() {
        when:
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = MigCommand.execute(args as String[], [:], Path.of('/nonexistent-home'), new PrintStream(out), new PrintStream(err))

        then:
        code == 2
        err.toString() == expected

        where:
        args                          | expected
        ['run', '--bogus', 'p.groovy'] | "mig: Unknown option: '--bogus'\n    hint: mig run --help lists its options\n"
        ['check']                     | "mig: Missing required parameter: 'PLAN'\n    hint: mig check --help lists its options\n"
        ['--url', 'x', 'run', 'p']    | "mig: Unknown options: '--url', 'x'\n    hint: options go after the command: mig run [OPTIONS] ...; mig run --help lists them\n"
        ['rn']                        | "mig: Unmatched argument at index 0: 'rn'\n    hint: did you mean 'run'? mig --help lists the commands; mig COMMAND --help lists a command's options\n"
    }
}
