plan('failing') {
    step('create audit') { sql 'CREATE TABLE audit (id bigint PRIMARY KEY)' }
    step('broken') {
        sql 'ALTER TABLE no_such_table ADD COLUMN x int'
    }
}
