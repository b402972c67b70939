plan('shop') {
    step('create items') {
        sql 'CREATE TABLE items (id int)'
    }
}
