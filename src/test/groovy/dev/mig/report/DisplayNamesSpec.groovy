package dev.mig.report

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.charset.StandardCharsets
import java.nio.file.Files

/**
 * Step and plan names holding characters that act on a terminal instead of showing (a bidi
 * override, ESC sequences, a carriage return, a bell, isolates) are printed escaped by every
 * command and report that shows them; the journal and the JSON report keep them exact.
 */
class DisplayNamesSpec extends DatabaseSpec {

    /** As the plan file writes them: Groovy escapes, so the file itself is plain ASCII. */
    static final Map<String, String> NAMES = [
            rtl : 'rtl \\u202Egnp.exe',
            esc : 'esc \\u001B[2J\\u001B[31mred',
            cr  : 'cr \\rFAKE applied',
            bell: 'bell \\u0007 \\u2066isolate\\u2069 \\u200Fmark',
    ]

    /** The exact names, as the journal must keep them. */
    static final List<String> EXACT = ['rtl \u202Egnp.exe', 'esc \u001B[2J\u001B[31mred', 'cr \rFAKE applied',
                                       'bell \u0007 \u2066isolate\u2069 \u200Fmark']

    /** The names as mig prints them. */
    static final List<String> SHOWN = ['rtl \\u202Egnp.exe', 'esc \\u001B[2J\\u001B[31mred', 'cr \\rFAKE applied',
                                       'bell \\u0007 \\u2066isolate\\u2069 \\u200Fmark']

    static final List<String> RAW = ['\u202E', '\u001B', '\r', '\u0007', '\u2066', '\u2069', '\u200F']

    String plan(boolean failLast = false) {
        files.write('names.groovy', """
            plan('shop \\u202E') {
                step('${NAMES.rtl}') {
                    sql 'CREATE TABLE a (id int)'
                    undo { sql 'DROP TABLE a' }
                }
                step('${NAMES.esc}') {
                    sql 'CREATE TABLE b (id int)'
                    undo { sql 'DROP TABLE b' }
                }
                step('${NAMES.cr}') {
                    sql 'CREATE TABLE c (id int)'
                    undo { sql 'DROP TABLE c' }
                }
                step('${NAMES.bell}') {
                    sql '${failLast ? 'SELECT * FROM no_such_table' : 'CREATE TABLE d (id int)'}'
                    undo { sql 'DROP TABLE d' }
                }
            }
        """).toString()
    }

    static void printable(String text) {
        RAW.each { assert !text.contains(it): "raw U+${String.format('%04X', (int) it.charAt(0))} in:\n$text" }
    }

    def "run, status, plan, verify, undo and baseline print the names escaped; the journal keeps them exact"() {
        given:
        def file = plan()

        when:
        def baseline = MigCli.run(['baseline', '--url', url, file])
        def run = mig(file)
        def status = MigCli.run(['status', '--url', url, file])
        def preview = MigCli.run(['plan', '--url', url, file])
        def verify = MigCli.run(['verify', '--url', url, file])
        def undo = MigCli.run(['undo', '--url', url, '--steps', '2', file])
        def verbose = mig('-v', file)

        then:
        run.exitCode == 0
        [baseline, run, status, preview, verify, undo, verbose].each { printable(it.output) }
        run.out.startsWith("plan 'shop \\u202E' (")
        SHOWN.every { run.out =~ /(?m)^  applied\s+\Q${it}\E  \(\d+ ms\)$/ }
        SHOWN.every { status.out.contains(it) }
        SHOWN.every { preview.out.contains(it) }
        SHOWN.every { verify.out.contains(it) }
        verify.out.startsWith("plan 'shop \\u202E' (")
        baseline.out.contains('not baselined   ' + SHOWN[0])
        undo.out =~ /(?m)^  undone\s+\Q${SHOWN[3]}\E/
        undo.out =~ /(?m)^  undone\s+\Q${SHOWN[2]}\E/

        and: 'the journal has the exact names'
        sql { Sql s -> s.rows('SELECT step FROM mig.steps ORDER BY position')*.step } as Set == EXACT as Set
        sql { Sql s -> s.firstRow('SELECT DISTINCT plan FROM mig.steps').plan } == 'shop \u202E'
    }

    def "a failure block and a plan error print the names escaped"() {
        when:
        def failed = mig(plan(true))
        def duplicate = mig(files.write('dup.groovy', """
            plan('dup') {
                step('${NAMES.rtl}') { sql 'SELECT 1' }
                step('${NAMES.rtl}') { sql 'SELECT 1' }
            }
        """).toString())

        then:
        failed.exitCode == 1
        printable(failed.output)
        failed.out.contains("Step:      '${SHOWN[3]}' (")
        duplicate.exitCode == 2
        printable(duplicate.output)
        duplicate.err.contains(SHOWN[0])
    }

    def "JUnit XML and markdown show the names escaped (and stay well-formed); JSON keeps them exact"() {
        given:
        def junit = files.dir.resolve('r.xml')
        def md = files.dir.resolve('r.md')
        def json = files.dir.resolve('r.json')

        when:
        def run = mig('--report', "junit:${junit}", '--report', "md:${md}", '--report', "json:${json}", plan(true))
        def xml = Files.readString(junit, StandardCharsets.UTF_8)
        def markdown = Files.readString(md, StandardCharsets.UTF_8)

        then:
        run.exitCode == 1
        printable(xml)
        printable(markdown)
        def suite = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).documentElement
        suite.getAttribute('name') == 'shop \\u202E'
        def cases = suite.getElementsByTagName('testcase')
        (0..<cases.length).collect { cases.item(it).getAttribute('name') } == SHOWN
        cases.item(3).textContent.contains("Step:      '${SHOWN[3]}'")
        markdown.contains("`shop \\u202E`")
        markdown.contains('| rtl \\\\u202Egnp.exe |')

        and: 'JSON escapes by its own rules, so it keeps the exact names'
        def report = new JsonSlurper().parse(json.toFile())
        report.plan == 'shop \u202E'
        report.steps*.name == EXACT
    }

    def "the helper: controls and format characters escaped, ordinary text (joiners, emoji, accents) untouched"() {
        expect:
        Printable.name(raw) == shown

        where:
        raw                          | shown
        'plain é 日本 🐘'              | 'plain é 日本 🐘'
        'a\u200Db \u200C'            | 'a\u200Db \u200C'
        'line\nbreak\ttab'           | 'line\\nbreak\\ttab'
        'nul-free \u0085 \u009B'     | 'nul-free \\u0085 \\u009B'
        'sep \u2028 \u2029 \uFEFF'   | 'sep \\u2028 \\u2029 \\uFEFF'
        'lone \uD800 x'              | 'lone \\uD800 x'
        'tag \uDB40\uDC01'           | 'tag \\u{E0001}'
        null                         | null
    }
}
