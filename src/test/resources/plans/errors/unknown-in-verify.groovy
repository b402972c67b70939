plan('unknown-in-verify') {
    step('one') {
        sql 'CREATE TABLE a (id int)'
        verify {
            table('a') {
                colums 1
            }
        }
    }
}
