package dev.mig.lint

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.nio.file.Path

/**
 * unbatched-write (docs/DSL.md, "mig lint"): an UPDATE or DELETE of many rows of an existing table
 * in one transaction, reported with the backfill block to write instead; and that block, run,
 * leaves the rows as the statement would.
 */
class LintBackfillSpec extends DatabaseSpec {

    static final String WHY = " in one transaction: every row it changes stays locked until the step commits, so the application's" +
            " writes to those rows wait behind it, and the one long transaction writes all the new row versions at once (a burst" +
            " of WAL that replicas replay late, dead rows vacuum cannot remove until it ends); write instead, in a step of its" +
            " own (batches of 1000 keys along the primary key, each its own short transaction, resumed where it stopped): "

    def setup() {
        sql { Sql s ->
            s.execute('''
                CREATE TABLE orders (id bigint PRIMARY KEY, amount integer NOT NULL, note text, customer_id bigint, code text UNIQUE);
                INSERT INTO orders (id, amount, note, code) SELECT g, g, 'n' || g, 'c' || g FROM generate_series(1, 50) g;
                CREATE TABLE customers (id bigint PRIMARY KEY, name text);
                INSERT INTO customers SELECT g, 'n' || g FROM generate_series(1, 50) g;
                CREATE TABLE tiny (id bigint PRIMARY KEY, note text);
                INSERT INTO tiny VALUES (1, 'a'), (2, 'b');
                CREATE TABLE pairs (a int, b int, note text, PRIMARY KEY (a, b));
                INSERT INTO pairs SELECT g, g, 'x' FROM generate_series(1, 50) g;
                ANALYZE;
            ''')
        }
    }

    MigCli lint(String sql, List<String> args = ['--large-table-rows', '10']) {
        Path p = files.write('plan.groovy', oneStep(sql))
        MigCli.run(['lint', p.toString(), '--url', url] + args)
    }

    static String oneStep(String sql) {
        """\
        plan('p') {
            step('change') {
                sql '''${sql}'''
            }
        }
        """
    }

    List<String> findings(MigCli result) {
        result.out.readLines().findAll { it ==~ /^\S+:\d+ \[(warning|error)\] .*/ }
                .collect { it.replace(files.dir.toString() + '/', '') }
    }

    /** The block a finding ends with, run as a step of its own on the target. */
    MigCli runSuggested(String finding, String plan = 'fix') {
        String block = finding.substring(finding.indexOf('backfill { '))
        Path p = files.write("${plan}.groovy", "plan('${plan}') {\n    step('fill') {\n        ${block}\n    }\n}\n")
        mig(p.toString())
    }

    def "an UPDATE of every row of a big table gets the finding, ending with the backfill block that does the same in batches"() {
        when:
        def result = lint('UPDATE orders SET note = upper(note)')

        then:
        result.exitCode == 1
        findings(result) == ['plan.groovy:3 [warning] unbatched-write: UPDATE of every row of existing table public.orders'
                                     + ' (~50 rows, 8192 bytes)' + WHY + "backfill { table 'orders'; set 'note = upper(note)' }"]

        when: 'the suggested block runs'
        def run = runSuggested(findings(result)[0])

        then: 'it leaves the rows as the UPDATE would'
        run.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM orders WHERE note = upper(note)").n } == 50
    }

    def "an UPDATE with a WHERE on a big table carries the WHERE into the block"() {
        when:
        def result = lint("UPDATE orders\n   SET note = 'it''s ' || note   -- mark\n WHERE amount > 10 AND note <> 'x';")

        then:
        findings(result) == ['plan.groovy:3 [warning] unbatched-write: UPDATE of existing table public.orders (~50 rows, 8192'
                                     + ' bytes) by a WHERE that does not pick its rows by a unique key, so possibly many of them,'
                                     + WHY + "backfill { table 'orders'; set 'note = \\'it\\'\\'s \\' || note'; where 'amount > 10 AND note <> \\'x\\'' }"]

        when:
        def run = runSuggested(findings(result)[0])

        then:
        run.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) FILTER (WHERE note LIKE 'it''s n%') AS marked, count(*) AS n FROM orders") } ==
                [marked: 40, n: 50]
    }

    def "no finding: a small table, a WHERE on a unique key, a table the plan creates, a step that is a backfill already"() {
        expect:
        findings(lint('UPDATE tiny SET note = upper(note)')) == []
        findings(lint('UPDATE orders SET note = upper(note)', [])) == []  // 50 rows: below the default 100000
        findings(lint('UPDATE orders SET note = upper(note) WHERE id = 7')) == []
        findings(lint("UPDATE orders SET note = 'x' WHERE code IN ('c1', 'c2') AND amount > 0")) == []
        findings(lint('DELETE FROM orders WHERE orders.id = 3 RETURNING id')) == []
        findings(lint('CREATE TABLE fresh (id int PRIMARY KEY, n int); UPDATE fresh SET n = 1')) == []

        when:
        Path p = files.write('plan.groovy', '''
            plan('p') {
                step('fill') {
                    backfill { table 'orders'; set 'note = upper(note)' }
                }
            }
        ''')
        def backfill = MigCli.run(['lint', p.toString(), '--url', url, '--large-table-rows', '10'])

        then:
        backfill.exitCode == 0
        findings(backfill) == []
    }

    def "a WHERE with OR or a range on the key is reported: it may change many rows"() {
        expect:
        findings(lint('UPDATE orders SET note = null WHERE id = 1 OR amount > 3'))[0].endsWith(
                "backfill { table 'orders'; set 'note = null'; where 'id = 1 OR amount > 3' }")
        findings(lint('UPDATE orders SET note = null WHERE id BETWEEN 1 AND 40'))[0].endsWith(
                "backfill { table 'orders'; set 'note = null'; where 'id BETWEEN 1 AND 40' }")
    }

    def "UPDATE with an alias or FROM, and DELETE, become a backfill statement with {range}, which runs"() {
        when:
        def update = lint('UPDATE orders o SET customer_id = c.id FROM customers c WHERE c.name = o.note')
        def delete = lint('DELETE FROM orders WHERE amount <= 5')

        then:
        findings(update)[0].endsWith("backfill { table 'orders'; statement 'UPDATE orders o SET customer_id = c.id FROM"
                + " customers c WHERE {range o} AND (c.name = o.note)' }")
        findings(delete)[0].startsWith('plan.groovy:3 [warning] unbatched-write: DELETE of existing table public.orders')
        findings(delete)[0].endsWith("backfill { table 'orders'; statement 'DELETE FROM orders WHERE {range} AND (amount <= 5)' }")

        when:
        def first = runSuggested(findings(update)[0])
        def second = runSuggested(findings(delete)[0], 'fix2')

        then:
        first.exitCode == 0
        second.exitCode == 0
        sql { Sql s -> s.firstRow('SELECT count(*) FILTER (WHERE customer_id = id) AS linked, count(*) AS n FROM orders') } ==
                [linked: 45, n: 45]
    }

    def "a composite primary key gets the block, which batches along it; a table without a primary key is told to name a key"() {
        given:
        sql { Sql s ->
            s.execute("""CREATE TABLE loose (code text NOT NULL, note text); CREATE UNIQUE INDEX loose_code ON loose (code);
                         INSERT INTO loose SELECT 'k' || g, 'x' FROM generate_series(1, 50) g; ANALYZE loose""")
        }

        when:
        def pairs = findings(lint("UPDATE pairs SET note = 'y'"))
        def loose = findings(lint("UPDATE loose SET note = 'y'"))

        then:
        pairs == ['plan.groovy:3 [warning] unbatched-write: UPDATE of every row of existing table public.pairs (~50 rows,'
                          + ' 8192 bytes)' + WHY + "backfill { table 'pairs'; set 'note = \\'y\\'' }"]
        loose == ['plan.groovy:3 [warning] unbatched-write: UPDATE of every row of existing table public.loose (~50 rows,'
                          + ' 8192 bytes) in one transaction: every row it changes stays locked until the step commits, so the'
                          + ' application\'s writes to those rows wait behind it, and the one long transaction writes all the new row'
                          + ' versions at once (a burst of WAL that replicas replay late, dead rows vacuum cannot remove until it ends);'
                          + ' write it as a batched backfill in a step of its own, which batches along a primary key or a unique key of'
                          + " NOT NULL columns (public.loose has no primary key: name such a key with key '...' in the block,"
                          + " backfill { table 'loose'; set 'note = \\'y\\'' })"]

        when: 'the composite key\'s block runs'
        def run = runSuggested(pairs[0])

        then:
        run.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) FILTER (WHERE note = 'y') AS y FROM pairs").y } == 50
    }

    def "without a target: an UPDATE or DELETE without WHERE is reported, one with a WHERE is not; lint { allow } takes it"() {
        given:
        Path p = files.write('plan.groovy', '''\
            plan('p') {
                step('a') {
                    transaction false
                    sql 'UPDATE sales.orders SET flag = true; DELETE FROM audit; UPDATE orders SET flag = true WHERE id < 10'
                }
                step('b') {
                    lint { allow 'unbatched-write' }
                    sql 'UPDATE orders SET flag = false'
                }
            }
        ''')

        when:
        def result = MigCli.run(['lint', '--no-target', p.toString()])

        then:
        result.exitCode == 1
        findings(result) == [
                'plan.groovy:4 [warning] unbatched-write: UPDATE of every row of table sales.orders (not created by this plan)'
                        + ' in one statement: every row it changes stays locked until the statement ends, so the application\'s'
                        + ' writes to those rows wait behind it, and the one long transaction writes all the new row versions at'
                        + ' once (a burst of WAL that replicas replay late, dead rows vacuum cannot remove until it ends); write'
                        + ' instead, in a step of its own (batches of 1000 keys along the primary key, each its own short'
                        + " transaction, resumed where it stopped): backfill { table 'sales.orders'; set 'flag = true' }",
                'plan.groovy:4 [warning] unbatched-write: DELETE of every row of table public.audit (not created by this plan)'
                        + ' in one statement: every row it changes stays locked until the statement ends, so the application\'s'
                        + ' writes to those rows wait behind it, and the one long transaction writes all the new row versions at'
                        + ' once (a burst of WAL that replicas replay late, dead rows vacuum cannot remove until it ends); write'
                        + ' instead, in a step of its own (batches of 1000 keys along the primary key, each its own short'
                        + " transaction, resumed where it stopped): backfill { table 'audit'; statement 'DELETE FROM audit WHERE {range}' }"]
        result.out.readLines().last() == '2 findings (2 warnings) in 1 of 2 steps; 1 more allowed by lint { allow } (exit 1)'
    }

    def "without a target: an alias and USING go into the statement with {range alias}; a name {range} cannot qualify gets no block"() {
        given:
        Path p = files.write('plan.groovy', """\
            plan('p') {
                step('a') {
                    sql '''DELETE FROM audit a USING users u WHERE u.id = a.user_id;
                           DELETE FROM audit a USING users u;
                           UPDATE "Orders" SET n = c.n FROM counts c'''
                }
            }
        """)

        when:
        def found = findings(MigCli.run(['lint', '--no-target', p.toString()]))

        then: 'the DELETE with a WHERE is not reported without a target; the others are'
        found.size() == 2
        found[0].endsWith("backfill { table 'audit'; statement 'DELETE FROM audit a USING users u WHERE {range a}' }")
        found[1].contains('UPDATE of every row of table public.Orders (not created by this plan)')
        found[1].endsWith('; write it as a batched backfill in a step of its own (docs/DSL.md, Batched backfills)')
    }
}
