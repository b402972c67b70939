plan('requires-unknown') {
    step('create users') {
        sql 'CREATE TABLE users (id int)'
    }
    step('create posts') {
        requires 'create user'
        sql 'CREATE TABLE posts (id int)'
    }
}
