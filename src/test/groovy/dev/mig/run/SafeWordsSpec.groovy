package dev.mig.run

import dev.mig.api.ExitCode
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

/**
 * addNotNull, addForeignKey, addCheck and createIndex (docs/DSL.md, "Safe schema changes on busy
 * tables") on real PostgreSQL: each leaves the catalog the unsafe statement leaves, one journal
 * entry per phase, a failed phase resumes at itself, and a phase already done is skipped.
 */
class SafeWordsSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()

    static final String TABLES = '''
        CREATE TABLE customers (id bigint PRIMARY KEY);
        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, amount int, email text, deleted_at timestamptz);
        INSERT INTO customers VALUES (1), (2);
        INSERT INTO orders VALUES (1, 1, 10, 'a@x', null), (2, 2, 20, 'b@x', null), (3, 1, 5, 'c@x', now())'''

    String database(String name) {
        String db = TestPostgres.createDatabase(name)
        TestPostgres.withSql(db) { Sql s -> s.execute(TABLES) }
        db
    }

    MigCli run(String db, String name, String body) {
        def plan = files.write("${name}.groovy", """
            plan('${name}') {
${body}
            }
        """)
        MigCli.run(['run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])
    }

    /** The table's catalog by name: columns with NOT NULL, constraints with validity and definition, indexes with validity. */
    static Map catalog(String db) {
        TestPostgres.withSql(db) { Sql s ->
            [columns    : s.rows("SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attnum > 0"
                    + " AND NOT attisdropped ORDER BY attnum")*.values()*.toList(),
             constraints: s.rows("SELECT conname, contype, convalidated, pg_get_constraintdef(oid) AS def FROM pg_constraint"
                     + " WHERE conrelid = 'orders'::regclass ORDER BY conname")*.values()*.toList(),
             indexes    : s.rows("SELECT c.relname, i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                     + " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'orders'::regclass ORDER BY 1")*.values()*.toList()]
        }
    }

    static List<List<Object>> journal(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT to_regclass('mig.steps') IS NULL AS none").none ? []
                    : s.rows('SELECT step, status FROM mig.steps ORDER BY position').collect { [it.step, it.status] }
        }
    }

    def "#word leaves the catalog the unsafe statement leaves, one journal entry per phase"() {
        given:
        String safe = database('safe_word')
        String unsafe = database('unsafe_sql')

        when:
        def a = run(safe, 'safe', word)
        def b = run(unsafe, 'unsafe', "step('unsafe') { transaction ${!sql.startsWith('CREATE')}; sql '''${sql}''' }")

        then:
        a.exitCode == 0
        b.exitCode == 0
        catalog(safe) == catalog(unsafe)
        journal(safe) == phases.collect { [it, 'applied'] }

        when: 'every phase\'s verify is asked again once all are done'
        def reverify = MigCli.run(['run', '--reverify', '--url', TestPostgres.jdbcUrl(safe), files.dir.resolve('safe.groovy').toString()])

        then:
        reverify.exitCode == 0

        where:
        word                                                                 | sql                                                                   | phases
        "addNotNull 'orders', 'customer_id'"                                 | 'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL'           | ['orders.customer_id not null: add check not valid', 'orders.customer_id not null: validate', 'orders.customer_id not null: set not null', 'orders.customer_id not null: drop check']
        "addForeignKey 'orders', 'customer_id', references: 'customers'"     | 'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers' | ['orders.customer_id foreign key: add not valid', 'orders.customer_id foreign key: validate']
        "addForeignKey 'orders', ['customer_id'], references: 'customers(id)', onDelete: 'cascade', name: 'orders_customer'" | 'ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE' | ['orders foreign key orders_customer: add not valid', 'orders foreign key orders_customer: validate']
        "addCheck 'orders', 'amount_positive', 'amount > 0'"                 | 'ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0)' | ['orders check amount_positive: add not valid', 'orders check amount_positive: validate']
        "createIndex 'orders', 'customer_id'"                                | 'CREATE INDEX orders_customer_id_idx ON orders (customer_id)'         | ['orders index orders_customer_id_idx: create concurrently']
        "createIndex 'orders', 'lower(email)', unique: true, where: 'deleted_at IS NULL', name: 'orders_email'" | 'CREATE UNIQUE INDEX orders_email ON orders (lower(email)) WHERE deleted_at IS NULL' | ['orders index orders_email: create concurrently']
    }

    def "a null makes addNotNull fail at validate, naming table and column; the first phase stays, and the rerun after the fix completes it"() {
        given:
        String db = database('not_null_fail')
        TestPostgres.withSql(db) { Sql s -> s.execute('INSERT INTO orders VALUES (4, NULL, 1, null, null)') }
        String body = "addNotNull 'orders', 'customer_id'"

        when:
        def failed = run(db, 'nn', body)

        then:
        failed.exitCode == ExitCode.STEP_FAILED.code()
        failed.out.contains("orders.customer_id not null: validate")
        failed.out.contains('check constraint "orders_customer_id_not_null_check" of relation "orders" is violated by some row')
        failed.out.contains('1 row of public.orders have customer_id null: fill them (UPDATE orders SET customer_id = ... WHERE'
                + ' customer_id IS NULL), then run the plan again; the constraint, added NOT VALID, stays and already rejects'
                + ' new rows that break it')
        journal(db) == [['orders.customer_id not null: add check not valid', 'applied'], ['orders.customer_id not null: validate', 'failed']]
        catalog(db).constraints.find { it[0] == 'orders_customer_id_not_null_check' }[2] == false

        when: 'the row is fixed and the plan runs again'
        TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE orders SET customer_id = 2 WHERE customer_id IS NULL') }
        def rerun = run(db, 'nn', body)

        then: 'the first phase is not run again; the rest completes'
        rerun.exitCode == 0
        !rerun.out.contains('add check not valid')
        journal(db)*.get(1) == ['applied'] * 4
        catalog(db).columns.find { it[0] == 'customer_id' }[1] == true
        catalog(db).constraints*.get(0) == ['orders_pkey']
    }

    def "#word on rows that break it fails at validate with the rows counted; the constraint stays NOT VALID; the rerun after the fix completes"() {
        given:
        String db = database('validate_fail')
        TestPostgres.withSql(db) { Sql s -> s.execute(breaking) }

        when:
        def failed = run(db, 'v', word)

        then:
        failed.exitCode == ExitCode.STEP_FAILED.code()
        failed.out.contains(message)
        journal(db)*.get(1) == ['applied', 'failed']
        catalog(db).constraints.find { it[0] == constraint }[2] == false

        when:
        TestPostgres.withSql(db) { Sql s -> s.execute(fix) }
        def rerun = run(db, 'v', word)

        then:
        rerun.exitCode == 0
        journal(db)*.get(1) == ['applied', 'applied']
        catalog(db).constraints.find { it[0] == constraint }[2] == true

        where:
        word                                                             | breaking                                    | fix                                  | constraint                  | message
        "addCheck 'orders', 'amount_positive', 'amount > 0'"             | 'UPDATE orders SET amount = -1 WHERE id < 3' | 'UPDATE orders SET amount = 1'       | 'amount_positive'           | '2 rows of public.orders break CHECK (amount > 0): fix them, then run the plan again'
        "addForeignKey 'orders', 'customer_id', references: 'customers'" | 'UPDATE orders SET customer_id = 9'         | 'UPDATE orders SET customer_id = 1'  | 'orders_customer_id_fkey'   | 'Key (customer_id)=(9) is not present in table "customers"'
    }

    def "a phase already done on the database is skipped by its guard"() {
        given: 'the check is there, validated, from an earlier attempt by hand'
        String db = database('not_null_partly')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null_check CHECK (customer_id IS NOT NULL)')
        }

        when:
        def result = run(db, 'nn', "addNotNull 'orders', 'customer_id'\ncreateIndex 'orders', 'customer_id'")
        def again = run(TestPostgres.createDatabase('not_null_done').with { String d ->
            TestPostgres.withSql(d) { Sql s -> s.execute(TABLES + ';ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL') }; d
        }, 'nn', "addNotNull 'orders', 'customer_id'")

        then:
        result.exitCode == 0
        journal(db) == [['orders.customer_id not null: add check not valid', 'skipped'], ['orders.customer_id not null: validate', 'skipped'],
                        ['orders.customer_id not null: set not null', 'applied'], ['orders.customer_id not null: drop check', 'applied'],
                        ['orders index orders_customer_id_idx: create concurrently', 'applied']]
        result.out.contains('done already: the column is NOT NULL, or check orders_customer_id_not_null_check is there')
        catalog(db).columns.find { it[0] == 'customer_id' }[1] == true
        again.exitCode == 0
        again.out.contains('done already: the column is NOT NULL (')
    }

    def "quoted and schema-qualified names: the guards find what the phases made, so a failed phase resumes at itself"() {
        given:
        String db = TestPostgres.createDatabase('safe_quoted')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE SCHEMA kb; CREATE TABLE kb."Orders" (id int PRIMARY KEY, "Customer" int); INSERT INTO kb."Orders" VALUES (1, NULL)')
        }
        String body = """addNotNull 'kb."Orders"', '"Customer"'
                         createIndex 'kb."Orders"', '"Customer"'"""

        when:
        def failed = run(db, 'quoted', body)
        TestPostgres.withSql(db) { Sql s -> s.execute('UPDATE kb."Orders" SET "Customer" = 1') }
        def rerun = run(db, 'quoted', body)

        then:
        failed.exitCode == ExitCode.STEP_FAILED.code()
        failed.out.contains('1 row of kb.Orders have "Customer" null')
        rerun.exitCode == 0
        TestPostgres.withSql(db) { Sql s ->
            [s.firstRow('SELECT attnotnull FROM pg_attribute WHERE attrelid = \'kb."Orders"\'::regclass AND attname = \'Customer\'').attnotnull,
             s.firstRow('SELECT count(*) AS n FROM pg_constraint WHERE conrelid = \'kb."Orders"\'::regclass').n,
             s.firstRow('SELECT bool_and(indisvalid) AS v FROM pg_index WHERE indrelid = \'kb."Orders"\'::regclass').v]
        } == [true, 1, true]
        journal(db)*.get(0) == ['kb."Orders"."Customer" not null: add check not valid', 'kb."Orders"."Customer" not null: validate',
                                'kb."Orders"."Customer" not null: set not null', 'kb."Orders"."Customer" not null: drop check',
                                'kb."Orders" index "Orders_customer_idx": create concurrently']
    }

    def "mig plan and --dry-run show each phase as a step, with the guards' answers from the database"() {
        given:
        String db = database('safe_preview')
        TestPostgres.withSql(db) { Sql s -> s.execute('ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL') }
        def plan = files.write('preview.groovy', """
            plan('preview') {
                addNotNull 'orders', 'customer_id'
                createIndex 'orders', 'customer_id'
            }
        """)

        when:
        def preview = MigCli.run(['plan', '--url', TestPostgres.jdbcUrl(db), plan.toString()])
        def dry = MigCli.run(['run', '--dry-run', '--url', TestPostgres.jdbcUrl(db), plan.toString()])

        then:
        preview.exitCode == 0
        preview.out.contains('orders.customer_id not null: set not null')
        preview.out.contains('orders index orders_customer_id_idx: create concurrently')
        dry.exitCode == 0
        dry.out.contains('orders.customer_id not null: drop check')
        journal(db) == []
    }

    def "createIndex over an INVALID leftover of a failed build drops it and builds it again"() {
        given:
        String db = database('index_repair')
        TestPostgres.withSql(db) { Sql s -> s.execute("UPDATE orders SET email = 'same'") }
        String body = "createIndex 'orders', 'email', unique: true"

        when:
        def failed = run(db, 'ix', body)

        then:
        failed.exitCode == ExitCode.STEP_FAILED.code()
        catalog(db).indexes.find { it[0] == 'orders_email_idx' }[1] == false

        when:
        TestPostgres.withSql(db) { Sql s -> s.execute("UPDATE orders SET email = id::text") }
        def rerun = run(db, 'ix', body)

        then:
        rerun.exitCode == 0
        rerun.out.contains('repaired: dropped invalid index public.orders_email_idx left by the failed run')
        catalog(db).indexes.find { it[0] == 'orders_email_idx' }[1] == true
    }

    def "mistakes in the words are plan errors at their line, with the usage"() {
        given:
        def plan = files.write('bad_safe.groovy', '''
            plan('bad_safe') {
                addNotNull 'orders', 3
                addForeignKey 'orders', 'customer_id', refs: 'customers'
                addForeignKey 'orders', 'customer_id', onDelete: 'cascade'
                addCheck 'orders', 'positive'
                createIndex 'orders', 'a', unique: 'yes'
                addNotNull 'a.b.c.d', 'x'
                addForeignKey 'orders', 'customer_id', references: 'customers', onDelete: 'explode'
            }
        ''')

        when:
        def result = MigCli.run(['check', plan.toString()])
        def err = result.err.replace(files.dir.toString() + '/', '')

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        err.contains("bad_safe.groovy:3: wrong arguments for addNotNull in plan 'bad_safe': ('orders', 3)")
        err.contains("usage: addNotNull 'orders', 'customer_id'  (table, column)")
        err.contains('bad_safe.groovy:4: unknown option refs of addForeignKey')
        err.contains("bad_safe.groovy:5: addForeignKey 'orders' needs references: the table it points to")
        err.contains("bad_safe.groovy:6: wrong arguments for addCheck in plan 'bad_safe': ('orders', 'positive')")
        err.contains('bad_safe.groovy:7: createIndex unique: takes true or false')
        err.contains('bad_safe.groovy:8: addNotNull: ')
        err.contains("bad_safe.groovy:9: addForeignKey onDelete: 'explode' is not one of cascade, restrict, no action, set null, set default")
    }

    def "the words pass check --strict with their typed signatures; a wrong type is named at its line"() {
        given:
        def good = files.write('strict_safe.groovy', """
            plan('strict_safe') {
                addNotNull 'orders', 'customer_id'
                addForeignKey 'orders', 'customer_id', references: 'customers', onDelete: 'cascade'
                addForeignKey 'orders', ['customer_id'], references: 'customers(id)', name: 'orders_customer'
                addCheck 'orders', 'amount_positive', 'amount > 0'
                createIndex 'orders', 'customer_id', 'id', unique: true, where: 'amount > 0'
            }
        """)
        def bad = files.write('strict_bad.groovy', """
            plan('strict_bad') {
                addNotNull 'orders', 3
            }
        """)

        when:
        def ok = MigCli.run(['check', '--strict', good.toString()])
        def wrong = MigCli.run(['check', '--strict', bad.toString()])

        then:
        ok.exitCode == 0
        ok.output.contains('no problems found (strict)')
        wrong.exitCode == ExitCode.PLAN_ERROR.code()
        wrong.output.contains('strict_bad.groovy:3')
        wrong.output.contains('addNotNull')
    }
}
