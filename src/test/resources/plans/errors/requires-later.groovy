plan('requires-later') {
    step('create posts') {
        requires 'create users'
        sql 'CREATE TABLE posts (id int)'
    }
    step('create users') {
        sql 'CREATE TABLE users (id int)'
    }
}
