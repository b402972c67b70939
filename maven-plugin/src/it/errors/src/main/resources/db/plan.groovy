plan('errors') {
    step('create t') {
        sql 'CREATE TABLE t (id int)'
    }
}
