plan('shop') {
    step('create shop items') { sqlFile 'sql/shop_items.sql' }
    step('create orders') { sql 'CREATE TABLE orders (id bigint PRIMARY KEY, item bigint REFERENCES shop_items)' }
}
