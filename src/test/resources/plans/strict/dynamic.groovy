// valid for mig check, refused by mig check --strict: a binding variable
tableName = 'users'

plan('dynamic') {
    step('create users') {
        sql "CREATE TABLE ${tableName} (id int)"
    }
}
