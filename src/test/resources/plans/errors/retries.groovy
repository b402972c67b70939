plan('retries') {
    retries 'often'
    step('a') {
        retries(-1)
        sql 'SELECT 1'
    }
    step('b') {
        retries 2.5
        sql 'SELECT 2'
    }
    step('c') {
        transaction false
        retries 3
        sql 'VACUUM'
    }
}
