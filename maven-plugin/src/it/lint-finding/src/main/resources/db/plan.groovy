plan('lint') {
    step('index orders') {
        sql 'CREATE INDEX orders_total ON orders (total)'
    }
}
