package dev.mig.lint

import dev.mig.plan.PlanLoader
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import groovy.json.JsonSlurper
import spock.lang.Specification

import java.nio.file.Path

/**
 * {@code mig lint} from the plan alone (no target): each rule on a statement that triggers it and
 * on one that must not, at its file and line; suppression, JSON, and the command line. What lint
 * reads from a target's catalog is in LintCatalogSpec.
 */
class LintSpec extends Specification {

    PlanFiles files = new PlanFiles()

    MigCli lint(String planText, List<String> args = [], Map<String, String> env = [:]) {
        Path p = files.write('plan.groovy', planText)
        MigCli.run(['lint', p.toString()] + args, env)
    }

    /** The finding lines, with the temporary folder cut off the file names. */
    List<String> findings(MigCli result) {
        result.out.readLines().findAll { it ==~ /^\S+:\d+ \[(warning|error)\] .*/ }
                .collect { it.replace(files.dir.toString() + '/', '') }
    }

    /** A plan of one step whose statement starts on line 3; a table it names is not created by it. */
    static String oneStep(String sql, boolean transactional = true) {
        """\
        plan('p') {
            step('change') {
                sql '''${sql} '''
                transaction ${transactional}
            }
        }
        """
    }

    /** The same statement after a first step that creates the tables (and an index) it names. */
    static String afterCreate(String sql) {
        """\
        plan('p') {
            step('create') {
                sql '''CREATE TABLE orders (id bigint PRIMARY KEY, amount int, note varchar(20), customer_id bigint,
                                            placed_at timestamptz);
                       CREATE INDEX orders_placed ON orders (placed_at)'''
            }
            step('change') {
                sql '''${sql} '''
                transaction ${!sql.startsWith('VACUUM')}
            }
        }
        """
    }

    def "#rule: #sql on a table the plan does not create is reported at its plan line, and lint exits 1"() {
        when: 'VACUUM cannot run in a transaction block, so its step has none (a plan error otherwise)'
        def result = lint(oneStep(sql, !sql.startsWith('VACUUM')))

        then:
        result.exitCode == 1
        findings(result).size() == 1
        findings(result)[0].startsWith("plan.groovy:3 [${severity}] ${rule}: ")
        result.out.readLines().last() ==~ /1 finding \(1 (error|warning)\) in 1 of 1 step \(exit 1\)/

        where:
        sql                                                                                       | rule                      | severity
        'CREATE INDEX orders_placed ON orders (placed_at)'                                         | 'index-not-concurrently'  | 'warning'
        'CREATE UNIQUE INDEX IF NOT EXISTS orders_note ON public.orders (note)'                    | 'index-not-concurrently'  | 'warning'
        'DROP INDEX orders_placed'                                                                 | 'index-not-concurrently'  | 'warning'
        'REINDEX TABLE orders'                                                                     | 'index-not-concurrently'  | 'warning'
        'ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id)'                           | 'index-not-concurrently'  | 'warning'
        'ALTER TABLE orders ADD COLUMN placed timestamptz DEFAULT clock_timestamp()'               | 'table-rewrite'           | 'error'
        'ALTER TABLE orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()'              | 'table-rewrite'           | 'error'
        'ALTER TABLE orders ADD COLUMN seq bigserial'                                              | 'table-rewrite'           | 'error'
        'ALTER TABLE orders ADD COLUMN total int GENERATED ALWAYS AS (amount * 2) STORED'          | 'table-rewrite'           | 'error'
        'ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount::bigint'                  | 'table-rewrite'           | 'error'
        'ALTER TABLE orders SET LOGGED'                                                            | 'table-rewrite'           | 'error'
        'VACUUM FULL orders'                                                                       | 'table-rewrite'           | 'error'
        'VACUUM (FULL, ANALYZE) orders'                                                            | 'table-rewrite'           | 'error'
        'CLUSTER orders USING orders_pkey'                                                         | 'table-rewrite'           | 'error'
        'ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)' | 'foreign-key-not-valid' | 'warning'
        'ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES customers'                    | 'foreign-key-not-valid'   | 'warning'
        'ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0)'                     | 'check-not-valid'         | 'warning'
        'ALTER TABLE ONLY orders ADD CHECK (amount > 0)'                                           | 'check-not-valid'         | 'warning'
        'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL'                                 | 'not-null-without-check'  | 'warning'
        'ALTER TABLE orders ALTER COLUMN note TYPE text'                                           | 'type-change'             | 'warning'
        'ALTER TABLE orders ALTER note SET DATA TYPE varchar(50)'                                  | 'type-change'             | 'warning'
        'CREATE TABLE comments (id bigint, commentable_id bigint REFERENCES posts (id), commentable_type text)' | 'polymorphic-foreign-key' | 'error'
    }

    def "the safe way to write it is not reported: #sql"() {
        when:
        def result = lint(oneStep(sql, transactional))

        then:
        result.exitCode == 0
        findings(result) == []
        result.out.readLines().last() == 'no findings in 1 step (exit 0)'

        where:
        sql                                                                                  | transactional
        'CREATE INDEX CONCURRENTLY orders_placed ON orders (placed_at)'                        | false
        'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_note ON orders (note)'          | false
        'DROP INDEX CONCURRENTLY IF EXISTS orders_placed'                                      | false
        'REINDEX TABLE CONCURRENTLY orders'                                                    | false
        'CREATE INDEX orders_placed ON ONLY orders (placed_at)'                                | true
        'ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey_idx' | true
        'ALTER TABLE orders ADD COLUMN placed timestamptz NOT NULL DEFAULT now()'              | true
        "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new'"                     | true
        'ALTER TABLE orders ADD COLUMN customer_id bigint'                                     | true
        'VACUUM ANALYZE orders'                                                                | false
        'ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID' | true
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer'                               | true
        'ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID'       | true
        'ALTER TABLE orders ALTER COLUMN note SET STATISTICS 500'                              | true
        'ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL'                            | true
        'CREATE TABLE comments (id bigint, post_id bigint REFERENCES posts (id), commentable_type text)' | true
        "SELECT 'CREATE INDEX orders_placed ON orders (placed_at)'"                            | true
        '-- CREATE INDEX orders_placed ON orders (placed_at)\nSELECT 1'                        | true
        '/* VACUUM FULL orders; */ SELECT 1'                                                   | true
        "DO \$\$ BEGIN EXECUTE 'VACUUM FULL orders'; ALTER TABLE orders SET LOGGED; END \$\$"  | true
        "COMMENT ON TABLE orders IS 'ALTER TABLE orders ALTER COLUMN note TYPE text'"          | true
        'CREATE INDEX ON "" (a)'                                                               | true
    }

    def "a table created earlier in the plan is new, so the same statement is not reported: #sql"() {
        when:
        def result = lint(afterCreate(sql))

        then:
        result.exitCode == 0
        findings(result) == []

        where:
        sql << [
                'CREATE INDEX orders_amount ON orders (amount)',
                'DROP INDEX orders_placed',
                'REINDEX TABLE orders',
                'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid()',
                'ALTER TABLE orders ALTER COLUMN amount TYPE bigint USING amount::bigint',
                'VACUUM FULL orders',
                'ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)',
                'ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0)',
                'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL',
                'ALTER TABLE orders ALTER COLUMN note TYPE text',
        ]
    }

    def "created tables are told apart by schema and by quoting, unqualified names being public without a target"() {
        when:
        def result = lint('''\
            plan('p') {
                step('create') {
                    sql """CREATE TABLE app.orders (id bigint);
                           CREATE TABLE "Items" (id bigint);
                           CREATE TABLE lines (id bigint)"""
                }
                step('index') {
                    sql """CREATE INDEX ON orders (id);
                           CREATE INDEX ON app.orders (id);
                           CREATE INDEX ON items (id);
                           CREATE INDEX ON "Items" (id);
                           CREATE INDEX ON public.lines (id)"""
                }
            }
        ''')

        then:
        findings(result).collect { it.replaceAll(/ \[warning\] index-not-concurrently: CREATE INDEX on table (\S+) .*/, ' $1') } == [
                'plan.groovy:8 public.orders',
                'plan.groovy:10 public.items',
        ]
        result.exitCode == 1
    }

    def "a table the plan dropped or renamed away is not reported; a renamed table keeps being what it was"() {
        when:
        def result = lint('''\
            plan('p') {
                step('create') {
                    sql "CREATE TABLE staging (id bigint)"
                }
                step('swap') {
                    sql """ALTER TABLE staging RENAME TO fresh;
                           ALTER TABLE orders RENAME TO old_orders;
                           DROP TABLE legacy"""
                }
                step('index') {
                    sql """CREATE INDEX ON fresh (id);
                           CREATE INDEX ON staging (id);
                           CREATE INDEX ON legacy (id);
                           CREATE INDEX ON old_orders (id)"""
                }
            }
        ''')

        then:
        findings(result).size() == 1
        findings(result)[0].startsWith('plan.groovy:14 [warning] index-not-concurrently: CREATE INDEX on table public.old_orders ')
    }

    def "NOT VALID, then VALIDATE CONSTRAINT in a later step, is the safe pattern; in the same step it gains nothing"() {
        when:
        def safe = lint('''\
            plan('p') {
                step('add') {
                    sql """ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
                           ALTER TABLE orders ADD CONSTRAINT customer_present CHECK (customer_id IS NOT NULL) NOT VALID"""
                }
                step('validate') {
                    sql """ALTER TABLE orders VALIDATE CONSTRAINT orders_customer;
                           ALTER TABLE orders VALIDATE CONSTRAINT customer_present"""
                }
                step('not null') {
                    sql 'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL'
                }
            }
        ''')
        def sameStep = lint('''\
            plan('p') {
                step('add and validate') {
                    sql """ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
                           ALTER TABLE orders ADD CONSTRAINT customer_present CHECK (customer_id IS NOT NULL) NOT VALID;
                           ALTER TABLE orders VALIDATE CONSTRAINT orders_customer"""
                }
                step('not null') {
                    sql 'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL'
                }
            }
        ''')

        then:
        safe.exitCode == 0
        findings(safe) == []

        and:
        sameStep.exitCode == 1
        findings(sameStep)[0] == ('plan.groovy:5 [warning] foreign-key-not-valid: VALIDATE CONSTRAINT orders_customer runs in'
                + ' the same step as its ADD ... NOT VALID (plan.groovy:3): the step\'s one transaction keeps the ADD\'s lock'
                + ' through the whole validation, so NOT VALID gains nothing; validate in a later step')
        findings(sameStep)[1] == ('plan.groovy:8 [warning] not-null-without-check: SET NOT NULL on table public.orders (not'
                + ' created by this plan) scans every row under an ACCESS EXCLUSIVE lock: CHECK customer_present (customer_id'
                + ' IS NOT NULL) is there but NOT VALID, so it cannot spare the scan; VALIDATE CONSTRAINT it in an earlier step')
        findings(sameStep).size() == 2
    }

    def "statements of a SQL file are reported at their lines in that file"() {
        given:
        files.write('sql/orders.sql', '''\
            -- orders get a customer

            ALTER TABLE orders
                ADD COLUMN customer_id bigint;

            /* an index for the lookups;
               CREATE INDEX in this comment is not a statement */
            CREATE INDEX orders_customer
                ON orders (customer_id);

            ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (customer_id)
                REFERENCES customers (id);
        ''')

        when:
        def result = lint('''\
            plan('p') {
                step('customers') {
                    sqlFile 'sql/orders.sql'
                }
            }
        ''')

        then:
        result.exitCode == 1
        findings(result).collect { it.replaceAll(/^(\S+) \[\w+\] ([\w-]+):.*/, '$1 $2') } == [
                'sql/orders.sql:8 index-not-concurrently',
                'sql/orders.sql:11 foreign-key-not-valid',
        ]
    }

    def "the message says what is risky and what to write instead"() {
        when:
        def result = lint(oneStep('CREATE INDEX orders_placed ON orders (placed_at)'))

        then:
        findings(result) == ['plan.groovy:3 [warning] index-not-concurrently: CREATE INDEX on table public.orders (not created'
                                     + ' by this plan) blocks writes while it builds; use CREATE INDEX CONCURRENTLY in a step'
                                     + " with transaction false; write instead, in the plan block: createIndex 'orders', 'placed_at',"
                                     + " name: 'orders_placed'"]
        result.out.readLines()[0] == ("lint: plan 'p' (${files.dir}/plan.groovy), 1 step, without a target: a table the plan does"
                + " not create is taken to hold rows, and access-exclusive-lock is not checked (it needs the target's table sizes: --url)")
    }

    def "a finding a plan word fixes ends with the exact line to write: #word"() {
        when:
        def result = lint(oneStep(sql, !sql.contains('CONCURRENTLY')))

        then:
        findings(result).size() == 1
        findings(result)[0].endsWith("; write instead, in the plan block: ${word}")

        where:
        sql                                                                                          | word
        'ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL'                                    | "addNotNull 'orders', 'customer_id'"
        'ALTER TABLE kb."Orders" ALTER COLUMN "Customer" SET NOT NULL'                                | "addNotNull 'kb.\"Orders\"', '\"Customer\"'"
        'ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers'                       | "addForeignKey 'orders', 'customer_id', references: 'customers'"
        'ALTER TABLE orders ADD CONSTRAINT o_c FOREIGN KEY (a, b) REFERENCES kb.c (x, y) ON DELETE SET NULL' | "addForeignKey 'orders', ['a', 'b'], references: 'kb.c(x, y)', onDelete: 'set null', name: 'o_c'"
        'ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0)'                        | "addCheck 'orders', 'amount_positive', 'amount > 0'"
        "ALTER TABLE orders ADD CHECK (note <> '')"                                                   | "addCheck 'orders', 'orders_check', 'note <> \\'\\''"
        'CREATE INDEX ON orders (customer_id, placed_at)'                                             | "createIndex 'orders', 'customer_id', 'placed_at'"
        'CREATE UNIQUE INDEX orders_email ON orders USING btree (lower(email)) WHERE deleted_at IS NULL' | "createIndex 'orders', 'lower(email)', unique: true, using: 'btree', where: 'deleted_at IS NULL', name: 'orders_email'"
    }

    def "a plan of the words lints clean"() {
        when:
        def result = lint("""\
            plan('p') {
                addNotNull 'orders', 'customer_id'
                addForeignKey 'orders', 'customer_id', references: 'customers'
                addCheck 'orders', 'amount_positive', 'amount > 0'
                createIndex 'orders', 'customer_id', unique: true
            }
            """)

        then:
        result.exitCode == 0
        findings(result) == []
        result.out.readLines().last() == 'no findings in 9 steps (exit 0)'
    }

    def "access-exclusive-lock needs a target: without one it is not checked"() {
        when:
        def result = lint(oneStep('ALTER TABLE orders RENAME COLUMN note TO remark; TRUNCATE orders; DROP TABLE orders'))

        then:
        result.exitCode == 0
        findings(result) == []
        result.out.contains('access-exclusive-lock is not checked')
    }

    // ---- suppression ---------------------------------------------------------------------------

    def "lint { allow } leaves its rules unreported for that step only; what it allows is counted"() {
        when:
        def result = lint('''\
            plan('p') {
                step('quiet') {
                    lint { allow 'index-not-concurrently', 'table-rewrite' }
                    sql """CREATE INDEX orders_placed ON orders (placed_at);
                           ALTER TABLE orders SET UNLOGGED;
                           ALTER TABLE orders ADD CHECK (amount > 0)"""
                }
                step('loud') {
                    sql 'CREATE INDEX orders_amount ON orders (amount)'
                }
            }
        ''')

        then:
        result.exitCode == 1
        findings(result)*.replaceAll(/:\s.*/, '') == ['plan.groovy:6 [warning] check-not-valid', 'plan.groovy:9 [warning] index-not-concurrently']
        result.out.readLines().last() == '2 findings (2 warnings) in 2 of 2 steps; 2 more allowed by lint { allow } (exit 1)'
    }

    def "a step whose findings are all allowed lints clean"() {
        when:
        def result = lint('''\
            plan('p') {
                step('quiet') {
                    sql 'CREATE INDEX orders_placed ON orders (placed_at)'
                    lint { allow 'index-not-concurrently' }
                }
            }
        ''')

        then:
        result.exitCode == 0
        result.out.readLines().last() == 'no findings in 1 step; 1 allowed by lint { allow } (exit 0)'
    }

    def "an unknown rule name is a plan error at its line, with did-you-mean; lint in an undo block too"() {
        when:
        def result = lint('''\
            plan('p') {
                step('quiet') {
                    lint { allow 'index-not-concurrent' }
                    lint { allow 'no-such-rule' }
                    lint { alow 'table-rewrite' }
                    sql 'CREATE INDEX orders_placed ON orders (placed_at)'
                    undo { lint { allow 'table-rewrite' } }
                }
            }
        ''')
        def err = result.err.replace(files.dir.toString() + '/', '')

        then:
        result.exitCode == 2
        err.contains("plan.groovy:3: unknown lint rule 'index-not-concurrent' in the lint block of step 'quiet'\n"
                + "    hint: did you mean 'index-not-concurrently'?")
        err.contains("plan.groovy:4: unknown lint rule 'no-such-rule' in the lint block of step 'quiet'\n"
                + "    hint: the rules are: table-rewrite, access-exclusive-lock, foreign-key-not-valid, check-not-valid,"
                + " index-not-concurrently, not-null-without-check, type-change, polymorphic-foreign-key, other-dialect")
        err.contains("plan.groovy:5: unknown element 'alow' in the lint block of step 'quiet'\n    hint: did you mean 'allow'?")
        err.contains('plan.groovy:7: lint inside undo')
    }

    def "lint { allow } is not part of the step's checksum"() {
        given:
        Path plain = files.write('plain.groovy', "plan('p') { step('s') { sql 'CREATE INDEX i ON t (a)' } }")
        Path allowing = files.write('allowing.groovy',
                "plan('p') { step('s') { lint { allow 'index-not-concurrently' }; sql 'CREATE INDEX i ON t (a)' } }")

        expect:
        new PlanLoader().load(plain).steps[0].checksum() == new PlanLoader().load(allowing).steps[0].checksum()
        new PlanLoader().load(allowing).steps[0].lintAllowed() == ['index-not-concurrently']
    }

    // ---- output and command line -----------------------------------------------------------------

    def "--format json prints one document with every finding: rule, severity, step, file, line, statement, message, table"() {
        given:
        files.write('sql/a.sql', '\n\nCREATE INDEX orders_placed ON orders (placed_at);\n')

        when:
        def result = lint('''\
            plan('p') {
                step('a') {
                    sqlFile 'sql/a.sql'
                    groovy { db -> }
                }
                step('b') {
                    lint { allow 'table-rewrite' }
                    sql 'ALTER TABLE orders SET UNLOGGED'
                }
            }
        ''', ['--format', 'json'])
        def json = new JsonSlurper().parseText(result.out) as Map

        then:
        result.exitCode == 1
        json.plan == 'p'
        json.target == null
        json.exitCode == 1
        json.largeTableRows == 100000
        json.largeTableBytes == 100 * 1024 * 1024
        json.notChecked == ['access-exclusive-lock']
        json.findings.size() == 1
        with(json.findings[0] as Map) {
            rule == 'index-not-concurrently'
            severity == 'warning'
            step == 'a'
            (file as String).endsWith('sql/a.sql')
            line == 3
            statement == 'CREATE INDEX orders_placed ON orders (placed_at)'
            (message as String).startsWith('CREATE INDEX on table public.orders (not created by this plan) blocks writes')
            table == 'public.orders'
            rows == null
        }
        json.allowed*.rule == ['table-rewrite']
        (json.groovyBlocks as List).size() == 1
        (json.groovyBlocks[0] as String).endsWith('plan.groovy:4')
    }

    def "groovy blocks are named as not read"() {
        when:
        def result = lint('''\
            plan('p') {
                step('seed') {
                    groovy { db -> db.execute('VACUUM FULL orders') }
                }
            }
        ''')

        then:
        result.exitCode == 0
        result.out.replace(files.dir.toString() + '/', '').contains(
                'not read: groovy block at plan.groovy:3 (lint reads the statements of sql and sqlFile)')
    }

    def "a plan error exits 2 before anything is linted"() {
        when:
        def result = lint('''\
            plan('p') {
                step('a') { requires 'nothing' }
            }
        ''')

        then:
        result.exitCode == 2
        result.out == ''
        result.err.contains("requires unknown step 'nothing'")
    }

    def "options: --format must be text or json; --no-target ignores MIG_URL; --url with --no-target is a usage error"() {
        expect:
        lint(oneStep('SELECT 1'), ['--format', 'xml']).exitCode == 2

        and: 'MIG_URL names a server that is not there, and --no-target never asks it'
        lint(oneStep('CREATE INDEX i ON orders (a)'), ['--no-target'], [MIG_URL: 'postgres://nobody@127.0.0.1:1/none']).exitCode == 1

        and:
        lint(oneStep('SELECT 1'), ['--no-target', '--url', 'postgres://x@127.0.0.1:1/y']).exitCode == 2
        lint(oneStep('SELECT 1'), ['--large-table-size', 'huge']).exitCode == 2
    }

    def "a target that cannot be reached exits 6"() {
        when:
        def result = lint(oneStep('SELECT 1'), ['--url', 'postgres://nobody@127.0.0.1:1/none'])

        then:
        result.exitCode == 6
    }
}
