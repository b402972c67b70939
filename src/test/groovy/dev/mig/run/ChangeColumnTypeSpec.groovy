package dev.mig.run

import dev.mig.api.ExitCode
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import dev.mig.testing.TestPostgres
import groovy.sql.Sql
import spock.lang.Shared
import spock.lang.Specification

import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

/**
 * changeColumnType (docs/DSL.md, "Safe schema changes on busy tables") on real PostgreSQL: the
 * catalog it leaves is the one ALTER COLUMN ... TYPE leaves, the trigger keeps rows written during
 * the copy right, a failed phase resumes, and a column the swap would break is refused untouched.
 */
class ChangeColumnTypeSpec extends Specification {

    @Shared PlanFiles files = new PlanFiles()

    static final String TABLES = '''
        CREATE TABLE customers (id bigint PRIMARY KEY);
        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, amount int NOT NULL DEFAULT 7, code text,
                             deleted_at timestamptz);
        COMMENT ON COLUMN orders.amount IS 'in cents';
        CREATE INDEX orders_amount_idx ON orders (amount);
        CREATE INDEX orders_customer_amount ON orders (customer_id, amount DESC) INCLUDE (code) WHERE deleted_at IS NULL;
        CREATE UNIQUE INDEX orders_code_amount ON orders (code, amount);
        INSERT INTO customers VALUES (1), (2);
        INSERT INTO orders (id, customer_id, amount, code) SELECT g, 1 + g % 2, g * 10, 'c' || g FROM generate_series(1, 250) g'''

    static final String WORD = "changeColumnType 'orders', 'amount', to: 'bigint', batchSize: 40"

    static final List<String> PHASES = ['add column', 'backfill', 'not null: add check not valid', 'not null: validate',
                                        'not null: set not null', 'not null: drop check', 'copy indexes', 'swap', 'drop old column']
            .collect { 'orders.amount type bigint: ' + it }

    String database(String name) {
        String db = TestPostgres.createDatabase(name)
        TestPostgres.withSql(db) { Sql s -> s.execute(TABLES) }
        db
    }

    MigCli run(String db, String name, String body, List<String> more = []) {
        def plan = files.write("${name}.groovy", """
            plan('${name}') {
${body}
            }
        """)
        MigCli.run(['run'] + more + ['--url', TestPostgres.jdbcUrl(db), plan.toString()])
    }

    /** orders' catalog by name: columns with type, NOT NULL, default and comment; constraints; indexes; triggers. */
    static Map catalog(String db) {
        TestPostgres.withSql(db) { Sql s ->
            [columns    : s.rows("SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def,"
                    + " col_description(attrelid, attnum) AS note FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid"
                    + " AND d.adnum = a.attnum WHERE attrelid = 'orders'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname")
                    *.values()*.toList(),
             constraints: s.rows("SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint"
                     + " WHERE conrelid = 'orders'::regclass ORDER BY conname")*.values()*.toList(),
             indexes    : s.rows("SELECT c.relname, i.indisvalid, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                     + " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'orders'::regclass ORDER BY 1")*.values()*.toList(),
             triggers   : s.rows("SELECT tgname FROM pg_trigger WHERE tgrelid = 'orders'::regclass")*.values()*.toList(),
             functions  : s.rows("SELECT proname FROM pg_proc WHERE proname LIKE 'mig_ctype%'")*.values()*.toList()]
        }
    }

    static List<List<Object>> rows(String db) {
        TestPostgres.withSql(db) { Sql s -> s.rows('SELECT id, amount, code FROM orders ORDER BY id')*.values()*.toList() }
    }

    static List<List<Object>> journal(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.firstRow("SELECT to_regclass('mig.steps') IS NULL AS none").none ? []
                    : s.rows('SELECT step, status FROM mig.steps ORDER BY position').collect { [it.step, it.status] }
        }
    }

    def "int to bigint with NOT NULL, a default, a comment and three indexes: the catalog ALTER COLUMN TYPE leaves, the same rows"() {
        given:
        String safe = database('ctype_safe')
        String unsafe = database('ctype_unsafe')

        when:
        def a = run(safe, 'ctype', WORD)
        def b = run(unsafe, 'unsafe', "step('unsafe') { sql 'ALTER TABLE orders ALTER COLUMN amount TYPE bigint' }")

        then:
        a.exitCode == 0
        b.exitCode == 0
        catalog(safe) == catalog(unsafe)
        catalog(safe).columns.find { it[0] == 'amount' } == ['amount', 'bigint', true, '7', 'in cents']
        rows(safe) == rows(unsafe)
        journal(safe) == PHASES.collect { [it, 'applied'] }
        a.out.contains('backfill orders: 250 rows')

        when: 'the plan runs again, and every verify is asked again'
        def again = run(safe, 'ctype', WORD)
        def reverify = run(safe, 'ctype', WORD, ['--reverify'])

        then: 'nothing runs'
        again.exitCode == 0
        again.out.contains('0 applied, 0 skipped, 9 applied earlier')
        journal(safe) == PHASES.collect { [it, 'applied'] }
        reverify.exitCode == 0
    }

    def "rows written while the backfill runs end with the converted value: the trigger keeps the new column in step"() {
        given:
        String db = database('ctype_busy')
        TestPostgres.withSql(db) { Sql s -> s.execute('ALTER TABLE orders ADD COLUMN shadow bigint; UPDATE orders SET shadow = amount') }
        AtomicBoolean stop = new AtomicBoolean()
        AtomicInteger writes = new AtomicInteger()
        List<Throwable> errors = Collections.synchronizedList([])
        Thread writer = Thread.start {
            TestPostgres.withSql(db) { Sql s ->
                int id = 1000
                while (!stop.get()) {
                    try {
                        id++
                        s.execute('INSERT INTO orders (id, customer_id, amount, code, shadow) VALUES (?, 1, ?, ?, ?)', [id, id * 3, 'w' + id, id * 3])
                        s.execute('UPDATE orders SET amount = amount + 1, shadow = shadow + 1 WHERE id = ?', [(id * 7) % 250 + 1])
                        writes.incrementAndGet()
                    } catch (Throwable e) {
                        errors << e
                    }
                    Thread.sleep(2)
                }
            }
        }

        when:
        def result = run(db, 'busy', "changeColumnType 'orders', 'amount', to: 'bigint', batchSize: 10, pause: '20ms'")
        stop.set(true)
        writer.join()

        then:
        result.exitCode == 0
        errors == []
        writes.get() > 20
        TestPostgres.withSql(db) { Sql s ->
            [s.firstRow("SELECT count(*) AS n FROM orders WHERE amount IS DISTINCT FROM shadow").n,
             s.firstRow("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount'").t,
             s.firstRow("SELECT count(*) AS n FROM orders WHERE id > 1000").n > 20]
        } == [0L, 'bigint', true]
    }

    def "a using: expression that fails on a row fails the backfill; the column stays added, and the rerun after the fix completes"() {
        given:
        String db = database('ctype_fail')
        TestPostgres.withSql(db) { Sql s -> s.execute("UPDATE orders SET code = (id * 2)::text; UPDATE orders SET code = 'x7' WHERE id = 120") }
        String body = "changeColumnType 'orders', 'code', to: 'numeric(12,2)', using: 'code::numeric / 100.0', batchSize: 50, keepOld: true"

        when:
        def failed = run(db, 'fail', body)

        then:
        failed.exitCode == ExitCode.STEP_FAILED.code()
        failed.out.contains('orders.code type numeric(12,2): backfill')
        failed.out.contains('invalid input syntax for type numeric: "x7"')
        journal(db) == [['orders.code type numeric(12,2): add column', 'applied'], ['orders.code type numeric(12,2): backfill', 'failed']]
        catalog(db).columns*.get(0).contains('code__mig_new')

        when: 'the row is fixed (the trigger converts it) and the plan runs again'
        TestPostgres.withSql(db) { Sql s -> s.execute("UPDATE orders SET code = '240' WHERE id = 120") }
        def rerun = run(db, 'fail', body)

        then:
        rerun.exitCode == 0
        journal(db)*.get(1) == ['applied', 'applied'] + ['skipped'] * 4 + ['applied', 'applied']
        rerun.out.contains('done already: the column is NOT NULL, or check orders_code__mig_new_not_null_check is there, or orders.code is nullable, or swapped')
        TestPostgres.withSql(db) { Sql s ->
            [s.firstRow("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'code'").t,
             s.firstRow('SELECT code FROM orders WHERE id = 120').code, s.firstRow('SELECT code FROM orders WHERE id = 3').code,
             s.firstRow("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'code__mig_old'").attnotnull]
        } == ['numeric(12,2)', 2.40G, 0.06G, false]
        catalog(db).indexes.find { it[0] == 'orders_code_amount' }[2] == 'CREATE UNIQUE INDEX orders_code_amount ON public.orders USING btree (code, amount)'
        catalog(db).triggers == [] && catalog(db).functions == []
    }

    def "a column in #what is refused before anything changes, naming it"() {
        given:
        String db = database('ctype_refuse')
        TestPostgres.withSql(db) { Sql s -> s.execute(setup) }

        when:
        def result = run(db, 'refuse', "changeColumnType 'orders', '${column}', to: 'numeric'")

        then:
        result.exitCode == ExitCode.STEP_FAILED.code()
        result.out.contains("orders.${column} type numeric: add column")
        result.out.contains("changeColumnType 'orders', '${column}', to: 'numeric' cannot swap in a new column for orders.${column}: ${message}")
        result.out.contains('drop what depends on the column (and create it again afterwards), or change the type with ALTER TABLE')
        journal(db) == [["orders.${column} type numeric: add column".toString(), 'failed']]
        !catalog(db).columns*.get(0).any { it.toString().contains('__mig_') }

        where:
        what          | column        | setup                                                                           | message
        'primary key' | 'id'          | 'SELECT 1'                                                                      | 'it is in primary key orders_pkey'
        'foreign key' | 'customer_id' | 'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers'         | 'it is in foreign key orders_customer_id_fkey'
        'a view'      | 'amount'      | 'CREATE VIEW big AS SELECT id FROM orders WHERE amount > 100'                   | 'view big reads it'
        'two things'  | 'amount'      | 'CREATE VIEW big AS SELECT amount FROM orders; ALTER TABLE orders ADD CHECK (amount > 0)' | 'check constraint orders_amount_check reads it; view big reads it'
    }

    def "a table with a composite primary key is copied along it; one without a primary key is refused"() {
        given:
        String db = TestPostgres.createDatabase('ctype_pairs')
        TestPostgres.withSql(db) { Sql s ->
            s.execute("""CREATE TABLE pairs (tenant int, id bigint, amount int NOT NULL, PRIMARY KEY (tenant, id));
                         INSERT INTO pairs SELECT t, g, g * t FROM generate_series(1, 3) t, generate_series(1, 400) g;
                         CREATE TABLE loose (id int NOT NULL, amount int); INSERT INTO loose VALUES (1, 1)""")
        }

        when:
        def pairs = run(db, 'pairs', "changeColumnType 'pairs', 'amount', to: 'bigint', batchSize: 100")
        def loose = run(db, 'loose', "changeColumnType 'loose', 'amount', to: 'bigint'")

        then:
        pairs.exitCode == 0
        TestPostgres.withSql(db) { Sql s ->
            [s.firstRow("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'pairs'::regclass AND attname = 'amount'").t,
             s.firstRow('SELECT count(*) FILTER (WHERE amount = id * tenant) AS same, count(*) AS n FROM pairs').values() as List]
        } == ['bigint', [1200L, 1200L]]
        loose.exitCode == ExitCode.STEP_FAILED.code()
        loose.output.contains('the table has no primary key, which the batched copy needs')
        TestPostgres.withSql(db) { Sql s -> s.firstRow("SELECT count(*) AS n FROM pg_attribute WHERE attrelid = 'loose'::regclass AND attname LIKE '%mig%'").n } == 0L
    }

    def "mig plan and --dry-run list the phases and change nothing; mig lint finds nothing in them; check --strict passes"() {
        given:
        String db = database('ctype_preview')
        def plan = files.write('preview.groovy', """
            plan('preview') {
                ${WORD}
            }
        """)
        String url = TestPostgres.jdbcUrl(db)

        when:
        def preview = MigCli.run(['plan', '--url', url, plan.toString()])
        def dry = MigCli.run(['run', '--dry-run', '--url', url, plan.toString()])
        def lint = MigCli.run(['lint', plan.toString(), '--url', url])
        def strict = MigCli.run(['check', '--strict', plan.toString()])

        then:
        preview.exitCode == 0
        PHASES.every { preview.out.contains(it) }
        preview.out.contains("phase 1 of 9: ALTER TABLE orders ADD COLUMN amount__mig_new bigint; CREATE TRIGGER zz_mig_ctype_amount")
        preview.out.contains("phase 8 of 9: DROP TRIGGER zz_mig_ctype_amount; RENAME COLUMN amount TO amount__mig_old, amount__mig_new TO amount;")
        // the generated statements are shown each at the word's line, not at lines counted into generated SQL
        preview.out.readLines().findAll { it.contains('preview.groovy:') }*.replaceAll(/.*preview\.groovy:(\d+).*/, '$1').toSet() == ['3'] as Set
        dry.exitCode == 0
        dry.out.contains("not run         orders.amount type bigint: not null: add check not valid  requires 'orders.amount type bigint: backfill', which is not run in a dry run")
        journal(db) == []
        !catalog(db).columns*.get(0).any { it.toString().contains('__mig_') }
        lint.exitCode == 0
        strict.exitCode == 0
        strict.output.contains('no problems found (strict)')
    }

    def "quoted, schema-qualified and 63-byte names: the generated names are cut to fit, and the change completes"() {
        given:
        String db = TestPostgres.createDatabase('ctype_quoted')
        String long63 = 'c' * 63
        TestPostgres.withSql(db) { Sql s ->
            s.execute("""CREATE SCHEMA kb; CREATE TABLE kb."Orders" (id int PRIMARY KEY, "Amount" int NOT NULL, ${long63} int);
                         CREATE INDEX "Orders_Amount" ON kb."Orders" ("Amount");
                         INSERT INTO kb."Orders" SELECT g, g, g FROM generate_series(1, 30) g""".toString())
        }

        when:
        def result = run(db, 'quoted', """changeColumnType 'kb."Orders"', '"Amount"', to: 'numeric(10,1)', using: '"Amount" / 2.0'
                                           changeColumnType 'kb."Orders"', '${long63}', to: 'bigint'""")

        then:
        result.exitCode == 0
        TestPostgres.withSql(db) { Sql s ->
            [s.rows("""SELECT attname, format_type(atttypid, atttypmod) AS t, attnotnull FROM pg_attribute WHERE attrelid = 'kb."Orders"'::regclass
                       AND attnum > 0 AND NOT attisdropped ORDER BY attname""")*.values()*.toList(),
             s.firstRow('SELECT sum("Amount") AS n FROM kb."Orders"').n,
             s.rows("""SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'kb."Orders"'::regclass
                       ORDER BY 1""")*.values()*.toList()]
        } == [[['Amount', 'numeric(10,1)', true], [long63, 'bigint', false], ['id', 'integer', true]], 232.5G,
              [['Orders_Amount', true], ['Orders_pkey', true]]]
        journal(db)*.get(0).contains('kb."Orders"."Amount" type numeric(10,1): swap')
    }

    def "a copy of a unique index that fails on duplicates is left INVALID; the rerun after the fix drops it and builds it again"() {
        given:
        String db = TestPostgres.createDatabase('ctype_index_fail')
        TestPostgres.withSql(db) { Sql s ->
            s.execute('''CREATE TABLE orders (id int PRIMARY KEY, amount int);
                         CREATE UNIQUE INDEX orders_amount_key ON orders (amount);
                         INSERT INTO orders SELECT g, g * 10 FROM generate_series(1, 20) g; INSERT INTO orders VALUES (21, 11)''')
        }
        String body = "changeColumnType 'orders', 'amount', to: 'bigint', using: 'amount / 10'"
        String copy = TestPostgres.withSql(db) { Sql s -> 'mig_ctype_' + s.firstRow("SELECT 'orders_amount_key'::regclass::oid::bigint AS o").o }
        Closure<List> copies = {
            TestPostgres.withSql(db) { Sql s -> s.rows("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(?)", [copy])*.indisvalid }
        }

        when:
        def failed = run(db, 'ixfail', body)

        then:
        failed.exitCode == ExitCode.STEP_FAILED.code()
        failed.out.contains('orders.amount type bigint: copy indexes')
        failed.out.contains('could not create unique index "' + copy + '"')
        journal(db)*.get(1) == ['applied', 'applied', 'skipped', 'skipped', 'skipped', 'skipped', 'failed']
        copies() == [false]

        when:
        TestPostgres.withSql(db) { Sql s -> s.execute('DELETE FROM orders WHERE id = 21') }
        def rerun = run(db, 'ixfail', body)

        then:
        rerun.exitCode == 0
        copies() == []
        TestPostgres.withSql(db) { Sql s ->
            [s.firstRow("SELECT pg_get_indexdef('orders_amount_key'::regclass) AS d").d, s.firstRow('SELECT sum(amount) AS n FROM orders').n]
        } == ['CREATE UNIQUE INDEX orders_amount_key ON public.orders USING btree (amount)', 210L]
    }

    def "mistakes in changeColumnType are plan errors at their line, with the usage"() {
        given:
        def plan = files.write('bad_ctype.groovy', '''
            plan('bad_ctype') {
                changeColumnType 'orders', 'amount'
                changeColumnType 'orders', 'amount', to: 'bigint', use: 'x'
                changeColumnType 'orders', 'amount', to: 'bigint', keepOld: 'yes'
                changeColumnType 'orders', 'amount', to: 'bigint', batchSize: 0
                changeColumnType 'orders', 'amount', to: ''
            }
        ''')

        when:
        def result = MigCli.run(['check', plan.toString()])
        def err = result.err.replace(files.dir.toString() + '/', '')

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        err.contains("bad_ctype.groovy:3: wrong arguments for changeColumnType in plan 'bad_ctype': ('orders', 'amount')")
        err.contains("usage: changeColumnType 'orders', 'amount', to: 'bigint'  (and using: 'amount / 100.0', batchSize: 10_000,")
        err.contains('bad_ctype.groovy:4: unknown option use of changeColumnType')
        err.contains('bad_ctype.groovy:5: changeColumnType keepOld: takes true or false')
        err.contains('bad_ctype.groovy:6: batchSize 0 is not a whole number from 1 to 10000000')
        err.contains("bad_ctype.groovy:7: changeColumnType 'orders', 'amount' needs to: the new type")
    }
}
