-- Production in cookbook story 5 (baseline-production.groovy): the schema the first steps of the
-- plan describe, made over the years by hand and by another tool, with its rows. No mig journal.
CREATE SCHEMA shop;
CREATE TABLE shop.customers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE shop.orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id),
    total_cents integer NOT NULL CHECK (total_cents >= 0),
    placed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id);
CREATE TYPE shop.order_status AS ENUM ('pending', 'paid', 'shipped');
ALTER TABLE shop.orders ADD COLUMN status shop.order_status NOT NULL DEFAULT 'pending';
INSERT INTO shop.customers (email) VALUES ('ada@example.org');
INSERT INTO shop.orders (customer_id, total_cents, status) VALUES (1, 4200, 'paid');
-- mig run of the plan here fails on its first CREATE TABLE:
--   ERROR:  relation "customers" already exists
