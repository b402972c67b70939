plan('syntax') {
    step('one') {
        sql 'SELECT 1'
    }
    step('two') {
        sql 'SELECT 2
    }
}
