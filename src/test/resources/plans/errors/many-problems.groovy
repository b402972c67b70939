plan('many') {
    step('a') {
        sql 'SELECT 1'
    }
    step('a') {
        sqll 'SELECT 2'
    }
    step('b') {
        requires 'zzz'
        sqlFile 'nope.sql'
        lockTimeout 'soon'
    }
}
