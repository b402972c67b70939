plan('broken') {
    step('create t') {
        sql 'CREATE TABLE t (id int)'
    }
    step('divide') {
        sql 'SELECT 1 / 0'
    }
}
