plan('bench') {
    step('table 1') { sql 'CREATE TABLE bench_1 (id bigint PRIMARY KEY, v text)' }
    step('table 2') { sql 'CREATE TABLE bench_2 (id bigint PRIMARY KEY, v text)' }
    step('table 3') { sql 'CREATE TABLE bench_3 (id bigint PRIMARY KEY, v text)' }
    step('table 4') { sql 'CREATE TABLE bench_4 (id bigint PRIMARY KEY, v text)' }
    step('table 5') { sql 'CREATE TABLE bench_5 (id bigint PRIMARY KEY, v text)' }
    step('table 6') { sql 'CREATE TABLE bench_6 (id bigint PRIMARY KEY, v text)' }
    step('table 7') { sql 'CREATE TABLE bench_7 (id bigint PRIMARY KEY, v text)' }
    step('table 8') { sql 'CREATE TABLE bench_8 (id bigint PRIMARY KEY, v text)' }
    step('table 9') { sql 'CREATE TABLE bench_9 (id bigint PRIMARY KEY, v text)' }
    step('table 10') { sql 'CREATE TABLE bench_10 (id bigint PRIMARY KEY, v text)' }
}
