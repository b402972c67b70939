// The plan the testkit examples (MigTestDatabaseSpec, MigTestDatabaseTest) run.
plan('users') {
    step('create users') {
        sqlFile 'sql/users.sql'
        verify {
            table('users') { columns 3; primaryKey 'id' }
        }
    }
    step('index emails') {
        sql 'CREATE UNIQUE INDEX users_email_key ON users (email)'
    }
}
