// mig check --strict: 'colums' (line 8) is not a word of table { }
plan('strict-typo') {
    step('create t') {
        sql 'CREATE TABLE t (a int, b int, c int)'
        verify {
            table('t') {
                column('a') { type 'integer' }
                colums 3
            }
        }
    }
}
