// Cookbook story 5: a baseline of a production schema (docs/COOKBOOK.md).
//
// Production was built before mig: it has customers, orders and their status. The plan
// describes those as its first steps, so a new database gets them too, and it already holds
// the next new step, refunds. A plain mig run on production fails on the first CREATE TABLE
// (relation "customers" already exists); baselining every step would fail on refunds, which
// production does not have yet. mig baseline --until marks the steps up to production's as
// applied, each by its verify block, and leaves refunds pending; mig run then applies only
// refunds, and the plan's verify counts what the schema holds.
//
//   scripts/mig run dsl-examples/cookbook/baseline-production.groovy          (embedded PostgreSQL)
//   psql "$URL" -f dsl-examples/cookbook/incidents/baseline-production.sql    (production)
//   scripts/mig baseline --until 'order status' --url "$URL" dsl-examples/cookbook/baseline-production.groovy
//   scripts/mig run --url "$URL" dsl-examples/cookbook/baseline-production.groovy
//
// expect: exit 0
plan('baseline-production') {
    description 'the shop: customers and orders (production has them), then refunds (new)'
    searchPath 'shop'

    step('schema shop') {
        ensureSchema 'shop'
        verify { schema 'shop' }
    }

    step('customers') {
        requires 'schema shop'
        sql '''CREATE TABLE shop.customers (
                   id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   email      text NOT NULL UNIQUE,
                   created_at timestamptz NOT NULL DEFAULT now()
               )'''
        verify { table('customers') { columns 'id', 'email', 'created_at'; unique 'email' } }
    }

    step('orders') {
        requires 'customers'
        sql '''CREATE TABLE shop.orders (
                   id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   customer_id bigint NOT NULL REFERENCES shop.customers (id),
                   total_cents integer NOT NULL CHECK (total_cents >= 0),
                   placed_at   timestamptz NOT NULL DEFAULT now()
               );
               CREATE INDEX orders_customer_idx ON shop.orders (customer_id)'''
        verify {
            table('orders') {
                columns atLeast(4)                     // 'order status' adds one
                foreignKeys 1
                foreignKey(column: 'customer_id', references: 'customers(id)')
                indexes 1, excluding: 'constraints'
            }
        }
    }

    step('order status') {
        requires 'orders'
        ensureEnum 'shop.order_status', 'pending', 'paid', 'shipped'
        sql "ALTER TABLE shop.orders ADD COLUMN status shop.order_status NOT NULL DEFAULT 'pending'"
        verify { table('orders') { column('status') { type 'shop.order_status'; notNull true } } }
    }

    step('refunds') {                                   // the new step: production does not have it yet
        requires 'orders'
        sql '''CREATE TABLE shop.refunds (
                   id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   order_id     bigint NOT NULL REFERENCES shop.orders (id),
                   amount_cents integer NOT NULL CHECK (amount_cents > 0),
                   refunded_at  timestamptz NOT NULL DEFAULT now()
               );
               CREATE INDEX refunds_order_idx ON shop.refunds (order_id)'''
        verify { table('refunds') { columns 'id', 'order_id', 'amount_cents', 'refunded_at'; foreignKeys 1 } }
    }

    verify {                                            // the whole schema, after every full run
        schema('shop') {
            tables 'customers', 'orders', 'refunds'
            enums 'order_status'
            indexes 6                                   // 3 primary keys, customers' email, 2 on foreign keys
        }
    }
}
