package dev.mig.report

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper

import java.nio.file.Files
import java.nio.file.Path

/** Issue 11 item 7: a report that cannot be written is never a silent exit 0. */
class ReportPathSpec extends DatabaseSpec {

    Path plan() {
        files.write('report-path.groovy', "plan('report path') { step('a') { sql 'CREATE TABLE a (id int)' } }")
    }

    def "a report path that cannot be written is a usage error before anything runs"() {
        given:
        Files.writeString(files.dir.resolve('a-file'), 'not a folder')
        Files.createDirectories(files.dir.resolve('a-folder'))

        when:
        def result = mig('--report', "${kind}:${files.dir.resolve(path)}", plan().toString())

        then:
        result.exitCode == 2
        result.err.contains("mig: --report ${kind}:${files.dir.resolve(path)}: ")
        result.err.contains(says)
        result.err.contains('nothing was run')
        !exists('a')
        !exists('mig.steps')

        where:
        kind    | path               | says
        'json'  | 'a-file/r.json'    | 'a-file is a file, not a folder'
        'junit' | 'a-file/sub/r.xml' | 'a-file is a file, not a folder'
        'md'    | 'a-folder'         | 'is a folder'
    }

    def "a report in a folder that does not exist yet is written there"() {
        given:
        def json = files.dir.resolve('new/deeper/r.json')

        when:
        def result = mig('--report', "json:${json}", plan().toString())

        then:
        result.exitCode == 0
        new JsonSlurper().parse(json.toFile()).steps*.outcome == ['applied']
    }

    def "a report that cannot be written after the run fails the run with exit 7, and the steps stay applied"() {
        given: "a step that puts a file where the report's folder was"
        def folder = files.dir.resolve('out')
        Files.createDirectories(folder)
        def plan = files.write('in-the-way.groovy', """
            plan('in the way') {
                step('a') {
                    sql 'CREATE TABLE a (id int)'
                    groovy { db ->
                        def folder = new File('${folder}')
                        folder.deleteDir()
                        folder.text = 'in the way'
                    }
                }
            }
        """)
        def md = files.dir.resolve('fine.md')

        when:
        def result = mig('--report', "json:${folder.resolve('r.json')}", '--report', "md:${md}", plan.toString())

        then:
        result.exitCode == 7
        result.err.contains("mig: cannot write report json:${folder.resolve('r.json')} (")
        result.err.contains('exit 7 says a report is missing')
        result.out.contains('done in')
        exists('a')
        Files.readString(md).contains('1 applied')
    }

    def "a stopped run whose report cannot be written says so, and keeps the stop's exit code"() {
        given: "plan code that puts a file where the report's folder was, then a target that does not answer"
        def folder = files.dir.resolve('stopped')
        Files.createDirectories(folder)
        def plan = files.write('stopped.groovy', """
            new File('${folder}').with { deleteDir(); text = 'in the way' }
            plan('stopped') { step('a') { sql 'CREATE TABLE a (id int)' } }
        """)

        when:
        def result = MigCli.run(['run', '--url', 'postgres://nobody@127.0.0.1:1/none', '--report', "json:${folder.resolve('r.json')}",
                                 plan.toString()])

        then:
        result.exitCode == 6
        result.err.contains("mig: cannot write report json:${folder.resolve('r.json')} (")
        result.err.contains('127.0.0.1:1')
    }
}
