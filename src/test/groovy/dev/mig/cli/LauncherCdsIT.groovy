package dev.mig.cli

import dev.mig.api.MigVersion
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The launchers' AppCDS archive (docs/DSL.md, "Launchers"): the first run of a command that loads a
 * plan notes its classes, and a background JVM writes them into MIG_CACHE_DIR/cds once it has
 * ended; the runs after it map the archive; it is replaced when a jar changes, never made from a
 * stopped first run, nor kept from a failed creation; off with MIG_CDS=off. Drives bin/mig of the
 * release archive (unpacked here, an IT: failsafe runs it after package) and scripts/mig.
 */
class LauncherCdsIT extends Specification {

    @Shared String version = MigVersion.get()
    @Shared Path root = Path.of('').toAbsolutePath()
    @Shared Path unpacked = Files.createTempDirectory('mig-cds-release')
    @Shared Path work = Files.createTempDirectory('mig-cds')
    @Shared Path mig
    @Shared String realJava = System.getProperty('java.home') + '/bin/java'
    Path cache

    def setupSpec() {
        def tarGz = root.resolve("target/mig-${version}.tar.gz")
        assert Files.isRegularFile(tarGz), "${tarGz} is missing: mvn package writes it"
        assert new ProcessBuilder('tar', 'xzf', tarGz.toString(), '-C', unpacked.toString()).inheritIO().start().waitFor() == 0
        mig = unpacked.resolve("mig-${version}/bin/mig")
        Files.writeString(work.resolve('plan.groovy'), """\
            plan('cds') {
                step('a') { sql 'CREATE TABLE a (id int PRIMARY KEY)'; verify { table('a') { columns 1 } } }
                step('b') { requires 'a'; sql 'CREATE TABLE b (id int REFERENCES a)' }
            }
        """.stripIndent())
        Files.writeString(work.resolve('slow.groovy'), "plan('slow') { step('s') { sql 'SELECT pg_sleep(60)' } }\n")
    }

    def cleanupSpec() {
        new ProcessBuilder('rm', '-rf', unpacked.toString(), work.toString()).inheritIO().start().waitFor()
    }

    def setup() {
        cache = Files.createTempDirectory(work, 'cache')
    }

    /** Starts the command with MIG_CACHE_DIR = this feature's folder and none of mig's other variables. */
    Map start(List<String> command, Map<String, String> env = [:]) {
        def builder = new ProcessBuilder(command).directory(work.toFile())
        def vars = builder.environment()
        ['MIG_JAVA_OPTS', 'MIG_CDS', 'MIG_CACHE', 'MIG_CACHE_DIR', 'MIG_CLASSPATH', 'XDG_CACHE_HOME', 'JAVA_HOME', 'CI'].each { vars.remove(it) }
        vars.put('MIG_CACHE_DIR', cache.toString())
        vars.put('PATH', System.getProperty('java.home') + '/bin:' + vars.get('PATH'))
        vars.putAll(env)
        def id = UUID.randomUUID().toString()
        builder.redirectOutput(work.resolve("${id}.out").toFile()).redirectError(work.resolve("${id}.err").toFile())
        [process: builder.start(), id: id]
    }

    Map finish(Map started) {
        Process process = started.process
        assert process.waitFor(180, TimeUnit.SECONDS)
        [exit: process.exitValue(), out: Files.readString(work.resolve("${started.id}.out")),
         err: Files.readString(work.resolve("${started.id}.err"))]
    }

    Map run(List<String> command, Map<String, String> env = [:]) {
        finish(start(command, env))
    }

    /**
     * The launcher's files in the cache folder once no archive is being made: waits for the
     * background creation a first run started (its .lock folder and .tmp files) to end.
     */
    List<String> cdsFiles() {
        def deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120)
        while (cdsFilesNow().any { it.endsWith('.lock') || it.endsWith('.tmp') }) {
            assert System.nanoTime() < deadline, "the archive's creation did not end: ${cdsFilesNow()}"
            Thread.sleep(100)
        }
        cdsFilesNow()
    }

    List<String> cdsFilesNow() {
        def dir = cache.resolve('cds')
        Files.isDirectory(dir) ? Files.list(dir).withCloseable { s -> s.map { it.fileName.toString() }.sorted().toList() } : []
    }

    /** Runs the command with the JVM's class loading log in a file; true when mig's Main came from the archive. */
    boolean mapsArchive(List<String> command, Map<String, String> env = [:]) {
        def log = Files.createTempFile(work, 'classes', '.log')
        assert run(command, env + [MIG_JAVA_OPTS: "-Xlog:class+load:file=${log}".toString()]).exit == 0
        Files.readAllLines(log).any { it.contains('dev.mig.cli.Main source: shared objects file') }
    }

    def "bin/mig: the first check of a plan writes one archive, later plan commands map mig's classes from it, with the same output"() {
        when:
        def first = run([mig.toString(), 'check', 'plan.groovy'])
        def files = cdsFiles()
        def second = run([mig.toString(), 'check', 'plan.groovy'])
        def off = run([mig.toString(), 'check', 'plan.groovy'], [MIG_CDS: 'off'])

        then:
        first.exit == 0
        first.out == "plan 'cds' (plan.groovy): 2 steps, no problems found\n"
        first.err == ''
        files.size() == 1
        files[0] ==~ /mig-\d+-\d+\.jsa/
        Files.size(cache.resolve('cds').resolve(files[0])) > 1_000_000
        second == first
        off == first
        mapsArchive([mig.toString(), 'check', 'plan.groovy'])
        !mapsArchive([mig.toString(), '--version'])
        !mapsArchive([mig.toString(), 'check', 'plan.groovy'], [MIG_CDS: 'off'])
        cdsFiles() == files
    }

    def "Flight Recorder or an agent in MIG_JAVA_OPTS runs without the archive (Java 17 crashes mapping one under them), in both launchers"() {
        given:
        def recording = work.resolve('mig.jfr')
        def flight = [MIG_JAVA_OPTS: "-XX:StartFlightRecording=filename=${recording}".toString()]
        assert run([launcher, 'check', 'plan.groovy']).exit == 0
        assert cdsFiles().size() == 1

        when:
        def recorded = run([launcher, 'check', 'plan.groovy'], flight)

        then:
        recorded.exit == 0
        recorded.out.endsWith("plan 'cds' (plan.groovy): 2 steps, no problems found\n")
        Files.size(recording) > 0

        where:
        launcher << [mig.toString(), root.resolve('scripts/mig').toString()]
    }

    def "on a CI server the first command writes no archive, MIG_CDS=on writes one, and one that is there is mapped"() {
        when:
        def ci = run([launcher, 'check', 'plan.groovy'], [CI: 'true'])

        then:
        ci.exit == 0
        ci.out.endsWith("plan 'cds' (plan.groovy): 2 steps, no problems found\n")
        cdsFiles() == []
        !mapsArchive([launcher, 'check', 'plan.groovy'], [CI: 'true'])
        cdsFiles() == []

        when:
        def forced = run([launcher, 'check', 'plan.groovy'], [CI: 'true', MIG_CDS: 'on'])

        then:
        forced.exit == 0
        cdsFiles().size() == 1
        mapsArchive([launcher, 'check', 'plan.groovy'], [CI: '1'])
        run([launcher, 'check', 'plan.groovy'], [CI: 'false']).exit == 0

        where:
        launcher << [mig.toString(), root.resolve('scripts/mig').toString()]
    }

    def "bin/mig run with the archive applies the plan and writes the journal as the run that made it"() {
        given:
        def dbs = [TestPostgres.createDatabase('cds_first'), TestPostgres.createDatabase('cds_second')]

        when:
        def results = dbs.collect { run([mig.toString(), 'run', '--url', TestPostgres.jdbcUrl(it), 'plan.groovy']) }
        def states = dbs.collect { db ->
            TestPostgres.withSql(db) { Sql s -> s.rows("SELECT step, status FROM mig.steps ORDER BY step").collect { "${it.step} ${it.status}".toString() } }
        }

        then:
        results*.exit == [0, 0]
        results*.err == ['', '']
        results.every { it.out.contains('applied         a') && it.out.contains('applied         b') }
        states[0] == ['a applied', 'b applied']
        states[1] == states[0]
        cdsFiles().size() == 1
        mapsArchive([mig.toString(), 'status', '--url', TestPostgres.jdbcUrl(dbs[1]), 'plan.groovy'])
    }

    def "--version and help neither write nor map an archive; MIG_CDS=off, MIG_CACHE=off or a cache folder that cannot be made write none"() {
        given:
        def notAFolder = Files.writeString(work.resolve('not-a-folder'), 'x')

        when:
        def shown = run([mig.toString(), '--version'])
        def help = run([mig.toString(), 'help', 'run'])
        def off = run([mig.toString(), 'check', 'plan.groovy'], [MIG_CDS: 'off'])
        def cacheOff = run([mig.toString(), 'check', 'plan.groovy'], [MIG_CACHE: 'OFF'])
        def blocked = run([mig.toString(), 'check', 'plan.groovy'], [MIG_CACHE_DIR: notAFolder.toString()])

        then:
        shown.exit == 0
        shown.out == "mig ${version} (Java ${System.getProperty('java.version')})\n"
        help.exit == 0
        [off, cacheOff, blocked].every { it.exit == 0 && it.out == "plan 'cds' (plan.groovy): 2 steps, no problems found\n" && it.err == '' }
        cdsFiles() == []
        Files.readString(notAFolder) == 'x'
    }

    def "a changed jar: the old archive is not mapped, the next plan command writes a new one that replaces it"() {
        given:
        assert run([mig.toString(), 'check', 'plan.groovy']).exit == 0
        def before = cdsFiles()
        def jar = unpacked.resolve("mig-${version}/lib/mig.jar")

        when:
        jar.toFile().setLastModified(jar.toFile().lastModified() + 3_600_000)
        def stale = mapsArchive([mig.toString(), 'check', 'plan.groovy'])
        def after = cdsFiles()

        then:
        before.size() == 1
        !stale
        after.size() == 1
        after != before
        mapsArchive([mig.toString(), 'check', 'plan.groovy'])
    }

    def "a first run stopped with SIGTERM keeps its exit code, leaves no archive and no Java behind; the next run writes it"() {
        given:
        def db = TestPostgres.createDatabase('cds_stopped')

        when:
        def started = start([mig.toString(), 'run', '--url', TestPostgres.jdbcUrl(db), 'slow.groovy'])
        Process process = started.process
        // until the step runs: the JVM child started, the plan compiled, pg_sleep under way
        def deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90)
        while (!TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'").n > 0
        } && System.nanoTime() < deadline) {
            Thread.sleep(200)
        }
        def children = process.descendants().toList()
        process.destroy()
        def stopped = finish(started)
        children.each { it.onExit().get(30, TimeUnit.SECONDS) }
        def left = cdsFiles()
        def next = run([mig.toString(), 'check', 'plan.groovy'])

        then:
        !children.isEmpty()
        stopped.exit == 143
        children.every { !it.alive }
        left == []
        next.exit == 0
        cdsFiles().size() == 1
    }

    /**
     * A JAVA_HOME whose java runs the real one, except that when asked to write an archive
     * (-Xshare:dump) it notes "dump" in the returned file and, after {@code seconds}, exits 0
     * having written nothing.
     */
    Map fakeJava(String name, int seconds) {
        def home = Files.createDirectories(work.resolve("${name}/bin")).parent
        Files.copy(Path.of(System.getProperty('java.home'), 'release'), home.resolve('release'))
        def asked = work.resolve("${name}.log")
        def java = home.resolve('bin/java')
        Files.writeString(java, """\
            #!/bin/bash
            for a in "\$@"; do
              case "\$a" in -Xshare:dump) echo dump >>'${asked}'; sleep ${seconds}; exit 0 ;; esac
            done
            exec '${realJava}' "\$@"
        """.stripIndent())
        java.toFile().setExecutable(true)
        [env: [JAVA_HOME: home.toString()], asked: asked]
    }

    def "a creation that fails (a Java that dumps nothing) is not retried for the same jars and changes nothing in the output"() {
        given:
        def fake = fakeJava('fake-jdk', 0)

        when:
        def first = run([mig.toString(), 'check', 'plan.groovy'], fake.env)
        def failed = cdsFiles()
        def second = run([mig.toString(), 'check', 'plan.groovy'], fake.env)

        then:
        first.exit == 0
        first.out == "plan 'cds' (plan.groovy): 2 steps, no problems found\n"
        first.err == ''
        second == first
        Files.readAllLines(fake.asked) == ['dump']
        failed.size() == 1
        failed[0].endsWith('.failed')
        cdsFiles() == failed
    }

    def "the archive is made after the first run has ended: its output is not held back, and runs during the creation neither wait nor start another"() {
        given: 'a java whose archive creation takes 8 s'
        def fake = fakeJava('slow-jdk', 8)
        def script = 'started=$SECONDS; out="$("$0" check plan.groovy)"; echo "$out"; echo "waited $((SECONDS - started))"'

        when: 'the first run, read through a pipe as $(mig ...) reads it, and a second run while the archive is being made'
        def first = run(['bash', '-c', script, mig.toString()], fake.env)
        def during = cdsFilesNow()
        def second = run([mig.toString(), 'check', 'plan.groovy'], fake.env)
        def after = cdsFiles()

        then:
        first.exit == 0
        first.out.startsWith("plan 'cds' (plan.groovy): 2 steps, no problems found\n")
        (first.out =~ /waited (\d+)/)[0][1].toInteger() < 8
        during.any { it.endsWith('.lock') }
        second.exit == 0
        second.out == "plan 'cds' (plan.groovy): 2 steps, no problems found\n"
        Files.readAllLines(fake.asked) == ['dump']
        after.size() == 1
        after[0].endsWith('.failed')
    }

    def "a lock left 10 minutes ago by a creation that was killed does not stop the next run from making the archive"() {
        given:
        def fake = fakeJava('stale-jdk', 0)
        assert run([mig.toString(), 'check', 'plan.groovy'], fake.env).exit == 0
        def failed = cdsFiles()
        assert failed.size() == 1 && failed[0].endsWith('.failed')
        Files.delete(cache.resolve('cds').resolve(failed[0]))
        def lock = Files.createDirectory(cache.resolve('cds').resolve(failed[0].replace('.failed', '.lock')))

        when: 'a lock just made: another creation is under way'
        def fresh = run([mig.toString(), 'check', 'plan.groovy'], fake.env)

        then:
        fresh.exit == 0
        Files.readAllLines(fake.asked) == ['dump']
        cdsFilesNow() == [lock.fileName.toString()]

        when: 'the same lock, 11 minutes old'
        lock.toFile().setLastModified(System.currentTimeMillis() - 11 * 60_000)
        def stale = run([mig.toString(), 'check', 'plan.groovy'], fake.env)

        then:
        stale.exit == 0
        cdsFiles() == failed
        Files.readAllLines(fake.asked) == ['dump', 'dump']
    }

    def "an installation in a folder whose path holds a space makes no archive (Java 17 would use none of its jars' classes from one)"() {
        given:
        def spaced = Files.createDirectories(work.resolve('with space'))
        assert new ProcessBuilder('cp', '-R', unpacked.resolve("mig-${version}").toString(), spaced.toString()).inheritIO().start().waitFor() == 0
        def launcher = spaced.resolve("mig-${version}/bin/mig").toString()

        when:
        def first = run([launcher, 'check', 'plan.groovy'])
        def files = cdsFiles()
        def second = run([launcher, 'check', 'plan.groovy'])

        then:
        first.exit == 0
        first.out == "plan 'cds' (plan.groovy): 2 steps, no problems found\n"
        first.err == ''
        second == first
        files == []
        cdsFiles() == []
    }

    def "scripts/mig writes and maps its archive the same way; --version loads none of Groovy"() {
        given:
        def launcher = root.resolve('scripts/mig').toString()
        def classes = Files.createTempFile(work, 'version', '.log')

        when:
        def first = run([launcher, 'check', 'plan.groovy'])
        def shown = run([launcher, '--version'], [MIG_CDS: 'off', MIG_JAVA_OPTS: "-Xlog:class+load:file=${classes}".toString()])

        then:
        first.exit == 0
        first.err == ''
        cdsFiles().size() == 1
        mapsArchive([launcher, 'check', 'plan.groovy'])
        shown.exit == 0
        Files.readAllLines(classes).any { it.contains('picocli.CommandLine ') }
        !Files.readAllLines(classes).any { it.contains(' groovy.') || it.contains('org.codehaus.groovy') }
    }
}
