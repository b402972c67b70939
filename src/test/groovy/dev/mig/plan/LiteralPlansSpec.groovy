package dev.mig.plan

import dev.mig.model.Plan
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Isolated

import java.nio.file.Files
import java.nio.file.Path

/**
 * The model of a literal plan kept in the plan cache (LiteralPlans): a hit is the plan a load
 * builds, without compiling; a changed or missing SQL file, a changed plan, another mig, a broken
 * entry all load afresh. Isolated: the cache in use is per process.
 */
@Isolated
class LiteralPlansSpec extends CachedPlansSpec {

    static final String PLAN = '''\
        plan('literal') {
            lockTimeout '2s'
            step('V1__accounts.sql') {
                sqlFile 'sql/V1__accounts.sql'
            }
            step('V2__index.sql') {
                transaction false
                sqlFile 'sql/V2__index.sql'
                undo { sqlFile 'sql/U2__index.sql' }
            }
            step('inline') {
                requires 'V1__accounts.sql'
                sql 'COMMENT ON TABLE accounts IS \\'accounts\\''
            }
        }
        '''

    Path writePlan(String folder = '') {
        files.write(folder + 'sql/V1__accounts.sql', 'CREATE TABLE accounts (id int PRIMARY KEY, name text);\n')
        files.write(folder + 'sql/V2__index.sql', 'CREATE INDEX CONCURRENTLY accounts_name ON accounts (name);\n')
        files.write(folder + 'sql/U2__index.sql', 'DROP INDEX accounts_name;\n')
        files.write(folder + 'literal.groovy', PLAN)
    }

    List<Path> entries(String suffix) {
        Path folder = cacheDir.resolve('compiled')
        Files.isDirectory(folder) ? Files.list(folder).withCloseable { s -> s.filter { it.toString().endsWith(suffix) }.sorted().toList() } : []
    }

    static Plan uncached(Path plan) {
        PlanCache active = PlanCache.active()
        PlanCache.use(null)
        try {
            return new PlanLoader().load(plan)
        } finally {
            PlanCache.use(active)
        }
    }

    def "a literal plan's model is kept, and the next load is that plan without compiling"() {
        given:
        Path plan = writePlan()

        when: 'the first load compiles, and keeps the classes and the model'
        Plan first = new PlanLoader().load(plan)

        then:
        entries('.class-set').size() == 1
        entries('.plan-model').size() == 1
        first == uncached(plan)

        when: 'without the classes, the next load is the same plan, and compiles nothing'
        entries('.class-set').each { Files.delete(it) }
        Plan second = new PlanLoader().load(plan)

        then:
        second == first
        second.steps()*.checksum() == uncached(plan).steps()*.checksum()
        second.steps()[1].undo()[0].text() == 'DROP INDEX accounts_name;\n'
        entries('.class-set').isEmpty()
    }

    def "a changed SQL file of the same size is read, and its step's checksum changes as without the cache"() {
        given:
        Path plan = writePlan()
        Plan before = new PlanLoader().load(plan)
        byte[] model = Files.readAllBytes(entries('.plan-model')[0])

        when:
        Files.writeString(plan.resolveSibling('sql/V1__accounts.sql'), 'CREATE TABLE accounts (id int PRIMARY KEY, nick text);\n')
        Plan after = new PlanLoader().load(plan)

        then: 'a miss: the plan loads afresh, as without the cache, and its model is written again'
        after == uncached(plan)
        after.steps()[0].checksum() != before.steps()[0].checksum()
        after.steps()[0].actions()[0].text().contains('nick')
        after.steps()[1..2]*.checksum() == before.steps()[1..2]*.checksum()
        Files.readAllBytes(entries('.plan-model')[0]) != model

        when: 'and a changed undo file too'
        Files.writeString(plan.resolveSibling('sql/U2__index.sql'), 'DROP INDEX IF EXISTS accounts_name;\n')

        then:
        new PlanLoader().load(plan).steps()[1].undo()[0].text() == 'DROP INDEX IF EXISTS accounts_name;\n'
    }

    def "a removed SQL file is the plan problem it is without the cache"() {
        given:
        Path plan = writePlan()
        new PlanLoader().load(plan)

        when:
        Files.delete(plan.resolveSibling('sql/V2__index.sql'))
        List<String> cached = problems { new PlanLoader().load(plan) }

        then:
        cached == problems { uncached(plan) }
        cached.size() == 1
        cached[0].contains("sqlFile 'sql/V2__index.sql' not found")
    }

    def "a changed plan, another mig, another folder each have their own model"() {
        given:
        Path plan = writePlan()
        new PlanLoader().load(plan)

        when: 'the same text in another folder reads its own files'
        Path twin = writePlan('twin/')
        Files.writeString(twin.resolveSibling('sql/V1__accounts.sql'), 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n')
        Plan other = new PlanLoader().load(twin)

        then:
        entries('.plan-model').size() == 2
        other.steps()[0].actions()[0].text() == 'CREATE TABLE accounts (id bigint PRIMARY KEY);\n'
        other.steps()[0].location().file() == twin
        other == uncached(twin)

        when: 'the plan text changes'
        Files.writeString(plan, Files.readString(plan).replace("lockTimeout '2s'", "lockTimeout '3s'"))

        then:
        new PlanLoader().load(plan).settings().lockTimeout() == '3s'
        entries('.plan-model').size() == 3

        when: 'another mig version'
        PlanCache.stamp = PlanCache.stamp('99.0-other')
        new PlanLoader().load(plan)

        then:
        entries('.plan-model').size() == 4
    }

    def "a corrupt or truncated model is loaded afresh and replaced, never trusted"() {
        given:
        Path plan = writePlan()
        Plan expected = new PlanLoader().load(plan)
        Path model = entries('.plan-model')[0]
        byte[] good = Files.readAllBytes(model)

        when: 'one byte of the model differs'
        byte[] flipped = good.clone()
        flipped[good.length - 40] ^= 0x01
        Files.write(model, flipped)
        Plan loaded = new PlanLoader().load(plan)

        then:
        loaded == expected
        Files.readAllBytes(model) == good

        when: 'the model is cut short'
        Files.write(model, Arrays.copyOf(good, good.length - 100))

        then:
        new PlanLoader().load(plan) == expected
        Files.readAllBytes(model) == good
    }

    def "constant placeholders (names, text, numbers, booleans, null) keep a literal plan literal: the model holds them, in order, with where they were declared"() {
        given:
        files.write('sql/V1__t.sql', 'CREATE TABLE ${prefix}t (id int);\n')
        Path plan = files.write('placed.groovy', """\
            plan('placed') {
                placeholders(prefix: 'app_', 'flyway:table': 'hist')
                placeholders reader: null, size: 3, on: true
                step('V1__t.sql') {
                    sqlFile 'sql/V1__t.sql'
                }
            }
            """.stripIndent())

        when:
        Plan first = new PlanLoader().load(plan)
        entries('.class-set').each { Files.delete(it) }
        Plan second = new PlanLoader().load(plan)

        then:
        entries('.plan-model').size() == 1
        entries('.class-set').isEmpty()
        second == first
        first == uncached(plan)
        second.placeholders().values() == [prefix: 'app_', 'flyway:table': 'hist', reader: null, size: '3', on: 'true']
        second.placeholders().values().keySet().toList() == ['prefix', 'flyway:table', 'reader', 'size', 'on']
        second.placeholders().sources().values().toSet() == ['the plan'] as Set
        second.placeholders().declaredAt().line() == 2
        second.placeholders().replace()
    }

    def "placeholders whose value is computed (a call, a GString, an expression) keep the plan from being literal"() {
        given:
        Path plan = files.write('computed.groovy', """\
            plan('computed') {
                placeholders prefix: ${value}
                step('a') { sql 'CREATE TABLE a (id int)' }
            }
            """.stripIndent())

        when:
        new PlanLoader().load(plan)

        then:
        entries('.class-set').size() == 1
        entries('.plan-model').isEmpty()

        where:
        value << ["System.getProperty('user.name')", '"app_${1}"', "'a' + 'b'", '1 + 1']
    }

    def "a plan that is not literal keeps no model"() {
        given:
        Path plan = files.write('guarded.groovy', '''\
            plan('guarded') {
                step('a') {
                    guard { !table('a').exists() }
                    sql 'CREATE TABLE a (id int)'
                }
            }
            ''')

        when:
        new PlanLoader().load(plan)

        then:
        entries('.class-set').size() == 1
        entries('.plan-model').isEmpty()
    }

    def "on the command line: runs, drift after a changed file, and status print the same with and without the cache"() {
        given:
        Path plan = writePlan()
        String other = TestPostgres.createDatabase('literalplans')
        Map<String, String> on = [MIG_CACHE_DIR: cacheDir.toString()]
        Map<String, String> off = [MIG_CACHE: 'off']
        def clean = { String out ->
            out.replace(other, 'DB').replace(db, 'DB').replaceAll(/\d+ ms/, 'N ms').replaceAll(/in \d+(\.\d+)? s/, 'in N s')
                    .replaceAll(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, 'TIME')
        }

        when: 'a first run and a rerun on two databases, with the cache and without'
        def runs = [on, off].collect { env ->
            String database = env.is(on) ? other : db
            [MigCli.run(['run', '--url', TestPostgres.jdbcUrl(database), plan.toString()], env, home),
             MigCli.run(['run', '--url', TestPostgres.jdbcUrl(database), plan.toString()], env, home)]
        }

        then:
        runs.flatten()*.exitCode == [0] * 4
        clean(runs[0][0].out) == clean(runs[1][0].out)
        clean(runs[0][1].out) == clean(runs[1][1].out)
        runs[0][1].out.contains('3 applied earlier')
        entries('.plan-model').size() == 1

        when: 'an applied file changes: the same drift either way'
        Files.writeString(plan.resolveSibling('sql/V1__accounts.sql'), 'CREATE TABLE accounts (id int PRIMARY KEY, nick text);\n')
        def statusOn = MigCli.run(['status', '--url', TestPostgres.jdbcUrl(other), plan.toString()], on, home)
        def statusOff = MigCli.run(['status', '--url', url, plan.toString()], off, home)
        def rerunOn = MigCli.run(['run', '--url', TestPostgres.jdbcUrl(other), plan.toString()], on, home)
        def rerunOff = MigCli.run(['run', '--url', url, plan.toString()], off, home)

        then:
        clean(statusOn.out) == clean(statusOff.out)
        statusOn.out.contains('V1__accounts.sql')
        rerunOn.exitCode == rerunOff.exitCode
        clean(rerunOn.out) == clean(rerunOff.out)
        TestPostgres.withSql(other) { Sql s -> s.rows('SELECT step, status, checksum FROM mig.steps ORDER BY position')*.toSpreadMap() } ==
                sql { Sql s -> s.rows('SELECT step, status, checksum FROM mig.steps ORDER BY position')*.toSpreadMap() }
    }
}
