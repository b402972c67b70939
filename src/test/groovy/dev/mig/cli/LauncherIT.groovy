package dev.mig.cli

import dev.mig.testing.TestPostgres
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** scripts/mig as a user runs it: from another directory, through a symlink, exit codes intact. */
class LauncherIT extends Specification {

    @Shared Path root = Path.of('').toAbsolutePath()
    @Shared Path launcher = root.resolve('scripts/mig')
    @Shared Path elsewhere = Files.createTempDirectory('mig-elsewhere')

    Map run(List<String> command, Map<String, String> env = [:]) {
        def builder = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectErrorStream(true)
        builder.environment().putAll(env)
        def process = builder.start()
        def output = process.inputStream.text
        assert process.waitFor(120, TimeUnit.SECONDS)
        [exit: process.exitValue(), output: output]
    }

    def "the launcher runs the built jar from any directory"() {
        when:
        def result = run([launcher.toString(), '--version'])

        then:
        result.exit == 0
        result.output.startsWith('mig ')
        !result.output.contains('building')
    }

    def "the built jar ships the IDE descriptors: mig.gdsl for IntelliJ, dsld/mig.dsld for Eclipse (mig-core's jar, in target/lib)"() {
        when:
        List<Path> core = Files.list(root.resolve('target/lib')).withCloseable { s ->
            s.filter { it.fileName.toString().startsWith('mig-core-') }.toList()
        }
        def names = new java.util.jar.JarFile(core[0].toFile()).withCloseable { jar ->
            jar.entries().collect { it.name }
        }

        then:
        core.size() == 1
        'mig.gdsl' in names
        'dsld/mig.dsld' in names
        'dev/mig/plan/StrictTypeChecking.class' in names
    }

    def "the launcher works through a symlink"() {
        given:
        def link = elsewhere.resolve('mig-link')
        Files.deleteIfExists(link)
        Files.createSymbolicLink(link, launcher)

        expect:
        run([link.toString(), '--version']).exit == 0
    }

    def "exit codes pass through: verify failure 3, plan error 2, done 0"() {
        given:
        def url = TestPostgres.jdbcUrl(TestPostgres.createDatabase('launcher'))
        def bad = elsewhere.resolve('bad.groovy')
        Files.writeString(bad, "plan('bad') { step('a') { sqll 'SELECT 1' } }")

        expect:
        run([launcher.toString(), 'run', '--url', url, root.resolve('dsl-examples/verify-catches-wrong-column-count.groovy').toString()]).exit == 3
        run([launcher.toString(), 'check', bad.toString()]).exit == 2
        run([launcher.toString(), 'run', '--url', url, root.resolve('dsl-examples/quickstart.groovy').toString()]).exit == 0
    }

    def "MIG_CLASSPATH puts a team's recipe jar beside mig, for use 'classpath:...'"() {
        given:
        def jar = elsewhere.resolve('team-recipes.jar')
        new java.util.jar.JarOutputStream(Files.newOutputStream(jar)).withCloseable { out ->
            out.putNextEntry(new java.util.jar.JarEntry('team/recipes/grants.groovy'))
            out.write("version '2.1'\nrecipe('team grant', description: 'read access') { String role -> sql 'SELECT 1' }\n".bytes)
            out.closeEntry()
        }
        def plan = elsewhere.resolve('team.groovy')
        Files.writeString(plan, """\
            use 'classpath:team/recipes/grants.groovy', version: '2'
            use 'classpath:mig/recipes/catalog.groovy'
            plan('team') { step('a') { apply 'team grant', 'reader' } }
        """.stripIndent())

        when:
        def listed = run([launcher.toString(), 'recipes', plan.toString()], [MIG_CLASSPATH: jar.toString()])
        def without = run([launcher.toString(), 'recipes', plan.toString()])

        then:
        listed.exit == 0
        listed.output.contains('team grant (String role)')
        listed.output.contains("from classpath:team/recipes/grants.groovy:2, version 2.1 (jar:file:${jar}!/team/recipes/grants.groovy)")
        listed.output.contains('clear name (String name)')
        without.exit == 2
        without.output.contains("recipe file 'classpath:team/recipes/grants.groovy' not found")
    }
}
