plan('missing-file') {
    step('create users') {
        sqlFile 'sql/does-not-exist.sql'
    }
}
