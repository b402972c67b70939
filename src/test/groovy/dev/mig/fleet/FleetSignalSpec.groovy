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

/** docs/DSL.md, "Fleets": Ctrl-C and kill -9 of a fleet run in its own process, and the rerun that converges. */
class FleetSignalSpec extends Specification {

    PlanFiles files = new PlanFiles()

    /** Each tenant takes about a second, in its first step. */
    Path plan = files.write('slow.groovy', """
        plan('slow') {
            step('a') { sql 'SELECT pg_sleep(0.8); CREATE TABLE slow_t (id int)' }
            step('b') { sql 'ALTER TABLE slow_t ADD COLUMN name text' }
        }
        """)

    static String stepStates(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT to_regclass('mig.steps') IS NULL AS none").none ? ''
                    : s.rows('SELECT step, status FROM mig.steps ORDER BY position').collect { "${it.step}=${it.status}" }.join(',')
        }
    }

    /** Starts mig in a child JVM, waits for the first tenant line, sends the signal, returns exit code and output. */
    List startAndSignal(List<String> args, String signal) {
        def command = ChildJvm.java() + ['dev.mig.cli.Main'] + args
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start()
        def out = new StringBuilder()
        def reader = new BufferedReader(new InputStreamReader(p.inputStream, StandardCharsets.UTF_8))
        String line
        while ((line = reader.readLine()) != null) {
            out.append(line).append('\n')
            if (line.startsWith('tenant ')) {
                break
            }
        }
        new ProcessBuilder('kill', '-' + signal, p.pid().toString()).start().waitFor()
        out.append(new String(p.inputStream.readAllBytes(), StandardCharsets.UTF_8))
        assert p.waitFor(60, TimeUnit.SECONDS)
        [p.exitValue(), out.toString()]
    }

    def "Ctrl-C stops starting tenants, lets the running ones finish, prints the summary and exits 130; the rerun goes on"() {
        given:
        List<String> dbs = (1..8).collect { TestPostgres.createDatabase('fleet_int') }
        Path file = files.write('int.txt', dbs.collect { TestPostgres.jdbcUrl(it) }.join('\n'))
        List<String> args = ['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '2']

        when:
        def (int code, String out) = startAndSignal(args, 'INT')
        List<String> states = dbs.collect { stepStates(it) }

        then:
        code == 130
        out.contains('mig: interrupted: no new tenant starts; waiting for the running ones to finish')
        out =~ /not started: \d+ \(interrupted \(Ctrl-C\)\); run the same command again to go on/
        states.every { it in ['', 'a=applied,b=applied'] }
        states.count { it == '' } >= 2
        states.count { it == 'a=applied,b=applied' } >= 2

        when:
        def rerun = MigCli.run(args)

        then:
        rerun.exitCode == 0
        dbs.every { stepStates(it) == 'a=applied,b=applied' }
    }

    def "kill -9 in the middle leaves each tenant done, untouched or with whole steps only, and the rerun converges"() {
        given:
        List<String> dbs = (1..8).collect { TestPostgres.createDatabase('fleet_kill') }
        Path file = files.write('kill.txt', dbs.collect { TestPostgres.jdbcUrl(it) }.join('\n'))
        List<String> args = ['run', plan.toString(), '--fleet-file', file.toString(), '--parallel', '2']

        when:
        def (int code, String out) = startAndSignal(args, 'KILL')
        // the server ends the killed sessions' transactions: wait until no session of mig is left
        long until = System.currentTimeMillis() + 10_000
        while (TestPostgres.withSql('postgres') { Sql s ->
            s.firstRow("SELECT count(*) AS n FROM pg_stat_activity WHERE datname LIKE 'fleet_kill%'").n } > 0
                && System.currentTimeMillis() < until) {
            Thread.sleep(100)
        }
        List<String> states = dbs.collect { stepStates(it) }

        then:
        code == 137
        !out.contains('fleet: ')
        states.every { it in ['', 'a=applied', 'a=applied,b=applied'] }
        states.count { it == '' } >= 1

        when:
        def rerun = MigCli.run(args)

        then:
        rerun.exitCode == 0
        dbs.every { stepStates(it) == 'a=applied,b=applied' }
    }
}
