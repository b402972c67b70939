package dev.mig.plan

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.text.GroovyText
import groovy.sql.Sql
import spock.lang.Unroll

import java.nio.file.Files
import java.nio.file.Path

/**
 * Names mig writes into Groovy text (mig import, mig new, hints) cannot end the string or comment
 * they sit in: the injected code below would create a table and a marker file if it ever ran.
 */
class HostileTextSpec extends DatabaseSpec {

    Path work = Files.createTempDirectory('mig-hostile')
    Path marker = work.resolve('pwned')

    /** Code that leaves a trace if it runs: a marker file, and a table in the test database. */
    String payload() {
        "new File('${marker}').text = 'x'; " +
                "groovy.sql.Sql.newInstance('${url}', 'postgres', '').execute('CREATE TABLE pwned (i int)');"
    }

    static final List<String> BREAKS = ['\r', '\n', '\f', '\u0085', '\u2028', '\u2029', '\u000b', '\u0000'.replace('\u0000', '\u001b'), '*/']

    @Unroll
    def "GroovyText writes #shown into a string literal and a comment without ending either"() {
        given:
        String hostile = "a${breaker}b'c\"d\$e\\f ${breaker}println 'oops' ${breaker}"

        expect: 'the literal reads back as the very text'
        new GroovyShell().evaluate(GroovyText.literal(hostile)) == hostile

        and: 'the comment ends where mig ends it'
        new GroovyShell().evaluate("def x = 1 // ${GroovyText.comment(hostile)}\nx = 2 /* ${GroovyText.comment(hostile)} */\nx") == 2
        !GroovyText.comment(hostile).contains(breaker)

        where:
        breaker << BREAKS
        shown = String.format('U+%04X', (int) breaker.charAt(0)) + (breaker.length() > 1 ? " ($breaker)" : '')
    }

    def "mig import of files with hostile names writes a plan that loads and runs no injected code"() {
        given: 'a non-.sql file (a comment in the plan) and migrations (step names and sqlFile strings)'
        Path dir = work.resolve('db')
        Files.createDirectories(dir)
        Files.writeString(dir.resolve("notes\r${payload().replace('/', '\u2215')}.txt".toString()), 'x')
        Files.writeString(dir.resolve("readme\f;System.exit(9)\r\nSystem.exit(8).txt"), 'x')
        Files.writeString(dir.resolve("1_a\u2028System.exit(7).sql"), 'CREATE TABLE one (i int);')
        Files.writeString(dir.resolve("2_b'\r);System.exit(6);#\$x.sql"), 'CREATE TABLE two (i int);')
        Path plan = work.resolve('plans/imported.groovy')

        when:
        def imported = MigCli.run(['import', dir.toString(), '--out', plan.toString()])
        String text = Files.readString(plan)

        then:
        imported.exitCode == 0
        !text.contains('\r') && !text.contains('\f') && !text.contains('\u2028')
        text.contains('notes\\u000D')

        when:
        def check = MigCli.run(['check', plan.toString()])
        def run = mig(plan.toString())

        then:
        check.exitCode == 0
        run.exitCode == 0
        exists('public.one') && exists('public.two')
        !exists('public.pwned')
        !Files.exists(marker)
        sql { Sql s -> s.rows('SELECT step FROM mig.steps ORDER BY position')*.step } ==
                ["1_a\u2028System.exit(7).sql", "2_b'\r);System.exit(6);#\$x.sql"]
    }

    def "mig new step with a hostile name writes a step whose name is exactly that text, and nothing else runs"() {
        given:
        def made = MigCli.run(['new', 'plan', 'shop', '--dir', work.toString()])
        Path file = work.resolve('shop.groovy')
        String name = "x'\r${payload()}\n//\u2028\f\$y"

        when:
        def added = MigCli.run(['new', 'step', name, '--plan', file.toString()])
        def run = mig(file.toString())

        then:
        made.exitCode == 0
        added.exitCode == 0
        run.exitCode == 0
        !exists('public.pwned')
        !Files.exists(marker)
        sql { Sql s -> s.rows("SELECT step FROM mig.steps WHERE plan = 'shop' ORDER BY position")*.step } ==
                ['create example table', name]
    }

    def "a hint that names a hostile step writes it as a literal that reads back as the name"() {
        given: 'CREATE INDEX CONCURRENTLY run from a groovy block fails, and the hint shows the step to write'
        String name = "i'\r${payload()}//\u2028"
        def plan = files.write('hint.groovy', "plan('p') {\n  step(${GroovyText.literal(name)}) {\n"
                + "    sql 'CREATE TABLE t (i int)'\n"
                + "    groovy { db -> db.execute('CREATE INDEX CONCURRENTLY t_i ON t (i)') }\n  }\n}\n")

        when:
        def run = mig(plan.toString())
        String output = run.out + run.err
        String written = (output =~ /write it as step\((.*)\) \{ transaction false/)[0][1]

        then:
        run.exitCode == 1
        !written.contains('\r') && !written.contains('\u2028')
        new GroovyShell().evaluate(written) == name
        !exists('public.pwned')
        !Files.exists(marker)
    }
}
