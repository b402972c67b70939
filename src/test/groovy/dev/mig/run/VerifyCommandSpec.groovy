package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.Fingerprint
import dev.mig.testing.MigCli
import groovy.sql.Sql

/** {@code mig verify PLAN}: the verify blocks of the applied steps, asked of the target as it is now. */
class VerifyCommandSpec extends DatabaseSpec {

    static final String SHOP = """
        plan('shop') {
            step('authors') {
                sql 'CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL)'
                verify { table('authors') { columns 2; column('name') { notNull true } } }
            }
            step('books') {
                sql 'CREATE TABLE books (id int PRIMARY KEY, title text, author_id int REFERENCES authors)'
                sql 'CREATE INDEX books_author_idx ON books (author_id)'
                verify {
                    table('books') { columns 3 }
                    index('books_author_idx') { valid true }
                }
            }
            step('grants') { sql 'GRANT SELECT ON authors TO PUBLIC' }
            verify { table('books') { foreignKey column: 'author_id', references: 'authors(id)' } }
        }
    """

    MigCli verify(String... args) {
        MigCli.run(['verify', '--url', url] + (args as List))
    }

    Map fingerprint() {
        sql { Sql s -> Fingerprint.of(s) }
    }

    def "on a database the plan was applied to, every verify holds: exit 0, and nothing changes"() {
        given:
        def plan = files.write('shop.groovy', SHOP)
        assert mig(plan.toString()).exitCode == 0
        def before = fingerprint()

        when:
        def result = verify(plan.toString())

        then:
        result.exitCode == 0
        result.out.readLines().first() ==~ /plan 'shop' \(.*shop\.groovy\) on postgresql:\/\/postgres@localhost:\d+\/verifycommand_\d+/
        result.out =~ /(?m)^  holds\s+authors  1 expectation$/
        result.out =~ /(?m)^  holds\s+books  2 expectations$/
        result.out =~ /(?m)^  no verify\s+grants  applied; nothing to check \(.*shop\.groovy:\d+\)$/
        result.out =~ /(?m)^  plan verify  holds  1 expectation$/
        result.out.readLines().last() == 'verify: 2 hold, 0 fail, 1 without verify, 0 not applied; nothing was changed (exit 0)'

        and: 'not a row of the journal, not an object of the catalog changed'
        fingerprint() == before
    }

    def "drift made by hand after the run fails the step's verify: exit 3 with what was found, and the journal is untouched"() {
        given:
        def plan = files.write('shop.groovy', SHOP)
        assert mig(plan.toString()).exitCode == 0
        sql { Sql s ->
            s.execute('ALTER TABLE authors ALTER COLUMN name DROP NOT NULL')
            s.execute('DROP INDEX books_author_idx')
            s.execute('ALTER TABLE books DROP CONSTRAINT books_author_id_fkey')
        }
        def before = fingerprint()

        when:
        def result = verify(plan.toString())

        then:
        result.exitCode == 3
        result.out =~ /(?m)^  FAILS\s+authors$/
        result.out =~ /(?m)^      verify: .*name.*(?i)not null.* \(.*shop\.groovy:5\)$/
        result.out =~ /(?m)^  FAILS\s+books$/
        result.out =~ /(?m)^      verify: .*books_author_idx.* \(.*shop\.groovy:12\)$/
        result.out =~ /(?m)^  plan verify  FAILS$/
        result.out =~ /(?m)^      verify: .*foreign key.* \(.*shop\.groovy:16\)$/
        result.out.readLines().last() == 'verify: 0 hold, 3 fail, 1 without verify, 0 not applied; nothing was changed (exit 3)'
        fingerprint() == before

        and: '-q prints only what does not hold, and the last line'
        with(verify('-q', plan.toString())) {
            exitCode == 3
            !out.contains('no verify')
            out.readLines().findAll { it.startsWith('  ') && !it.startsWith('      ') } == ['  FAILS        authors', '  FAILS        books', '  plan verify  FAILS']
            out.readLines().last().startsWith('verify: 0 hold, 3 fail')
        }

        and: 'status still says applied: verify judges the database, not the journal'
        MigCli.run(['status', '--url', url, plan.toString()]).out =~ /(?m)^  applied\s+authors/
    }

    def "steps not applied are not checked, nor the plan-level verify, and a target without a journal gets none created"() {
        given:
        def plan = files.write('shop.groovy', SHOP)

        when: 'nothing has run here'
        def none = verify(plan.toString())

        then:
        none.exitCode == 0
        none.out =~ /(?m)^  no journal in schema mig: no step is applied on this target$/
        none.out =~ /(?m)^  not applied  authors  pending; not checked$/
        none.out =~ /(?m)^  plan verify  not checked: it describes the end state, and not every step is applied$/
        !exists('mig.steps')

        when: 'only the first step ran, and a later step failed'
        mig(plan.toString(), '--until', 'authors')
        sql { Sql s -> s.execute('CREATE TABLE books (x int)') }
        mig(plan.toString())
        def some = verify(plan.toString())

        then:
        some.exitCode == 0
        some.out =~ /(?m)^  holds\s+authors  1 expectation$/
        some.out =~ /(?m)^  not applied  books  failed; not checked$/
        some.out =~ /(?m)^  not applied  grants  pending; not checked$/
    }

    def "a changed verify block is the one asked, and the step is said to have drifted"() {
        given:
        def plan = files.write('shop.groovy', SHOP)
        assert mig(plan.toString()).exitCode == 0
        files.write('shop.groovy', SHOP.replace("table('authors') { columns 2;", "table('authors') { columns 3;"))

        when:
        def result = verify(plan.toString())

        then:
        result.exitCode == 3
        result.out =~ /(?m)^  FAILS\s+authors; changed since it was applied \(mig status shows the drift\)$/
        result.out =~ /(?m)^      verify: table authors: expected 3 columns.*$/
    }

    def "verify needs a target, and an unreachable one is exit 6"() {
        given:
        def plan = files.write('shop.groovy', SHOP)

        expect:
        with(MigCli.run(['verify', plan.toString()])) {
            exitCode == 2
            err.contains('mig verify needs a database: none was given')
        }
        with(MigCli.run(['verify', '--url', 'postgres://nobody@127.0.0.1:1/x', plan.toString()])) {
            exitCode == 6
            err.contains('cannot connect to postgresql://nobody@127.0.0.1:1/x')
        }
    }
}
