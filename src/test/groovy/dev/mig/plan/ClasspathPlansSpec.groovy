package dev.mig.plan

import dev.mig.Mig
import dev.mig.api.InvalidPlanException
import dev.mig.config.ConfigFile
import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream

/**
 * Issue 14 item 2: plans on the class path ({@code classpath:db/plan.groovy}) for the API and every
 * command taking PLAN (MIG_CLASSPATH puts the jar on mig's class path; here a URLClassLoader as the
 * thread context class loader stands for it). sqlFile and use resolve beside the plan in the jar,
 * messages say classpath:db/plan.groovy:LINE, and checksums do not change between folder and jar.
 */
class ClasspathPlansSpec extends DatabaseSpec {

    static final String PLAN = '''\
        use 'recipes/grants.groovy'
        plan('shop') {
            step('create shops') { sql 'CREATE TABLE shops (id bigint PRIMARY KEY)' }
            step('create items') { sqlFile 'sql/items.sql' }
            step('grant') { apply 'read shops' }
        }
        '''.stripIndent()
    static final Map<String, String> FILES = [
            'db/plan.groovy'            : PLAN,
            'db/sql/items.sql'          : 'CREATE TABLE items (id bigint PRIMARY KEY, shop bigint REFERENCES shops);\n',
            'db/recipes/grants.groovy'  : "recipe('read shops') { -> sql 'COMMENT ON TABLE shops IS \\'read\\'' }\n",
    ]

    /** The files in a folder, and the same files packed into a jar. */
    Path folder
    Path jar

    def setup() {
        folder = Files.createTempDirectory('mig-cp-folder')
        FILES.each { name, text ->
            Path p = folder.resolve(name)
            Files.createDirectories(p.parent)
            Files.writeString(p, text)
        }
        jar = Files.createTempDirectory('mig-cp-jar').resolve('app.jar')
        new JarOutputStream(Files.newOutputStream(jar)).withCloseable { jos ->
            FILES.each { name, text ->
                jos.putNextEntry(new JarEntry(name))
                jos.write(text.getBytes('UTF-8'))
                jos.closeEntry()
            }
        }
    }

    /** Runs the command line with {@code entries} on its class path, as scripts/mig does with MIG_CLASSPATH. */
    static MigCli withClasspath(List<Path> entries, List<String> args) {
        ClassLoader loader = new URLClassLoader(entries.collect { it.toUri().toURL() } as URL[], Thread.currentThread().contextClassLoader)
        ClasspathPlans.with(loader, { MigCli.run(args) } as java.util.function.Supplier<MigCli>)
    }

    List<String> checksums() {
        sql { Sql s -> s.rows('SELECT step, checksum FROM mig.steps ORDER BY position').collect { "${it.step}=${it.checksum}".toString() } }
    }

    def "a plan run from a folder, then from the same files in a jar on the class path, applies nothing and shows no drift"() {
        when:
        def fromFolder = MigCli.run(['run', '--url', url, folder.resolve('db/plan.groovy').toString()])
        def before = checksums()
        def fromJar = withClasspath([jar], ['run', '--url', url, 'classpath:db/plan.groovy'])
        def status = withClasspath([jar], ['status', '--url', url, 'classpath:db/plan.groovy'])

        then:
        fromFolder.exitCode == 0
        exists('items')
        before.size() == 3
        fromJar.exitCode == 0
        !fromJar.output.contains('applied create')
        checksums() == before
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.history WHERE outcome = 'applied'").n } == 3
        status.exitCode == 0
        !status.output.contains('drift')
        status.output.contains('0 steps to run')
    }

    def "the API loads classpath: plans from a given class loader; sqlFile and use resolve beside the plan in the jar"() {
        given:
        def loader = new URLClassLoader([jar.toUri().toURL()] as URL[], getClass().classLoader)

        when:
        def fromJar = Mig.plan('classpath:db/plan.groovy', loader)
        def fromFolder = Mig.plan(folder.resolve('db/plan.groovy'))
        def result = fromJar.runner().silent().run(url)

        then:
        fromJar.stepNames() == ['create shops', 'create items', 'grant']
        fromJar.model().steps()*.checksum() == fromFolder.model().steps()*.checksum()
        fromJar.model().steps()[1].actions()[0].file().toString() == 'classpath:db/sql/items.sql'
        fromJar.model().recipes()[0].source() == 'classpath:db/recipes/grants.groovy'
        result.succeeded()
        exists('items')
        sql { Sql s -> s.firstRow("SELECT obj_description('shops'::regclass) AS d").d } == 'read'
    }

    def "a plan in a folder on the class path works as well as one in a jar"() {
        when:
        def run = withClasspath([folder], ['run', '--url', url, 'classpath:db/plan.groovy'])

        then:
        run.exitCode == 0
        exists('items')
        checksums().size() == 3
    }

    def "problems in a classpath plan are located at classpath:NAME:LINE"() {
        given:
        Path broken = Files.createTempDirectory('mig-cp-broken')
        Files.createDirectories(broken.resolve('db'))
        Files.writeString(broken.resolve('db/plan.groovy'), "plan('x') {\n    step('a') {\n        sqlFile 'sql/missing.sql'\n    }\n}\n")

        when:
        def check = withClasspath([broken], ['check', 'classpath:db/plan.groovy'])
        def loader = new URLClassLoader([broken.toUri().toURL()] as URL[], getClass().classLoader)
        Mig.plan('classpath:db/plan.groovy', loader)

        then:
        check.exitCode == 2
        check.output.contains("classpath:db/plan.groovy:3: sqlFile 'sql/missing.sql' not found (looked for classpath:db/sql/missing.sql on the class path)")
        !check.output.contains('\tat ')
        def e = thrown(InvalidPlanException)
        e.problems()[0].location().toString() == 'classpath:db/plan.groovy:3'
    }

    def "a classpath plan that is not there is exit 2 naming it and the class path searched"() {
        when:
        def run = withClasspath([jar], ['run', '--url', url + '&password=Sekr1t-cp', 'classpath:db/nope.groovy'])

        then:
        run.exitCode == 2
        run.output.contains('classpath:db/nope.groovy')
        run.output.contains('plan file not found on the class path (looked for db/nope.groovy in ')
        run.output.contains(jar.toString())
        run.output.contains('MIG_CLASSPATH')
        !run.output.contains('Sekr1t-cp')
        !run.output.contains('\tat ')
        !exists('mig.steps')
    }

    def "--env with a classpath plan reads mig.groovy from the working directory (a resource has no folder), or --config"() {
        given:
        Path config = Files.createTempDirectory('mig-cp-config').resolve('mig.groovy')
        Files.writeString(config, "environments {\n    dev { url '${url}'; journalSchema 'mig_dev' }\n}\n")

        when:
        def run = withClasspath([jar], ['run', '--env', 'dev', '--config', config.toString(), 'classpath:db/plan.groovy'])

        then:
        ConfigFile.locate(null, Path.of('classpath:db/plan.groovy')) == Path.of('mig.groovy')
        ConfigFile.locate(null, folder.resolve('db/plan.groovy')) == folder.resolve('db/mig.groovy')
        run.exitCode == 0
        exists('mig_dev.steps')
        exists('items')
    }

    def "every command taking PLAN takes a classpath plan: #command"() {
        given:
        withClasspath([jar], ['run', '--url', url, 'classpath:db/plan.groovy'])

        when:
        def result = withClasspath([jar], [command] + (needsUrl ? ['--url', url] : []) + ['classpath:db/plan.groovy'])

        then:
        result.exitCode == 0
        !result.output.contains('not found')

        where:
        command   | needsUrl
        'check'   | false
        'lint'    | false
        'recipes' | false
        'plan'    | true
        'status'  | true
        'verify'  | true
    }
}
