plan('duplicate') {
    step('create users') {
        sql 'CREATE TABLE users (id int)'
    }

    step('create users') {
        sql 'CREATE TABLE users2 (id int)'
    }
}
