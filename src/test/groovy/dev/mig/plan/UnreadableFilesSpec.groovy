package dev.mig.plan

import dev.mig.testing.DatabaseSpec

import java.nio.file.Files

/** Plan, recipe and SQL files that exist but are not text: a directory, or bytes that are not UTF-8. */
class UnreadableFilesSpec extends DatabaseSpec {

    /** "ab" then a lone continuation byte at offset 2 (not a start byte), then more text. */
    static final byte[] BINARY = [0x61, 0x62, 0x80, 0x63] as byte[]

    def "a binary sqlFile is 'not UTF-8 text at byte N', with its plan line, exit 2, nothing run"() {
        given:
        files.write('sql/users.sql', 'CREATE TABLE users (id int);')
        def blob = new ByteArrayOutputStream()
        blob.write('CREATE TABLE é (id int);\n'.getBytes('UTF-8'))
        blob.write([0xff, 0xfe] as byte[])
        Files.write(files.dir.resolve('sql/blob.sql'), blob.toByteArray())
        def plan = files.write('plan.groovy', """\
            plan('files') {
                step('users') { sqlFile 'sql/users.sql' }
                step('blob') { sqlFile 'sql/blob.sql' }
            }
        """)

        when:
        def result = mig(plan.toString())

        then: 'é is two bytes, so the bad byte is at offset 26'
        result.exitCode == 2
        result.err.contains("plan.groovy:3: sqlFile 'sql/blob.sql' is not UTF-8 text at byte 26 (offset from 0)")
        result.err.contains('convert it (iconv')
        !result.err.contains('Input length')
        !exists('users')
    }

    def "a sqlFile naming a directory says 'is a directory', not 'not found'"() {
        given:
        Files.createDirectories(files.dir.resolve('sql/folder.sql'))
        def plan = files.write('plan.groovy', """\
            plan('files') {
                step('dir') { sqlFile 'sql/folder.sql' }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("plan.groovy:2: sqlFile 'sql/folder.sql' is a directory (")
        result.err.contains('name a file, not a folder')
        !result.err.contains('not found')
    }

    def "recipe files: binary and directory alike"() {
        given:
        Files.write(files.dir.resolve('binary.groovy'), BINARY)
        Files.createDirectories(files.dir.resolve('folder.groovy'))
        def plan = files.write('plan.groovy', """\
            use 'binary.groovy'
            use 'folder.groovy'
            plan('files') {
                step('one') { sql 'SELECT 1' }
            }
        """)

        when:
        def result = mig(plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("plan.groovy:1: recipe file 'binary.groovy' is not UTF-8 text at byte 2 (offset from 0)")
        result.err.contains("plan.groovy:2: recipe file 'folder.groovy' is a directory (")
        !result.err.contains('not found')
    }

    def "the plan file itself: binary and directory alike, for every command that reads it"() {
        given:
        def binary = files.dir.resolve('binary.groovy')
        Files.write(binary, BINARY)
        def folder = Files.createDirectories(files.dir.resolve('folder.groovy'))

        expect:
        with(mig(binary.toString())) {
            exitCode == 2
            err.contains('binary.groovy: plan file is not UTF-8 text at byte 2 (offset from 0)')
            !err.contains('Input length')
        }
        with(mig(folder.toString())) {
            exitCode == 2
            err.contains('folder.groovy: plan file is a directory')
            !err.contains('not found')
        }
        with(dev.mig.testing.MigCli.run(['check', binary.toString()])) {
            exitCode == 2
            err.contains('plan file is not UTF-8 text at byte 2')
        }
    }
}
