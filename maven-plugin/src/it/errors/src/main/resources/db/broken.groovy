plan('broken') {
    step('create t') {
        sqll 'CREATE TABLE t (id int)'
    }
}
