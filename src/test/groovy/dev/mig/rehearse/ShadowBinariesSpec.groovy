package dev.mig.rehearse

import dev.mig.embedded.EmbeddedServer
import dev.mig.model.Plan
import dev.mig.plan.PlanLoader
import dev.mig.run.RunListener
import dev.mig.run.RunOptions
import dev.mig.testing.PlanFiles
import spock.lang.Requires
import spock.lang.Specification

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.util.function.IntFunction

/**
 * Which PostgreSQL the embedded shadow runs (issue 11, item 24): the target's major from a local
 * installation when there is one, else the bundled server, with a warning when the majors differ.
 */
class ShadowBinariesSpec extends Specification {

    static final Path PG15 = Path.of('/usr/lib/postgresql/15/bin')

    PlanFiles files = new PlanFiles()
    ByteArrayOutputStream out = new ByteArrayOutputStream()

    Rehearsal rehearsal(IntFunction<Optional<Path>> localServers) {
        Plan plan = new PlanLoader().load(files.write('p.groovy', "plan('p') { step('s') { sql 'SELECT 1' } }"))
        new Rehearsal(plan, RunOptions.defaults(), RunListener.NONE, new PrintStream(out, true, 'UTF-8'), 'test', localServers)
    }

    String printed() { out.toString(StandardCharsets.UTF_8) }

    /** An executable shell script. */
    Path script(String path, String body) {
        Path p = files.write(path, '#!/bin/sh\n' + body + '\n')
        p.toFile().setExecutable(true)
        p
    }

    /** A directory that looks like a PostgreSQL installation of {@code major}; its initdb always fails. */
    Path fakeInstall(String dir, int major) {
        script("$dir/postgres", "echo 'postgres (PostgreSQL) ${major}.3'")
        script("$dir/initdb", "echo 'initdb: error: cannot be run here' >&2; exit 1")
        script("$dir/pg_ctl", 'exit 1')
        files.dir.resolve(dir)
    }

    def "a shadow of another major than the target's is a warning naming both and what to do"() {
        expect:
        Rehearsal.versionWarning(150008, 170011).get() == "mig rehearse: warning: the shadow runs PostgreSQL 17 and the target 15:" +
                " a step can behave differently on 15 (syntax, catalogs, defaults); to rehearse on 15, install its server package" +
                " (mig looks in /usr/lib/postgresql/15/bin, /usr/pgsql-15/bin, Homebrew's postgresql@15 and pg_config --bindir)" +
                " or give --shadow the URL of an empty PostgreSQL 15 database"
        Rehearsal.versionWarning(170002, 170011).isEmpty()
    }

    def "the first installation whose postgres reports the target's major is chosen; incomplete ones and other majors are not"() {
        given:
        Path sixteen = fakeInstall('pg16/bin', 16)
        Path incomplete = files.dir.resolve('half/bin')
        script('half/bin/postgres', "echo 'postgres (PostgreSQL) 15.1'")
        Path fifteen = fakeInstall('pg15/bin', 15)
        Path other15 = fakeInstall('other15/bin', 15)

        expect:
        ShadowBinaries.locate(15, [files.dir.resolve('missing'), sixteen, incomplete, fifteen, other15], ShadowBinaries::majorOf) == Optional.of(fifteen)
        ShadowBinaries.locate(14, [sixteen, fifteen], ShadowBinaries::majorOf).isEmpty()
        ShadowBinaries.majorOf(fifteen.resolve('postgres')) == Optional.of(15)
    }

    def "the packages' directories are looked in first, then pg_config --bindir of the pg_config on the PATH"() {
        given:
        script('tools/pg_config', "echo '/opt/pg15/bin'")

        expect:
        ShadowBinaries.candidates(15, [PATH: files.dir.resolve('tools').toString()]) == [
                Path.of('/usr/lib/postgresql/15/bin'), Path.of('/usr/pgsql-15/bin'), Path.of('/opt/homebrew/opt/postgresql@15/bin'),
                Path.of('/usr/local/opt/postgresql@15/bin'), Path.of('/opt/pg15/bin')]
        ShadowBinaries.candidates(15, [PATH: '/nonexistent']).size() == 4
    }

    def "a target of the bundled major runs on the bundled server, without looking for another"() {
        given:
        boolean looked = false

        when:
        EmbeddedServer server = rehearsal({ int m -> looked = true; Optional.empty() } as IntFunction).startShadow(EmbeddedServer.bundledMajor())

        then:
        EmbeddedServer.bundledMajor() == 17
        server.serverVersion().startsWith('17.')
        !looked

        cleanup:
        server?.close()
    }

    def "a local installation that does not start is reported, and the bundled server runs instead"() {
        given:
        Path broken = fakeInstall('broken15/bin', 15)

        when:
        EmbeddedServer server = rehearsal({ int m -> m == 15 ? Optional.of(broken) : Optional.empty() } as IntFunction).startShadow(15)

        then:
        server.serverVersion().startsWith('17.')
        printed().startsWith("mig rehearse: warning: the PostgreSQL 15 server in $broken did not start (")
        printed().contains('the shadow runs the bundled server instead')

        cleanup:
        server?.close()
    }

    @Requires(value = { Files.isExecutable(ShadowBinariesSpec.PG15.resolve('initdb')) },
            reason = 'needs a local PostgreSQL 15 server (/usr/lib/postgresql/15/bin)')
    def "a PostgreSQL 15 target is rehearsed on the local PostgreSQL 15 installation"() {
        when:
        EmbeddedServer server = rehearsal({ int m -> ShadowBinaries.locate(m, System.getenv()) } as IntFunction).startShadow(15)

        then:
        server.serverVersion().startsWith('15.')
        printed().isEmpty()

        cleanup:
        server?.close()
    }
}
