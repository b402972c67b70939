plan('non-transactional') {
    step('index items') {
        sql 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS items_id ON items (id)'
    }
    step('maintenance') {
        sql '''
            -- CREATE INDEX CONCURRENTLY in a comment does not count
            SELECT 'VACUUM and DROP INDEX CONCURRENTLY in a string do not count';
            REFRESH MATERIALIZED VIEW CONCURRENTLY totals;
            vacuum (analyze) items;
            SELECT $$ ALTER SYSTEM SET work_mem = '1GB' $$;
        '''
    }
    step('from a file') {
        sqlFile 'sql/non-transactional.sql'
    }
    step('server settings') {
        sql "ALTER SYSTEM SET work_mem = '64MB'"
        sql 'CREATE DATABASE reports'
    }
    step('without a transaction') {
        transaction false
        sql 'CREATE INDEX CONCURRENTLY items_name ON items (name); VACUUM items'
    }
}
