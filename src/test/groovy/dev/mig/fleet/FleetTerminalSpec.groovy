package dev.mig.fleet

import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Path

/** docs/DSL.md, "Fleets", "On a terminal": the live view of a fleet run, and the plain lines everywhere else. */
class FleetTerminalSpec extends Specification {

    static final String ESC = '\u001b['

    @Shared PlanFiles files = new PlanFiles()

    /** Each tenant takes about half a second, in its first step. */
    @Shared Path plan = files.write('view.groovy', """
        plan('view') {
            step('nap') { sql 'SELECT pg_sleep(0.6); CREATE TABLE view_t (id int)' }
            step('grow') { sql 'ALTER TABLE view_t ADD COLUMN name text' }
        }
        """)

    Path fleet(String prefix, int n) {
        List<String> dbs = (1..n).collect { TestPostgres.createDatabase(prefix) }
        files.write("${prefix}.txt", dbs.collect { "${it} ${TestPostgres.jdbcUrl(it)}" }.join('\n') + '\n')
    }

    /** What stays on screen: the text with each erased view taken out (ESC[nA moves up n lines, ESC[J erases below). */
    static String screen(String out) {
        List<String> lines = ['']
        int i = 0
        while (i < out.length()) {
            if (out.startsWith(ESC, i)) {
                def m = (out.substring(i) =~ /^\u001b\[(\d*)([A-Jm])/)
                assert m.find(), "unknown escape at ${i}: ${out.substring(i, Math.min(out.length(), i + 10))}"
                if (m.group(2) == 'A') {
                    int up = m.group(1) as int
                    lines = lines.take(lines.size() - up)
                    lines[-1] = ''
                } else if (m.group(2) == 'J') {
                    lines[-1] = ''
                }
                i += m.group(0).length()
            } else if (out.charAt(i) == '\r' as char) {
                lines[-1] = ''
                i++
            } else if (out.charAt(i) == '\n' as char) {
                lines << ''
                i++
            } else {
                lines[-1] = lines[-1] + out.charAt(i)
                i++
            }
        }
        lines.join('\n')
    }

    def "on a terminal a view under the tenants' lines shows counts, running tenants and their step; erased before the summary"() {
        given:
        Path file = fleet('fleet_view', 4)

        when:
        def r = MigCli.onTerminal(['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '2'])

        then:
        r.exitCode == 0
        r.out.startsWith('fleet ' + file + ': 4 tenants, 1 wave, 2 at a time\n')
        // drawn, redrawn in place: the header, then a running tenant in its first step
        r.out.contains('fleet: 0 of 4 done, 2 running, 2 waiting')
        r.out =~ /\n  fleet_view_\d+  step 1\/2 nap  0 s/
        r.out =~ /fleet: 2 of 4 done, 2 running, 0 waiting · [\d.]+ tenants\/(s|min) · ETA \d/
        r.out.contains('\r' + ESC + '1A' + ESC + 'J') || r.out.contains('\r' + ESC + '2A' + ESC + 'J')

        and: 'once erased, the screen holds the tenants lines and the summary, as off a terminal'
        def shown = screen(r.out)
        shown.readLines().count { it ==~ /tenant fleet_view_\d+: applied 2 steps \(\d+\.\d s\)/ } == 4
        !shown.contains('fleet: 4 of 4 done')
        !shown.contains(' running, ')
        shown =~ /applied 2 steps \(\d+\.\d s\)\n\nsucceeded: 4 \(4 applied their steps, 0 already up to date\)\nfleet: 4 of 4 tenants succeeded in [\d.]+ s \(exit 0\)\n$/
        !r.out.substring(r.out.indexOf('\nsucceeded: ')).contains('\u001b')
    }

    def "a failed tenant's line is red on a terminal, and NO_COLOR keeps the view without colours"() {
        given:
        Path file = fleet('fleet_view_red', 2)
        TestPostgres.withSql(java.nio.file.Files.readString(file).readLines()[0].split(' ')[0]) { it.execute('CREATE TABLE view_t (id int)') }

        when:
        def coloured = MigCli.onTerminal(['run', plan.toString(), '--fleet-file', file.toString()])
        def plain = MigCli.onTerminal(['run', plan.toString(), '--fleet-file', file.toString()], [NO_COLOR: '1'])

        then:
        coloured.exitCode == 1
        coloured.out =~ /\u001b\[31mtenant fleet_view_red_\d+: FAILED at step 'nap': /
        plain.exitCode == 1
        plain.out.contains('fleet: 0 of 2 done')
        !plain.out.contains(ESC + '31m')
        !plain.out.contains(ESC + '0m')
    }

    def "off a terminal, with --plain and with -q the output is plain lines: no escapes, no carriage returns"() {
        given:
        Path file = fleet("fleet_plain_${variant}", 2)
        List<String> args = ['run', plan.toString(), '--fleet-file', file.toString()]

        when:
        def r = variant == 'pipe' ? MigCli.run(args) : MigCli.onTerminal(args + [variant == 'plain' ? '--plain' : '-q'])

        then:
        r.exitCode == 0
        !r.out.contains('\u001b')
        !r.out.contains('\r')
        !r.out.contains('fleet: 0 of 2 done')
        r.out.readLines().count { it ==~ /tenant fleet_plain_\w+_\d+: applied 2 steps \(\d+\.\d s\)/ } == (variant == 'quiet' ? 0 : 2)
        r.out.contains('fleet: 2 of 2 tenants succeeded in ')

        where:
        variant << ['pipe', 'plain', 'quiet']
    }
}
