package dev.mig.run

import dev.mig.sql.SqlTokens
import dev.mig.testing.DatabaseSpec
import groovy.json.JsonSlurper
import groovy.sql.Sql
import spock.lang.Unroll

/**
 * A step without a transaction whose earlier attempt failed or was interrupted gets its leftovers
 * cleared before it runs again. (The interrupted case, with a real crash, is in CrashSpec.)
 */
class RepairSpec extends DatabaseSpec {

    Map index(String name) {
        sql { Sql s ->
            s.firstRow('SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = ?', [name])
        }?.toSpreadMap()
    }

    def "a concurrent unique index that failed on duplicates is dropped before the rerun builds it again"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SCHEMA kb')
            s.execute('CREATE TABLE kb.items (id int, code text)')
            s.execute("INSERT INTO kb.items VALUES (1, 'a'), (2, 'a')")
        }
        def plan = files.write('repair.groovy', '''
            plan('repair') {
                step('unique code') {
                    transaction false
                    sql 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Items code" ON kb.items (code)'
                }
            }
        ''')
        def json = files.dir.resolve('report.json')

        when: 'the build fails on the duplicates and leaves an INVALID index'
        def failed = mig(plan.toString())

        then:
        failed.exitCode == 1
        failed.out.contains('SQL State: 23505')
        failed.out.contains('Effect:    statements before the failing one stay applied (no transaction); the failed build left index kb.Items code INVALID, and the next run drops it before building it again')
        index('Items code').valid == false

        when: 'the data is fixed and the plan runs again'
        sql { Sql s -> s.execute("UPDATE kb.items SET code = 'b' WHERE id = 2") }
        def rerun = mig(plan.toString(), '--report', "json:${json}".toString())

        then: 'the leftover is dropped, said so, and the index is built valid'
        rerun.exitCode == 0
        rerun.out.contains('      repaired: dropped invalid index kb.Items code left by the failed run')
        index('Items code').valid == true
        new JsonSlurper().parse(json.toFile()).steps[0].repairs == ['repaired: dropped invalid index kb.Items code left by the failed run']
        sql { Sql s -> s.rows("SELECT outcome, notices FROM mig.history ORDER BY id") }.collect { [it.outcome, it.notices] } == [
                ['running', null], ['failed', null],
                ['running', null], ['applied', 'repaired: dropped invalid index kb.Items code left by the failed run']]
    }

    def "a valid index of the step's name, and an invalid one the step does not create, are left alone"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE items (id int, code text)')
            s.execute('CREATE INDEX items_id ON items (id)')
            s.execute('CREATE TABLE other (code text)')
            s.execute('INSERT INTO other VALUES (1), (1)')
        }
        // through JDBC, not Sql.execute: groovy.sql.Sql would log the expected failure as a WARNING line in the build
        sql { Sql s -> try { s.connection.createStatement().execute('CREATE UNIQUE INDEX CONCURRENTLY other_code ON other (code)') } catch (ignored) { } }
        def plan = files.write('left-alone.groovy', '''
            plan('left-alone') {
                step('indexes') {
                    transaction false
                    sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS items_id ON items (id)'
                }
            }
        ''')
        sql { Sql s -> s.execute('CREATE SCHEMA mig') }
        mig(plan.toString())
        sql { Sql s -> s.execute("UPDATE mig.steps SET status = 'running'") }

        when:
        def rerun = mig(plan.toString())

        then:
        rerun.exitCode == 0
        !rerun.out.contains('repaired')
        index('items_id').valid == true
        index('other_code').valid == false
    }

    @Unroll
    def "the index a statement builds concurrently: #text"() {
        expect:
        Repair.concurrentIndex(SqlTokens.of(text)) == (name == null ? null : new Repair.ConcurrentIndex(name, table))

        where:
        text                                                                     | name         | table
        'CREATE INDEX CONCURRENTLY i ON t (a)'                                   | 'i'          | '"t"'
        'create unique index concurrently if not exists "My I" on only kb.t (a)' | 'My I'       | '"kb"."t"'
        'CREATE INDEX CONCURRENTLY i ON "Kb"."T" USING gin (a)'                  | 'i'          | '"Kb"."T"'
        'CREATE INDEX CONCURRENTLY ON t (a)'                                     | null         | null
        'CREATE INDEX i ON t (a)'                                                | null         | null
        "SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'"                          | null         | null
    }
}
