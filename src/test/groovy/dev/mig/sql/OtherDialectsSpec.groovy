package dev.mig.sql

import spock.lang.Specification

/**
 * SQL written the way other databases write it, read from a statement's tokens: what is found, what
 * PostgreSQL writes instead, whether PostgreSQL cannot parse it at all; and nothing in strings,
 * comments, dollar bodies, or where the word is a name.
 */
class OtherDialectsSpec extends Specification {

    def "#written in #sql is found, with the PostgreSQL way"() {
        when:
        def uses = OtherDialects.in(sql)

        then:
        uses.size() == 1
        uses[0].written() == written
        uses[0].syntax() == syntax
        uses[0].instead().contains(instead)

        where:
        sql                                                                                     | written                                    | syntax | instead
        'ALTER TABLE orders ADD CONSTRAINT IF NOT EXISTS total_positive CHECK (total > 0)'      | 'ADD CONSTRAINT IF NOT EXISTS'             | true   | "ALTER TABLE orders ADD CONSTRAINT total_positive ... in a step of its own with guard { !constraint('orders', 'total_positive').exists() }"
        'CREATE INDEX IF NOT EXISTS CONCURRENTLY orders_placed ON orders (placed_at)'           | 'CREATE INDEX IF NOT EXISTS CONCURRENTLY'  | true   | 'write CREATE INDEX CONCURRENTLY IF NOT EXISTS, in a step with transaction false'
        'create unique index if not exists concurrently i on t (a)'                             | 'create unique index if not exists concurrently' | true | 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS'
        'DROP INDEX IF EXISTS CONCURRENTLY orders_placed'                                       | 'DROP INDEX IF EXISTS CONCURRENTLY'        | true   | 'write DROP INDEX CONCURRENTLY IF EXISTS'
        'CREATE TABLE items (id int NOT NULL AUTO_INCREMENT PRIMARY KEY)'                       | 'AUTO_INCREMENT'                           | true   | 'write id integer GENERATED ALWAYS AS IDENTITY'
        'CREATE TABLE items (id bigint PRIMARY KEY AUTOINCREMENT)'                              | 'AUTOINCREMENT'                            | true   | 'id bigint GENERATED ALWAYS AS IDENTITY'
        'ALTER TABLE items ADD COLUMN n int AUTO_INCREMENT'                                     | 'AUTO_INCREMENT'                           | true   | 'write n integer GENERATED ALWAYS AS IDENTITY'
        'CREATE TABLE items (id int PRIMARY KEY) AUTO_INCREMENT=100'                            | 'AUTO_INCREMENT=100'                       | true   | 'GENERATED ALWAYS AS IDENTITY (START WITH 100)'
        'CREATE TABLE items (id int PRIMARY KEY) ENGINE=InnoDB'                                 | 'ENGINE=InnoDB'                            | true   | 'leave it out'
        'ALTER TABLE items ENGINE = InnoDB'                                                     | 'ENGINE = InnoDB'                          | true   | 'leave it out'
        'CREATE TABLE items (id int) DEFAULT CHARSET=utf8mb4'                                   | 'DEFAULT CHARSET=utf8mb4'                  | true   | "ENCODING 'UTF8'"
        "CREATE TABLE items (id int) COMMENT='what we sell'"                                    | "COMMENT='what we sell'"                   | true   | "COMMENT ON TABLE items IS 'what we sell'"
        "CREATE TABLE items (name text COMMENT 'shown to buyers')"                              | "COMMENT 'shown to buyers'"                | true   | "COMMENT ON COLUMN items.name IS 'shown to buyers'"
        'SELECT `id` FROM items'                                                                | '`id`'                                     | true   | 'write id, or "id" to keep its case'
        'SELECT `order`, `user` FROM items'                                                     | '`order`'                                  | true   | 'write "order" (PostgreSQL quotes'
        'CREATE TABLE `Order Items` (id int)'                                                   | '`Order Items`'                            | true   | 'write "Order Items" (PostgreSQL quotes'
        'CREATE TABLE items (id int(11))'                                                       | 'int(11)'                                  | true   | 'write integer'
        'CREATE TABLE items (id bigint unsigned)'                                               | 'unsigned'                                 | true   | 'CHECK (id >= 0)'
        'CREATE TABLE items (id int IDENTITY(1,1))'                                             | 'IDENTITY(1,1)'                            | true   | 'write id integer GENERATED ALWAYS AS IDENTITY'
        'CREATE TABLE items (id bigint IDENTITY(100, 10))'                                      | 'IDENTITY(100, 10)'                        | true   | 'GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10)'
        'CREATE TABLE items (s varchar(max))'                                                   | 'varchar(max)'                             | true   | 'write text'
        'CREATE TABLE items (at timestamp ON UPDATE CURRENT_TIMESTAMP)'                         | 'ON UPDATE CURRENT_TIMESTAMP'              | true   | 'BEFORE UPDATE trigger'
        'ALTER TABLE items MODIFY COLUMN name varchar(40) NOT NULL'                             | 'MODIFY'                                   | true   | 'write ALTER TABLE items ALTER COLUMN name TYPE varchar(40)'
        'ALTER TABLE items CHANGE name title text'                                              | 'CHANGE'                                   | true   | 'RENAME COLUMN name TO title, then ALTER TABLE items ALTER COLUMN title TYPE text'
        'ALTER TABLE items ADD COLUMN note text AFTER name'                                     | 'AFTER name'                               | true   | 'leave it out'
        'CREATE TABLE items (a int, UNIQUE KEY items_a (a))'                                    | 'UNIQUE KEY'                               | true   | 'write UNIQUE (columns)'
        "CREATE TYPE IF NOT EXISTS mood AS ENUM ('sad')"                                        | 'CREATE TYPE IF NOT EXISTS'                | true   | "guard { !type('mood').exists() }"
        'CREATE TRIGGER IF NOT EXISTS t BEFORE UPDATE ON kb.items FOR EACH ROW EXECUTE FUNCTION f()' | 'CREATE TRIGGER IF NOT EXISTS'        | true   | "guard { !trigger('kb.items', 't').exists() }"
        'CREATE TABLE items (at datetime)'                                                      | 'datetime'                                 | false  | 'write timestamp'
        'CREATE TABLE items (done TINYINT(1))'                                                  | 'TINYINT(1)'                               | false  | 'write boolean'
        'CREATE TABLE items (name NVARCHAR(MAX))'                                               | 'NVARCHAR(MAX)'                            | false  | 'write text'
        'CREATE TABLE items (price double)'                                                     | 'double'                                   | false  | 'write double precision'
        'ALTER TABLE items ALTER COLUMN at TYPE datetime2'                                      | 'datetime2'                                | false  | 'write timestamp'
        "SELECT '2024-01-01'::datetime"                                                         | 'datetime'                                 | false  | 'write timestamp'
        'INSERT INTO items (at) VALUES (GETDATE())'                                             | 'GETDATE()'                                | false  | 'write now()'
        'SELECT ifnull(a, 0) FROM items'                                                        | 'ifnull(...)'                              | false  | 'write coalesce(a, b)'
    }

    def "a use is placed at its line in the statement"() {
        given:
        String sql = 'CREATE TABLE items (\n    id int NOT NULL\n        AUTO_INCREMENT,\n    name text\n)'

        expect:
        OtherDialects.in(sql)*.lineIn(sql) == [3]
    }

    def "#sql has nothing of another database"() {
        expect:
        OtherDialects.in(sql) == []

        where:
        sql << [
                // words that are names here
                'CREATE TABLE ok (auto_increment int, identity int, x identity, engine text, unsigned int, key text)',
                'CREATE TABLE ok (c int CHECK (auto_increment > 0), d int DEFAULT 1)',
                'SELECT 1::int unsigned',
                'ALTER TABLE t ADD COLUMN auto_increment int',
                // PostgreSQL's own
                'CREATE TABLE ok (id bigint GENERATED ALWAYS AS IDENTITY, d double precision, v varchar(20))',
                'ALTER TABLE t ADD COLUMN IF NOT EXISTS c int, ADD CONSTRAINT c UNIQUE (a)',
                'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)',
                'DROP INDEX CONCURRENTLY IF EXISTS i',
                'CREATE TABLE f (a int REFERENCES b ON UPDATE CASCADE, t timestamp(3) with time zone)',
                'CREATE TABLE c AS SELECT a COLLATE "C" FROM t',
                'CREATE TABLE p PARTITION OF parent DEFAULT',
                'CREATE FUNCTION getdate() RETURNS timestamptz LANGUAGE sql AS $$ SELECT now() $$',
                'SELECT kb.ifnull(a, 0) FROM t',
                // strings, comments, dollar bodies
                "CREATE TABLE ok (t text DEFAULT 'id int AUTO_INCREMENT ENGINE=InnoDB `x` GETDATE()')",
                '/* ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS c */ ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) -- AUTO_INCREMENT',
                "DO \$\$ BEGIN EXECUTE 'ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS c UNIQUE (a)'; END \$\$",
                'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN NEW.at := GETDATE(); RETURN NEW; END $body$',
        ]
    }

    def "the name hints of the server's errors"() {
        expect:
        OtherDialects.type('datetime').get().sentence() == 'datetime is a MySQL and SQL Server type: PostgreSQL has no such type' +
                ' (unless this database defines one); write timestamp (or timestamptz, which keeps the time zone)'
        OtherDialects.function('getdate').get().sentence() == 'getdate() is a SQL Server function: PostgreSQL has no such' +
                ' function (unless this database defines one); write now() (or CURRENT_TIMESTAMP)'
        !OtherDialects.type('mood').present
        !OtherDialects.function('now').present
    }
}
