plan('broken') {
    step('a') {
        sqlFile 'sql/missing.sql'
    }
}
