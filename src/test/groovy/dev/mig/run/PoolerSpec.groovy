package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.PgBouncer
import groovy.json.JsonSlurper
import groovy.sql.Sql
import spock.lang.Requires
import spock.lang.Isolated

/**
 * mig through a real PgBouncer: in transaction pooling a connection is not one PostgreSQL
 * session, so session advisory locks are unsafe and the run is refused before it takes any;
 * in session pooling it runs as it does directly. Skipped (and reported so) without pgbouncer.
 */
@Isolated("counts the advisory locks of the whole server (pg_locks), which a concurrent run would hold")
@Requires({ PgBouncer.available() })
class PoolerSpec extends DatabaseSpec {

    def plan() {
        files.write('pooled.groovy', """
            plan('pooled') {
                step('table') { sql 'CREATE TABLE pooled (id int)' }
            }
        """)
    }

    def "behind a transaction-pooling PgBouncer the run is refused with exit 6 before anything is run"() {
        given:
        def bouncer = PgBouncer.start('transaction')
        def json = files.dir.resolve('report.json')

        when:
        def result = MigCli.run(['run', '--url', bouncer.jdbcUrl(db), '--report', "json:${json}".toString(), plan().toString()])

        then:
        result.exitCode == 6
        result.err.contains("mig: cannot use postgresql://postgres@127.0.0.1:${bouncer.port}/${db}: a connection there is not one PostgreSQL session: ")
        result.err.contains('so a transaction-pooling proxy (PgBouncer with pool_mode = transaction) is in between')
        result.err.contains('hint: mig needs session-level locks; connect directly to PostgreSQL or to a session-pooling PgBouncer (pool_mode = session)')
        !exists('mig.steps')
        !exists('pooled')
        new JsonSlurper().parse(json.toFile()).exitCode == 6

        and: 'no session keeps the plan lock'
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'").n } == 0

        cleanup:
        bouncer?.close()
    }

    def "behind a session-pooling PgBouncer the run works as it does directly"() {
        given:
        def bouncer = PgBouncer.start('session')

        when:
        def result = MigCli.run(['run', '--url', bouncer.jdbcUrl(db), plan().toString()])

        then:
        result.exitCode == 0
        result.out =~ /applied\s+table/
        exists('pooled')

        cleanup:
        bouncer?.close()
    }

    def "behind a transaction-pooling PgBouncer reset --yes is refused like a run (exit 6) and drops nothing"() {
        given:
        files.write('owned.groovy', """
            plan('owned') {
                owns 'owned'
                step('schema') { sql 'CREATE SCHEMA owned; CREATE TABLE owned.t (id int)' }
            }
        """)
        MigCli.run(['run', '--url', url, files.dir.resolve('owned.groovy').toString()]).exitCode == 0
        def bouncer = PgBouncer.start('transaction')

        when:
        def result = MigCli.run(['reset', '--yes', '--url', bouncer.jdbcUrl(db), files.dir.resolve('owned.groovy').toString()])

        then:
        result.exitCode == 6
        result.err.contains("mig: cannot use postgresql://postgres@127.0.0.1:${bouncer.port}/${db}: a connection there is not one PostgreSQL session: ")
        result.err.contains('hint: mig needs session-level locks; connect directly to PostgreSQL or to a session-pooling PgBouncer (pool_mode = session)')
        !result.out.contains('mig reset: dropped')
        exists('owned.t')
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'").n } == 0

        cleanup:
        bouncer?.close()
    }
}
