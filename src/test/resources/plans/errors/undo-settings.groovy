plan('undo-settings') {
    step('index') {
        sql 'CREATE TABLE t (id int)'
        undo {
            transaction false
            sql 'DROP TABLE t'
        }
    }
}
