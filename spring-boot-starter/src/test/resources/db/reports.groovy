plan('reports') {
    step('create reports') { sql 'CREATE TABLE reports (id bigint PRIMARY KEY)' }
}
