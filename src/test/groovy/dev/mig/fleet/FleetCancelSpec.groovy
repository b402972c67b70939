package dev.mig.fleet

import dev.mig.testing.ChildJvm
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Specification

import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** docs/DSL.md, "Fleets", "Ctrl-C": a second Ctrl-C cancels the running tenants; their current step rolls back. */
class FleetCancelSpec extends Specification {

    PlanFiles files = new PlanFiles()

    /** Step b sleeps for ${nap} seconds (60 in the run that is interrupted, 0 in the rerun), then creates its table. */
    Path plan = files.write('cancel.groovy', '''
        plan('cancel') {
            placeholders nap: '0'
            step('a') { sql 'CREATE TABLE cancel_a (id int)' }
            step('b') { sql 'INSERT INTO cancel_a VALUES (1); SELECT pg_sleep(${nap}); CREATE TABLE cancel_b (id int)' }
        }
        ''')

    static int sleeping(String prefix) {
        TestPostgres.withSql('postgres') { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname LIKE ${prefix + '%'} AND query LIKE '%pg_sleep%'"
                    + " AND state = 'active'").n as int
        }
    }

    static int sessions(String prefix) {
        TestPostgres.withSql('postgres') { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname LIKE ${prefix + '%'}").n as int
        }
    }

    static void waitUntil(String what, long ms = 30_000, Closure<Boolean> condition) {
        long until = System.currentTimeMillis() + ms
        while (!condition()) {
            assert System.currentTimeMillis() < until, "waited ${ms} ms for ${what}"
            Thread.sleep(50)
        }
    }

    static String stepStates(String db) {
        FleetSignalSpec.stepStates(db)
    }

    static boolean exists(String db, String table) {
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT to_regclass(${table}) IS NOT NULL AS e").e }
    }

    def "a second Ctrl-C cancels the running tenants: their sleeping step rolls back with its journal row, exit 130; the rerun completes them"() {
        given: 'four tenants, two at a time, each sleeping a minute in step b'
        List<String> dbs = (1..4).collect { TestPostgres.createDatabase('fleet_cancel') }
        Path file = files.write('cancel.txt', dbs.collect { "${it} ${TestPostgres.jdbcUrl(it)}" }.join('\n'))
        List<String> args = ['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '2']
        Process p = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main'] + args + ['--set', 'nap=60']).redirectErrorStream(true).start()
        def out = new StringBuffer()
        Thread reader = Thread.start {
            new InputStreamReader(p.inputStream, StandardCharsets.UTF_8).eachLine { out.append(it).append('\n') }
        }

        when: 'both running tenants sleep in step b: Ctrl-C, and once mig has said so, Ctrl-C again'
        waitUntil('two tenants asleep in step b') { sleeping('fleet_cancel') == 2 }
        long start = System.currentTimeMillis()
        new ProcessBuilder('kill', '-INT', p.pid().toString()).start().waitFor()
        waitUntil('the first interrupt to be told') { out.toString().contains('mig: interrupted: no new tenant starts') }
        new ProcessBuilder('kill', '-INT', p.pid().toString()).start().waitFor()
        assert p.waitFor(30, TimeUnit.SECONDS)
        reader.join(5000)
        long took = System.currentTimeMillis() - start
        String text = out.toString()
        List<String> cancelled = dbs.findAll { text.contains("  ${it}: cancelled in step 'b': rolled back\n") }

        then: 'mig ends at once, exit 130, naming the cancelled tenants and how to continue them'
        p.exitValue() == 130
        took < 20_000
        text.contains('mig: interrupted: no new tenant starts; waiting for the running ones to finish (Ctrl-C again cancels them)')
        text.contains('mig: interrupted again: cancelling the running tenants; their current step rolls back')
        cancelled.size() == 2
        cancelled.every { text.contains("tenant ${it}: cancelled in step 'b': rolled back (") }
        text.contains('cancelled: 2 (interrupted twice: stopped while they ran); run the same command again to continue them')
        text.contains('not started: 2 (interrupted (Ctrl-C)); run the same command again to go on')
        text =~ /fleet: 0 of 4 tenants succeeded in [\d.]+ s \(exit 130\)/

        and: 'no session of theirs is left; step b left nothing: no table, its insert rolled back, no journal row; step a stays'
        waitUntil('the cancelled sessions to end', 10_000) { sessions('fleet_cancel') == 0 }
        cancelled.collect { stepStates(it) } == ['a=applied', 'a=applied']
        cancelled.every { !exists(it, 'cancel_b') }
        cancelled.every { db -> TestPostgres.withSql(db) { Sql s -> s.firstRow('SELECT count(*) AS n FROM cancel_a').n } == 0 }
        cancelled.every { db ->
            TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig.steps WHERE step = 'b'").n } == 0
        }
        (dbs - cancelled).every { stepStates(it) == '' }

        when: 'the same command again, without the long nap'
        def rerun = MigCli.run(args)

        then:
        rerun.exitCode == 0
        cancelled.every { rerun.out.contains("tenant ${it}: applied 1 step") }
        dbs.every { stepStates(it) == 'a=applied,b=applied' }
        dbs.every { exists(it, 'cancel_b') }
    }

    def "SIGTERM keeps the meaning of the first Ctrl-C: the running tenants finish their step, the summary is printed, exit 143"() {
        given:
        List<String> dbs = (1..4).collect { TestPostgres.createDatabase('fleet_term') }
        Path file = files.write('term.txt', dbs.collect { "${it} ${TestPostgres.jdbcUrl(it)}" }.join('\n'))
        Process p = new ProcessBuilder(ChildJvm.java() + ['dev.mig.cli.Main', 'run', plan.toString(), '--fleet-file', file.toString(),
                                                          '--parallel', '2', '--set', 'nap=2']).redirectErrorStream(true).start()
        def out = new StringBuffer()
        Thread reader = Thread.start {
            new InputStreamReader(p.inputStream, StandardCharsets.UTF_8).eachLine { out.append(it).append('\n') }
        }

        when:
        waitUntil('two tenants asleep in step b') { sleeping('fleet_term') == 2 }
        new ProcessBuilder('kill', '-TERM', p.pid().toString()).start().waitFor()
        assert p.waitFor(30, TimeUnit.SECONDS)
        reader.join(5000)
        String text = out.toString()

        then:
        p.exitValue() == 143
        text.contains('mig: interrupted: no new tenant starts; waiting for the running ones to finish\n')
        text.contains('not started: 2 (interrupted (Ctrl-C)); run the same command again to go on')
        dbs.collect { stepStates(it) }.sort() == ['', '', 'a=applied,b=applied', 'a=applied,b=applied']
    }
}
