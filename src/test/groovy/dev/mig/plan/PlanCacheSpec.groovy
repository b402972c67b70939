package dev.mig.plan

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Isolated

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.BasicFileAttributes
import java.nio.file.attribute.FileTime
import java.time.Duration
import java.time.Instant

/**
 * The compiled-plan cache: a hit behaves as a compilation does, and every input of a compilation
 * (and every broken entry) leads to compiling afresh. Isolated: the cache in use is per process.
 */
@Isolated
class PlanCacheSpec extends CachedPlansSpec {

    static final String RECIPES = '''\
        recipe('table', description: 'a table') { String name, int columns = 2 ->
            sql "CREATE TABLE ${name} (" + (1..columns).collect { "c${it} int" }.join(', ') + ')'
        }
        '''

    static final String PLAN = '''\
        use 'recipes.groovy'
        plan('cached') {
            step('a') {
                sql 'CREATE TABLE a (id int)'
                verify { table('a') { columns 1 } }
            }
            step('b') {
                guard { !table('b').exists() }
                sqlFile 'b.sql'
            }
            step('c') { apply 'table', 'c', 3 }
        }
        '''

    MigCli cli(List<String> args, Map<String, String> env = [MIG_CACHE_DIR: cacheDir.toString()]) {
        MigCli.run(args, env, home)
    }

    List<Path> entries() {
        Path folder = cacheDir.resolve('compiled')
        Files.isDirectory(folder) ? Files.list(folder).withCloseable { s -> s.filter { it.toString().endsWith('.class-set') }.toList() } : []
    }

    /** A file's identity: an entry that is rewritten (a miss) is a new file, moved into place. */
    static Object identity(Path file) {
        Files.readAttributes(file, BasicFileAttributes).fileKey()
    }

    static ScriptCompiler.Compiled compile(Path file, boolean strict = false) {
        ScriptCompiler.compile(Files.readString(file), file.fileName.toString(), file, PlanLoader.SCRIPT_BASE_CLASS, strict)
    }

    static boolean fromCache(ScriptCompiler.Compiled compiled) {
        compiled.scriptClass().classLoader.class.simpleName == 'EntryLoader'
    }

    Path writePlan() {
        files.write('recipes.groovy', RECIPES)
        files.write('b.sql', 'CREATE TABLE b (id int);')
        files.write('cached.groovy', PLAN)
    }

    List<Map> journal(String database) {
        TestPostgres.withSql(database) { Sql s -> s.rows('SELECT step, status, checksum FROM mig.steps ORDER BY position')*.toSpreadMap() }
    }

    def "a hit loads the same plan: steps, checksums, recipe parameters, check and run output, journal"() {
        given:
        Path plan = writePlan()
        PlanCache.use(null)
        def uncached = new PlanLoader().load(plan)
        PlanCache.use(PlanCache.in(cacheDir))

        when: 'the first load compiles and stores, the second is a hit'
        def first = compile(plan)
        def second = compile(plan)
        def miss = new PlanLoader().load(plan)
        def hit = new PlanLoader().load(plan)

        then:
        !fromCache(first)
        fromCache(second)
        entries().size() == 2 // the plan and its recipe file
        [miss, hit].every { it.steps()*.checksum() == uncached.steps()*.checksum() }
        hit.steps()*.name() == ['a', 'b', 'c']
        hit.recipes()*.parameters()*.toString() == uncached.recipes()*.parameters()*.toString()
        hit.recipes()[0].parameters()*.defaultText() == [null, '2']

        when: 'the command line, cached and not, prints the same and journals the same'
        def off = cli(['check', plan.toString()], [MIG_CACHE: 'off'])
        def cached = cli(['check', plan.toString()])
        def runOff = MigCli.run(['run', '--url', url, plan.toString()], [MIG_CACHE: 'off'], home)
        String other = TestPostgres.createDatabase('plancache')
        def runCached = cli(['run', '--url', TestPostgres.jdbcUrl(other), plan.toString()])

        then:
        off.exitCode == 0 && cached.exitCode == 0
        cached.out == off.out
        runOff.exitCode == 0 && runCached.exitCode == 0
        journal(other) == journal(db)
        journal(db)*.status == ['applied'] * 3
    }

    def "each input of a compilation is in the key: text, file name, --strict, mig's version"() {
        given:
        Path plan = writePlan()
        compile(plan)

        expect:
        fromCache(compile(plan))

        when: 'the same text under another file name'
        Path renamed = files.write("renamed.groovy", Files.readString(plan))

        then:
        !fromCache(compile(renamed))
        compile(renamed).scriptClass().name == 'renamed'

        and: 'strict and not strict are two entries'
        !fromCache(compile(plan, true))
        fromCache(compile(plan, true))

        when: 'the plan text changes by one character'
        Files.writeString(plan, Files.readString(plan).replace('CREATE TABLE a (id int)', 'CREATE TABLE a (id bigint)'))

        then:
        !fromCache(compile(plan))

        when: 'another mig version'
        PlanCache.stamp = PlanCache.stamp('99.0-other')

        then:
        !fromCache(compile(plan))
        fromCache(compile(plan))
    }

    def "a changed recipe file is compiled afresh: the run applies the new recipe"() {
        given:
        Path plan = writePlan()
        assert cli(['check', plan.toString()]).exitCode == 0
        Files.writeString(plan.resolveSibling('recipes.groovy'), RECIPES.stripIndent().replace('"c${it} int"', '"d${it} text"'))

        when:
        def run = cli(['run', '--url', url, plan.toString()])

        then:
        run.exitCode == 0
        sql { Sql s -> s.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'c' ORDER BY 1")*.column_name } == ['d1', 'd2', 'd3']
        entries().size() == 3
    }

    def "a changed sqlFile changes the step's checksum on a hit"() {
        given:
        Path plan = writePlan()
        String before = new PlanLoader().load(plan).steps()[1].checksum()
        Map<Path, Object> stored = entries().collectEntries { [it, identity(it)] }

        when:
        Files.writeString(plan.resolveSibling('b.sql'), 'CREATE TABLE b (id bigint);')
        def loaded = new PlanLoader().load(plan)

        then: 'the entries were read, not written again'
        entries().collectEntries { [it, identity(it)] } == stored
        loaded.steps()[1].checksum() != before
        loaded.steps()[0].checksum() == new PlanLoader().load(plan).steps()[0].checksum()
    }

    def "the same plan text in two folders shares one entry, and each reads its own SQL file"() {
        given:
        Path plan = writePlan()
        Path twin = files.write('twin/cached.groovy', Files.readString(plan))
        files.write('twin/recipes.groovy', RECIPES)
        files.write('twin/b.sql', 'CREATE TABLE b (id bigint);')

        when:
        def first = new PlanLoader().load(plan)
        def second = new PlanLoader().load(twin)

        then:
        entries().size() == 2
        fromCache(compile(twin))
        second.steps()[1].checksum() != first.steps()[1].checksum()
        second.steps()[0].checksum() == first.steps()[0].checksum()
    }

    def "a #damage entry is compiled afresh and replaced, and the run is correct"() {
        given:
        Path plan = files.write('one.groovy', "plan('one') {\n  step('t') { sql 'CREATE TABLE t (id int)' }\n}\n")
        compile(plan)
        Path entry = entries()[0]
        byte[] bytes = Files.readAllBytes(entry)
        Files.write(entry, spoil(bytes))
        Object spoiled = identity(entry)

        when:
        def run = cli(['run', '--url', url, plan.toString()])

        then:
        run.exitCode == 0
        run.err.isEmpty()
        exists('public.t')
        identity(entry) != spoiled
        Files.readAllBytes(entry) == bytes
        fromCache(compile(plan))

        where:
        damage               | spoil
        'truncated'          | { byte[] b -> Arrays.copyOf(b, b.length.intdiv(2)) }
        'empty'              | { byte[] b -> new byte[0] }
        'corrupt'            | { byte[] b -> byte[] c = b.clone(); c[b.length - 100] = (byte) (c[b.length - 100] ^ 0x5a); c }
        'lengthened'         | { byte[] b -> Arrays.copyOf(b, b.length + 1) }
        'foreign'            | { byte[] b -> 'not an entry at all'.bytes }
    }

    def "an unusable cache folder (#kind) means compiling as without one, silently"() {
        given:
        Path plan = writePlan()
        Path blocker = Files.createTempFile('mig-cache', '.file')
        Path folder = kind == 'a file' ? blocker : blocker.resolve('below')

        when:
        def run = cli(['run', '--url', url, plan.toString()], [MIG_CACHE_DIR: folder.toString()])

        then:
        run.exitCode == 0
        run.err.isEmpty()
        !run.output.contains(blocker.toString())
        journal(db)*.status == ['applied'] * 3
        Files.isRegularFile(blocker)

        where:
        kind << ['a file', 'a folder inside a file']
    }

    def "errors raised while the plan loads, and while a step runs, name the same plan line on a hit"() {
        given:
        Path loading = files.write('loading.groovy', "plan('l') {\n  def x = null\n  x.size()\n}\n")
        Path running = files.write('running.groovy',
                "plan('r') {\n  step('s') {\n    groovy { db ->\n      throw new IllegalStateException('boom')\n    }\n  }\n}\n")

        when:
        def loads = (1..2).collect { cli(['check', loading.toString()]) }
        def runs = (1..2).collect { cli(['run', '--url', url, running.toString()]) }

        then:
        fromCache(compile(loading)) && fromCache(compile(running))
        loads*.exitCode == [2, 2]
        loads[0].output.contains('loading.groovy:3')
        loads[1].output == loads[0].output
        runs*.exitCode == [1, 1]
        runs.every { it.output.contains('boom') && it.output.contains('running.groovy:4') }
    }

    def "plan code from an entry cannot end the process either: System.exit reached dynamically fails the step"() {
        given:
        Path plan = files.write('exit.groovy',
                "plan('p') {\n  step('a') {\n    groovy { db -> def quit = System; quit.exit(5) }\n  }\n}\n")
        compile(plan)

        when:
        def run = cli(['run', '--url', url, plan.toString()])

        then:
        fromCache(compile(plan))
        run.exitCode == 1
        run.output.contains('System.exit(...) called by plan code')
        run.output.contains('exit.groovy:3')
    }

    def "compilation errors are never cached: every run reports them at their lines"() {
        given:
        Path plan = files.write('broken.groovy', text)

        when:
        def checks = (1..2).collect { cli(['check', plan.toString()]) }

        then:
        checks*.exitCode == [2, 2]
        checks.every { it.output.contains("broken.groovy:${line}") }
        checks[1].output == checks[0].output
        entries().isEmpty()

        where:
        text                                                                               | line
        "plan('p') {\n  step('s') {\n    sql 'x'\n  }\n"                                   | ''
        "plan('p') {\n  step('s') {\n    groovy { System.exit(3) }\n  }\n}\n"              | 3
    }

    def "MIG_CACHE=off compiles and writes nothing"() {
        given:
        Path plan = writePlan()

        when:
        def run = cli(['run', '--url', url, plan.toString()], [MIG_CACHE: 'off', MIG_CACHE_DIR: cacheDir.toString()])

        then:
        run.exitCode == 0
        PlanCache.active() == null
        entries().isEmpty()
        !Files.exists(home.resolve('.cache'))
    }

    def "the folder is MIG_CACHE_DIR, else XDG_CACHE_HOME/mig, else ~/.cache/mig; MIG_CACHE=off turns it off"() {
        expect:
        PlanCache.folderFor(env, Path.of('/home/u')) == (expected == null ? null : Path.of(expected))

        where:
        env                                                   | expected
        [:]                                                   | '/home/u/.cache/mig'
        [XDG_CACHE_HOME: '/xdg']                              | '/xdg/mig'
        [XDG_CACHE_HOME: 'relative']                          | '/home/u/.cache/mig'
        [MIG_CACHE_DIR: '/c', XDG_CACHE_HOME: '/xdg']         | '/c'
        [MIG_CACHE: 'off', MIG_CACHE_DIR: '/c']               | null
        [MIG_CACHE: 'OFF']                                    | null
        [MIG_CACHE: 'on']                                     | '/home/u/.cache/mig'
    }

    def "entries unused for 30 days are deleted, at most once a day; a used entry is kept"() {
        given:
        Path plan = writePlan()
        compile(plan)
        Path folder = cacheDir.resolve('compiled')
        Path used = entries()[0]
        Path stale = Files.write(folder.resolve('0' * 64 + '.class-set'), [1, 2, 3] as byte[])
        Path leftover = Files.createFile(folder.resolve('x.tmp'))
        [used, stale].each { Files.setLastModifiedTime(it, ago(31)) }
        Files.setLastModifiedTime(leftover, ago(2))
        Files.setLastModifiedTime(folder.resolve('.pruned'), ago(pruned))

        when: 'the plan is hit, which moves the time of its entry on; another file is compiled and stored, which prunes'
        boolean hit = fromCache(compile(plan))
        compile(files.write('new.groovy', "plan('n') { step('s') { sql 'SELECT 1' } }"))

        then:
        hit
        Files.exists(used)
        Files.getLastModifiedTime(used).toInstant() > Instant.now().minus(Duration.ofHours(1))
        Files.exists(stale) == !prunes
        Files.exists(leftover) == !prunes

        where:
        pruned | prunes
        2      | true
        0      | false
    }

    static FileTime ago(int days) {
        FileTime.from(Instant.now().minus(Duration.ofDays(days)).plusSeconds(days == 0 ? -60 : 0))
    }
}
