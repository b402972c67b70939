package dev.mig.cli

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli

import java.nio.file.Files
import java.nio.file.Path

/** docs/DSL.md section 11, "The terminal": live lines, colours, --plain, --quiet, --verbose, completion. */
class TerminalSpec extends DatabaseSpec {

    static final String ESC = '\u001b['
    Path plan

    def setup() {
        plan = files.write('term.groovy', """
            plan('term') {
                step('create t') { sql 'CREATE TABLE term_t (id int)' }
                step('fill t') { sql "INSERT INTO term_t VALUES (1); INSERT INTO term_t VALUES (2)" }
                step('break') { sql 'SELECT 1/0' }
            }""")
    }

    MigCli onTerminal(List<String> args, Map<String, String> env = [:]) {
        MigCli.onTerminal(['run', '--url', url] + args, env)
    }

    def "on a terminal each step has a live line rewritten in place, with a counter, colours and a closing table"() {
        when:
        def r = onTerminal([plan.toString()])

        then:
        r.exitCode == 1
        // the live line, then erased and replaced by the step's line
        r.out.contains('\r' + ESC + '2K[1/3] ' + ESC + '1mrunning…')
        r.out.contains('create t  0 s')
        r.out.contains('\r' + ESC + '2K[1/3] ' + ESC + '32mapplied')
        r.out.contains('\r' + ESC + '2K[2/3] ' + ESC + '32mapplied')
        r.out.contains('\r' + ESC + '2K[3/3] ' + ESC + '31mFAILED')
        // the table: step | outcome | time
        r.out =~ /(?m)^  step\s+outcome\s+time$/
        r.out =~ /(?m)^  fill t\s+\u001b\[32mapplied\s+\u001b\[0m  \d+ ms$/
        r.out.contains(ESC + '31mstopped: a step failed')
    }

    def "NO_COLOR (any non-empty value) and --no-color remove every colour code, the live line stays"() {
        when:
        def r = onTerminal(args + [plan.toString()], env)

        then:
        r.exitCode == 1
        !r.out.contains(ESC + '3')
        !r.out.contains(ESC + '0m')
        !r.out.contains(ESC + '1m')
        r.out.contains('\r' + ESC + '2K[2/3] applied')

        where:
        args           | env
        []             | [NO_COLOR: '1']
        []             | [NO_COLOR: 'false']
        ['--no-color'] | [:]
    }

    def "an empty NO_COLOR leaves colours on"() {
        expect:
        onTerminal([plan.toString()], [NO_COLOR: '']).out.contains(ESC + '32m')
    }

    def "--plain on a terminal and any run off a terminal print today's plain lines: no escapes, no carriage returns"() {
        when:
        def r = plain ? onTerminal(['--plain', plan.toString()]) : mig(plan.toString())

        then:
        r.exitCode == 1
        !r.out.contains('\u001b')
        !r.out.contains('\r')
        r.out =~ /(?m)^  applied {9}create t  \(\d+ ms\)$/
        !r.out.contains('[1/3]')
        !(r.out =~ /(?m)^  step\s+outcome/)

        where:
        plain << [true, false]
    }

    def "--quiet prints only the failure and the last line"() {
        when:
        def r = quiet.call(this)

        then:
        r.exitCode == 1
        !r.out.contains('create t')
        !r.out.contains("plan 'term'")
        r.out.contains('FAILED')
        r.out.contains('division by zero')
        r.out.replaceAll(/\u001b\[[0-9;]*m/, '').readLines().last().startsWith('stopped: a step failed')

        where:
        quiet << [{ s -> s.mig('--quiet', s.plan.toString()) }, { s -> s.onTerminal(['-q', s.plan.toString()]) }]
    }

    def "--verbose echoes each statement before it runs, lists steps applied earlier and closes with the table"() {
        given:
        mig(plan.toString())

        when:
        def r = mig('--verbose', plan.toString())

        then:
        r.out.contains('  applied earlier create t')
        r.out.contains('      sql> SELECT 1/0')
        r.out.indexOf('sql> SELECT 1/0') < r.out.indexOf('FAILED')
        r.out =~ /(?m)^  step\s+outcome\s+time$/

        when: 'a fresh database: both statements of a step are echoed, in order'
        sql { it.execute('DROP TABLE term_t; DROP SCHEMA mig CASCADE') }
        def fresh = mig('-v', plan.toString())

        then:
        fresh.out.indexOf('sql> INSERT INTO term_t VALUES (1)') < fresh.out.indexOf('sql> INSERT INTO term_t VALUES (2)')
        fresh.out.indexOf('sql> INSERT INTO term_t VALUES (2)') < fresh.out.indexOf('fill t')
    }

    def "mig completion bash prints a valid bash script naming the commands; zsh loads it through bashcompinit"() {
        when:
        def bash = MigCli.run(['completion', 'bash'])
        def zsh = MigCli.run(['completion', 'zsh'])
        def script = Files.createTempFile('mig-completion', '.bash')
        Files.writeString(script, bash.out)
        def check = new ProcessBuilder('bash', '-n', script.toString()).redirectErrorStream(true).start()
        def checkOutput = check.inputStream.text

        then:
        bash.exitCode == 0
        ['run', 'plan', 'status', 'undo', 'baseline', 'lint', 'rehearse', 'completion'].every { bash.out.contains(it) }
        bash.out.contains('--dry-run')
        check.waitFor() == 0
        checkOutput == ''
        zsh.exitCode == 0
        zsh.out.contains('bashcompinit')
        zsh.out.endsWith(bash.out)
        MigCli.run(['completion', 'tcsh']).exitCode == 2
    }
}
