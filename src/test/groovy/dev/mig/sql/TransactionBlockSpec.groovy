package dev.mig.sql

import spock.lang.Specification
import spock.lang.Unroll

class TransactionBlockSpec extends Specification {

    @Unroll
    def "#sql -> #refused"() {
        expect:
        TransactionBlock.refused(SqlTokens.of(sql)) == refused

        where:
        sql                                                                  | refused
        'CREATE INDEX CONCURRENTLY i ON t (a)'                               | 'CREATE INDEX CONCURRENTLY'
        'create unique index concurrently if not exists i on t (a)'          | 'CREATE INDEX CONCURRENTLY'
        'CREATE INDEX i ON t (a)'                                            | null
        'CREATE INDEX "concurrently" ON t (a)'                               | null
        'DROP INDEX CONCURRENTLY IF EXISTS i'                                | 'DROP INDEX CONCURRENTLY'
        'DROP INDEX i'                                                       | null
        'REINDEX INDEX CONCURRENTLY i'                                       | 'REINDEX CONCURRENTLY'
        'REINDEX (VERBOSE) TABLE CONCURRENTLY t'                             | 'REINDEX CONCURRENTLY'
        'REINDEX (CONCURRENTLY) TABLE t'                                     | 'REINDEX CONCURRENTLY'
        'REINDEX (CONCURRENTLY false) TABLE t'                               | null
        'REINDEX TABLE t'                                                    | null
        'REINDEX SCHEMA kb'                                                  | 'REINDEX SCHEMA'
        'REINDEX DATABASE app'                                               | 'REINDEX DATABASE'
        'VACUUM'                                                             | 'VACUUM'
        'vacuum (analyze, verbose) t'                                        | 'VACUUM'
        'ANALYZE t'                                                          | null
        'CREATE DATABASE reports'                                            | 'CREATE DATABASE'
        'DROP DATABASE IF EXISTS reports'                                    | 'DROP DATABASE'
        'ALTER DATABASE app SET TABLESPACE fast'                             | 'ALTER DATABASE SET TABLESPACE'
        'ALTER DATABASE app SET work_mem = 1'                                | null
        "ALTER SYSTEM SET work_mem = '64MB'"                                 | 'ALTER SYSTEM'
        "CREATE TABLESPACE fast LOCATION '/ssd'"                             | 'CREATE TABLESPACE'
        'DROP TABLESPACE fast'                                               | 'DROP TABLESPACE'
        'ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY'                 | 'ALTER TABLE ... DETACH PARTITION CONCURRENTLY'
        'ALTER TABLE m DETACH PARTITION m_2020'                              | null
        'DISCARD ALL'                                                        | 'DISCARD ALL'
        'REFRESH MATERIALIZED VIEW CONCURRENTLY totals'                      | null
        "SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'"                      | null
        '/* VACUUM */ SELECT 1'                                              | null
        'DO $$ BEGIN EXECUTE $q$VACUUM$q$; END $$'                           | null
        ''                                                                   | null
    }
}
