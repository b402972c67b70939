plan('orders') {
    step('create orders') {
        sql 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL)'
        verify { table('orders') { columns 2; primaryKey 'id' } }
    }
    step('add note') {
        requires 'create orders'
        sql 'ALTER TABLE orders ADD COLUMN note text'
    }
}
