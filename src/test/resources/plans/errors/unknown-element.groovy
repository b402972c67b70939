plan('unknown') {
    step('one') {
        sql 'CREATE TABLE a (id int)'
        verfy {
            table 'a'
        }
    }
}
