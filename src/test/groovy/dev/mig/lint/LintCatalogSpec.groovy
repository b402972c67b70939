package dev.mig.lint

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Path

/**
 * {@code mig lint} with a target: what exists there, its estimated rows and size (after ANALYZE),
 * column types, check constraints, functions' volatility and the journal, on the embedded
 * PostgreSQL with data.
 */
class LintCatalogSpec extends DatabaseSpec {

    def setup() {
        sql { Sql s ->
            s.execute('''
                CREATE TABLE orders (id bigint PRIMARY KEY, amount integer NOT NULL, note varchar(20), customer_id bigint,
                                     price numeric(10,2), placed_at timestamptz);
                INSERT INTO orders (id, amount, note) SELECT g, g, 'n' || g FROM generate_series(1, 50) g;
                CREATE TABLE tiny (id bigint PRIMARY KEY);
                INSERT INTO tiny VALUES (1), (2);
                CREATE TABLE comments (id bigint, commentable_id bigint, commentable_type text);
                ANALYZE orders;
                ANALYZE tiny;
            ''')
        }
    }

    MigCli lint(String planText, List<String> args = []) {
        Path p = files.write('plan.groovy', planText)
        MigCli.run(['lint', p.toString(), '--url', url] + args)
    }

    List<String> findings(MigCli result) {
        result.out.readLines().findAll { it ==~ /^\S+:\d+ \[(warning|error)\] .*/ }
                .collect { it.replace(files.dir.toString() + '/', '') }
    }

    static String oneStep(String sql) {
        """\
        plan('p') {
            step('change') {
                sql '''${sql} '''
            }
        }
        """
    }

    def "access-exclusive-lock reports a table from --large-table-rows estimated rows, with its rows and size; not a small one"() {
        given:
        String plan = '''\
            plan('p') {
                step('flag orders') {
                    sql """ALTER TABLE orders ADD COLUMN flag boolean;
                           UPDATE orders SET flag = true;
                           ALTER TABLE orders ALTER COLUMN flag SET DEFAULT false"""
                }
                step('flag tiny') {
                    sql 'ALTER TABLE tiny ADD COLUMN flag boolean'
                }
                step('truncate') {
                    transaction false
                    sql 'TRUNCATE orders; LOCK TABLE tiny IN SHARE MODE; DROP TABLE orders'
                }
            }
        '''

        when:
        def result = lint(plan, ['--large-table-rows', '10'])

        then: 'once per table and step (the transaction holds the lock from the first statement on), and per statement without one'
        result.exitCode == 1
        findings(result) == [
                'plan.groovy:3 [warning] access-exclusive-lock: ALTER TABLE ... ADD COLUMN flag takes an ACCESS EXCLUSIVE'
                        + ' lock on existing table public.orders (~50 rows, 8192 bytes), held until the step commits (2 more'
                        + ' statements run under it): every read and write of the table waits behind it, and it waits behind'
                        + ' every running query; keep the step short, with a short lockTimeout (now 500ms on mig\'s lock-retry schedule) and retries',
                'plan.groovy:4 [warning] unbatched-write: UPDATE of every row of existing table public.orders (~50 rows,'
                        + ' 8192 bytes) in the step\'s one transaction (1 more statement runs in it): every row it changes stays'
                        + ' locked until the step commits, so the application\'s writes to those rows wait behind it, and the one'
                        + ' long transaction writes all the new row versions at once (a burst of WAL that replicas replay late,'
                        + ' dead rows vacuum cannot remove until it ends); write instead, in a step of its own (batches of 1000'
                        + ' keys along the primary key, each its own short transaction, resumed where it stopped): backfill {'
                        + " table 'orders'; set 'flag = true' }",
                'plan.groovy:12 [warning] access-exclusive-lock: TRUNCATE takes an ACCESS EXCLUSIVE lock on existing table'
                        + ' public.orders (~50 rows, 8192 bytes): every read and write of the table waits behind it, and it'
                        + ' waits behind every running query; keep the step short, with a short lockTimeout (now 5s) and retries',
                'plan.groovy:12 [warning] access-exclusive-lock: DROP TABLE takes an ACCESS EXCLUSIVE lock on existing table'
                        + ' public.orders (~50 rows, 8192 bytes): every read and write of the table waits behind it, and it'
                        + ' waits behind every running query; keep the step short, with a short lockTimeout (now 5s) and retries',
        ]
        result.out.readLines()[0].endsWith(': sizes are the target\'s estimates; a table is large from 10 rows or 100 MB')

        when: 'by default a table is large from 100000 rows or 100 MB'
        def byDefault = lint(plan)

        then:
        byDefault.exitCode == 0
        findings(byDefault) == []

        when: '--large-table-size counts the estimated size'
        def bySize = lint(oneStep('ALTER TABLE orders RENAME COLUMN note TO remark'), ['--large-table-size', '8kB'])

        then:
        findings(bySize)*.replaceAll(/:\s.*/, '') == ['plan.groovy:3 [warning] access-exclusive-lock']
    }

    def "REFRESH MATERIALIZED VIEW of a large view says to refresh it CONCURRENTLY"() {
        given:
        sql { Sql s ->
            s.execute('CREATE MATERIALIZED VIEW order_totals AS SELECT id, amount FROM orders')
            s.execute('ANALYZE order_totals')
        }

        expect:
        findings(lint(oneStep('REFRESH MATERIALIZED VIEW order_totals'), ['--large-table-rows', '10'])) == [
                'plan.groovy:3 [warning] access-exclusive-lock: REFRESH MATERIALIZED VIEW takes an ACCESS EXCLUSIVE lock on'
                        + ' existing materialized view public.order_totals (~50 rows, 8192 bytes): every read and write of the table waits'
                        + ' behind it, and it waits behind every running query; use REFRESH MATERIALIZED VIEW CONCURRENTLY (it'
                        + ' needs a unique index on the view), which lets reads go on; keep the step short, with a short'
                        + ' lockTimeout (now 500ms on mig\'s lock-retry schedule) and retries']
        findings(lint(oneStep('REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals'), ['--large-table-rows', '10'])) == []
    }

    def "a table is existing when the target has it; one created earlier in the plan is new; one neither has is not reported"() {
        when:
        def result = lint('''\
            plan('p') {
                step('create') {
                    sql 'CREATE TABLE invoices (id bigint, order_id bigint)'
                }
                step('indexes') {
                    sql """CREATE INDEX ON invoices (order_id);
                           CREATE INDEX ON nowhere (id);
                           CREATE INDEX orders_note ON orders (note);
                           CREATE INDEX ON tiny (id)"""
                }
            }
        ''')

        then:
        result.exitCode == 1
        findings(result) == [
                'plan.groovy:8 [warning] index-not-concurrently: CREATE INDEX on existing table public.orders (~50 rows,'
                        + ' 8192 bytes) blocks writes while it builds; use CREATE INDEX CONCURRENTLY in a step with transaction false'
                        + "; write instead, in the plan block: createIndex 'orders', 'note', name: 'orders_note'",
                'plan.groovy:9 [warning] index-not-concurrently: CREATE INDEX on existing table public.tiny (~2 rows,'
                        + ' 8192 bytes) blocks writes while it builds; use CREATE INDEX CONCURRENTLY in a step with transaction false'
                        + "; write instead, in the plan block: createIndex 'tiny', 'id'",
        ]
    }

    def "CREATE TABLE IF NOT EXISTS of a table the target has leaves it existing"() {
        when:
        def result = lint('''\
            plan('p') {
                step('ensure') {
                    sql 'CREATE TABLE IF NOT EXISTS orders (id bigint)'
                    sql 'CREATE INDEX orders_amount ON orders (amount)'
                }
            }
        ''')

        then:
        findings(result)*.replaceAll(/:\s.*/, '') == ['plan.groovy:4 [warning] index-not-concurrently']
    }

    def "type changes: binary-coercible or relaxed is type-change, anything else table-rewrite, from the column's type on the target"() {
        when:
        def result = lint(oneStep(sql))

        then:
        result.exitCode == 1
        findings(result).size() == 1
        findings(result)[0].startsWith("plan.groovy:3 [${severity}] ${rule}: ")
        findings(result)[0].contains(why)

        where:
        sql                                                              | rule            | severity  | why
        'ALTER TABLE orders ALTER COLUMN note TYPE text'                 | 'type-change'   | 'warning' | '(character varying(20) to text is binary-coercible)'
        'ALTER TABLE orders ALTER COLUMN note TYPE varchar(50)'          | 'type-change'   | 'warning' | '(character varying(20) to varchar(50) keeps every stored value as it is)'
        'ALTER TABLE orders ALTER COLUMN price TYPE numeric(12,2)'       | 'type-change'   | 'warning' | 'keeps every stored value'
        'ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz(6)'  | 'type-change'   | 'warning' | 'keeps every stored value'
        'ALTER TABLE orders ALTER COLUMN note TYPE varchar(10)'          | 'table-rewrite' | 'error'   | '(character varying(20) to varchar(10) checks and rewrites every value)'
        'ALTER TABLE orders ALTER COLUMN price TYPE numeric(12,3)'       | 'table-rewrite' | 'error'   | 'checks and rewrites every value'
        'ALTER TABLE orders ALTER COLUMN amount TYPE bigint'             | 'table-rewrite' | 'error'   | 'rewrites existing table public.orders (~50 rows, 8192 bytes) and its indexes under an ACCESS EXCLUSIVE lock (integer to bigint is not binary-coercible)'
        'ALTER TABLE orders ALTER COLUMN note TYPE text USING upper(note)' | 'table-rewrite' | 'error' | 'its USING clause computes a new value for every row'
        'ALTER TABLE orders ALTER COLUMN amount TYPE bigint'             | 'table-rewrite' | 'error'   | "switch to it in a later step; write instead, in the plan block: changeColumnType 'orders', 'amount', to: 'bigint'"
        'ALTER TABLE orders ALTER COLUMN note TYPE text USING upper(note)' | 'table-rewrite' | 'error' | "in the plan block: changeColumnType 'orders', 'note', to: 'text', using: 'upper(note)'"
        'ALTER TABLE orders ALTER COLUMN missing TYPE text'              | 'type-change'   | 'warning' | 'the target has no column missing yet'
    }

    def "SET NOT NULL: a validated CHECK (col IS NOT NULL) on the target spares the scan; a NOT VALID one is named"() {
        given:
        sql { Sql s ->
            s.execute('UPDATE orders SET customer_id = id, price = 1')
            s.execute('ALTER TABLE orders ADD CONSTRAINT customer_present CHECK (customer_id IS NOT NULL)')
            s.execute('ALTER TABLE orders ADD CONSTRAINT price_present CHECK (price IS NOT NULL AND price > 0) NOT VALID')
        }

        when:
        def result = lint('''\
            plan('p') {
                step('not null') {
                    sql """ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
                           ALTER TABLE orders ALTER COLUMN price SET NOT NULL;
                           ALTER TABLE orders ALTER COLUMN note SET NOT NULL"""
                }
            }
        ''')

        then:
        findings(result).collect { it.replaceAll(/ scans every row under an ACCESS EXCLUSIVE lock.*?([:;]) /, '$1 ') } == [
                'plan.groovy:4 [warning] not-null-without-check: SET NOT NULL on existing table public.orders (~50 rows,'
                        + ' 8192 bytes): CHECK price_present (price IS NOT NULL) is there but NOT VALID, so it cannot spare the'
                        + ' scan; VALIDATE CONSTRAINT it in an earlier step',
                'plan.groovy:5 [warning] not-null-without-check: SET NOT NULL on existing table public.orders (~50 rows,'
                        + ' 8192 bytes); first ADD CONSTRAINT ... CHECK (note IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a'
                        + ' later step, then SET NOT NULL, which uses the validated check instead of scanning (PostgreSQL 12'
                        + " and later); write instead, in the plan block: addNotNull 'orders', 'note'",
        ]

        when: 'the NOT VALID check validated by an earlier step of the plan'
        def validated = lint('''\
            plan('p') {
                step('validate') {
                    sql 'ALTER TABLE orders VALIDATE CONSTRAINT price_present'
                }
                step('not null') {
                    sql 'ALTER TABLE orders ALTER COLUMN price SET NOT NULL'
                }
            }
        ''')

        then:
        validated.exitCode == 0
    }

    def "polymorphic-foreign-key reads the table's columns from the target"() {
        when:
        def result = lint(oneStep('ALTER TABLE comments ADD CONSTRAINT comments_target FOREIGN KEY (commentable_id) REFERENCES orders (id) NOT VALID'))

        then:
        result.exitCode == 1
        findings(result) == ['plan.groovy:3 [error] polymorphic-foreign-key: FOREIGN KEY (commentable_id) REFERENCES orders'
                                     + ' on table public.comments: commentable_id has a sibling column commentable_type, so it'
                                     + ' looks polymorphic (one column pointing at several tables, chosen by commentable_type),'
                                     + ' and the key rejects every row that points at another table than orders; use one key'
                                     + ' column per target table (each with its own foreign key), or no foreign key']
    }

    def "a default's volatility is read from pg_proc: a volatile function of the target rewrites, a stable one does not"() {
        given:
        sql { Sql s ->
            s.execute('CREATE SEQUENCE codes')
            s.execute("CREATE FUNCTION next_code() RETURNS bigint VOLATILE LANGUAGE sql AS \$\$ SELECT nextval('codes') \$\$")
            s.execute("CREATE FUNCTION today_code() RETURNS text STABLE LANGUAGE sql AS \$\$ SELECT to_char(now(), 'YYYYMMDD') \$\$")
        }

        expect:
        findings(lint(oneStep('ALTER TABLE orders ADD COLUMN code bigint DEFAULT next_code()')))*.replaceAll(/:\s.*/, '') ==
                ['plan.groovy:3 [error] table-rewrite']
        findings(lint(oneStep('ALTER TABLE orders ADD COLUMN day text DEFAULT public.today_code()'))) == []
    }

    def "CREATE INDEX on a partitioned table says how to build it without blocking writes"() {
        given:
        sql { Sql s ->
            s.execute('CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at)')
            s.execute("CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')")
            s.execute("INSERT INTO events SELECT g, '2024-03-01' FROM generate_series(1, 30) g")
            s.execute('ANALYZE events_2024')
        }

        when:
        def result = lint(oneStep('CREATE INDEX events_at ON events (at)'))

        then:
        findings(result) == ['plan.groovy:3 [warning] index-not-concurrently: CREATE INDEX on existing table'
                                     + ' public.events (~30 rows, 8192 bytes), a partitioned table, builds the index on every partition while it'
                                     + ' blocks writes, and CONCURRENTLY is not available on a partitioned table; CREATE INDEX'
                                     + ' ON ONLY the table, CREATE INDEX CONCURRENTLY on each partition in a step with'
                                     + ' transaction false, then ALTER INDEX ... ATTACH PARTITION each one']
    }

    def "DROP INDEX and REINDEX find the index's table on the target"() {
        given:
        sql { Sql s -> s.execute('CREATE INDEX orders_note ON orders (note)') }

        when:
        def result = lint(oneStep('DROP INDEX orders_note; REINDEX INDEX orders_pkey; DROP INDEX IF EXISTS not_there'))

        then:
        findings(result)*.replaceAll(/ takes an ACCESS.*| blocks writes.*/, '') == [
                'plan.groovy:3 [warning] index-not-concurrently: DROP INDEX orders_note',
                'plan.groovy:3 [warning] index-not-concurrently: REINDEX INDEX',
        ]
    }

    def "a row estimate that was never read says so instead of a number"() {
        given:
        sql { Sql s -> s.execute('CREATE TABLE fresh (id bigint)') }

        when:
        def result = lint(oneStep('CREATE INDEX ON fresh (id)'))

        then:
        findings(result)[0].contains('CREATE INDEX on existing table public.fresh (0 bytes, never analyzed)')
    }

    def "steps the target has applied are not linted: a run does not run them again"() {
        given:
        String plan = '''\
            plan('p') {
                step('create big') {
                    sql "CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 40) g; ANALYZE big"
                }
                step('index big') {
                    transaction false
                    sql 'CREATE INDEX big_id ON big (id); VACUUM FULL big'
                }
            }
        '''
        Path planFile = files.write('plan.groovy', plan)

        when: 'before the first step ran, big is a table the plan creates'
        def before = lint(plan)

        then:
        before.exitCode == 0

        when:
        assert mig('--until', 'create big', planFile.toString()).exitCode == 0
        def after = lint(plan)

        then:
        after.exitCode == 1
        findings(after)*.replaceAll(/:\s.*/, '') == ['plan.groovy:7 [warning] index-not-concurrently', 'plan.groovy:7 [error] table-rewrite']
        findings(after)[0].contains('existing table public.big (~40 rows, 8192 bytes)')
        after.out.contains("not linted: 1 step applied on the target ('create big'): a run does not run it again")
        after.out.readLines().last() == '2 findings (1 error, 1 warning) in 1 of 1 step (exit 1)'
    }

    def "--format json carries the table, its estimated rows and size, and the target"() {
        when:
        def result = lint(oneStep('CREATE INDEX orders_note ON orders (note)'), ['--format', 'json'])
        def json = new JsonSlurper().parseText(result.out) as Map

        then:
        result.exitCode == 1
        (json.target as String).startsWith('postgresql://postgres@localhost:')
        json.notChecked == []
        with(json.findings[0] as Map) {
            rule == 'index-not-concurrently'
            table == 'public.orders'
            rows == 50
            bytes == 8192
            line == 3
        }
    }

    def "lint changes nothing on the target and creates no journal"() {
        when:
        def result = lint(oneStep('DROP TABLE orders'))

        then:
        result.exitCode == 0
        exists('orders')
        sql { Sql s -> s.firstRow("SELECT to_regnamespace('mig') IS NULL AS absent").absent }
    }
}
