plan('second') {
    step('create orders') {
        sql 'CREATE TABLE orders (id int, total numeric)'
    }
    step('index orders') {
        sql 'CREATE INDEX orders_total ON orders (total)'
    }
}
