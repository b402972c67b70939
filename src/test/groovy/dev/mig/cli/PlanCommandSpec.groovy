package dev.mig.cli

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

import java.nio.file.Path

class PlanCommandSpec extends DatabaseSpec {

    Path plan

    def setup() {
        files.write('sql/books.sql', '''\
            -- books and their authors
            CREATE TABLE books (
                id        bigint PRIMARY KEY,
                author_id bigint NOT NULL REFERENCES authors (id),
                title     text NOT NULL
            );

            CREATE INDEX books_author ON books (author_id);
        ''')
        plan = files.write('bookshop.groovy', '''\
            plan('bookshop') {
                step('create authors') {
                    sql 'CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)'
                }
                step('create books') {
                    description 'Books, each by one author'
                    requires 'create authors'
                    guard { !table('books').exists() }
                    sqlFile 'sql/books.sql'
                    verify { table('books') { columns 3 }; index 'books_author' }
                }
                step('add isbn') {
                    requires 'create books'
                    guard(message: 'books.isbn exists already') { !column('books', 'isbn').exists() }
                    cleanup { dropRelationNamed 'books_isbn_key', kinds: ['index'] }
                    sql """ALTER TABLE books
                             ADD COLUMN isbn text;
                           CREATE UNIQUE INDEX books_isbn_key ON books (isbn)"""
                }
                step('seed authors') {
                    guard(onFalse: 'fail', message: 'authors must be empty') { value('SELECT count(*) FROM authors') == 0 }
                    groovy { db -> db.execute("INSERT INTO authors VALUES (1, 'Le Guin')") }
                }
                step('legacy cleanup') {
                    guard { table('legacy_books').exists() }
                    sql 'DROP TABLE legacy_books'
                }
                step('grants') {
                    runAlways true
                    sql 'GRANT SELECT ON authors TO PUBLIC'
                }
            }
        ''')
    }

    MigCli migPlan(String... args) {
        MigCli.run(['plan', '--url', url] + (args as List))
    }

    /** What a change would show: relations, schemas, and every journal row with its update time. */
    Map fingerprint() {
        sql { Sql s ->
            def journal = s.firstRow("SELECT to_regclass('mig.steps') IS NOT NULL AS j").j
            [relations: s.firstRow('SELECT count(*) AS n FROM pg_class').n,
             schemas  : s.firstRow('SELECT count(*) AS n FROM pg_namespace').n,
             steps    : journal ? s.rows('SELECT step, status, checksum, updated_at, guard_evidence::text AS e FROM mig.steps ORDER BY step')*.toSpreadMap() : null,
             history  : journal ? s.firstRow('SELECT count(*) AS n FROM mig.history').n : null,
             authors  : s.firstRow("SELECT to_regclass('authors') IS NOT NULL AS a").a
                     ? s.firstRow('SELECT count(*) AS n FROM authors').n : null]
        }
    }

    boolean journalSchemaAbsent() {
        sql { Sql s -> s.firstRow("SELECT to_regnamespace('mig') IS NULL AS absent").absent }
    }

    /** The output with the temporary folder cut off the file names. */
    String shown(MigCli result) {
        result.out.replace(files.dir.toString() + '/', '')
    }

    def "on a fresh database every step is pending: guards' answers, cleanup, SQL at file and plan lines; no journal is created"() {
        given:
        def before = fingerprint()

        when:
        def result = migPlan(plan.toString())
        def out = shown(result)

        then:
        result.exitCode == 0
        out.readLines()[0].startsWith("plan 'bookshop' (bookshop.groovy), 6 steps, on postgresql://postgres@localhost:")
        out.readLines()[0].endsWith('nothing is changed, and every guard is asked of the database as it is now, before any pending step runs')

        and: 'a step without guards, with inline SQL at its plan line'
        out.contains('''\
              pending         create authors  would run
                              bookshop.groovy:3  CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)
            '''.stripIndent())

        and: 'sqlFile statements at their lines in the file, first line only; description, requires, guard, verify'
        out.contains('''\
              pending         create books  would run
                              Books, each by one author
                              requires 'create authors'
                              guard at bookshop.groovy:8 (skip) is true
                                read table books: does not exist
                              sql/books.sql:2  CREATE TABLE books ( ... (4 more lines, -v shows them)
                              sql/books.sql:8  CREATE INDEX books_author ON books (author_id)
                              verify: 2 expectations (bookshop.groovy:10), checked before commit
            '''.stripIndent())

        and: 'cleanup actions as written, and each inline statement at its own plan line'
        out.contains('''\
                              cleanup dropRelationNamed 'books_isbn_key', kinds: ['index']  (bookshop.groovy:15)
                              bookshop.groovy:16  ALTER TABLE books ... (1 more line, -v shows them)
                              bookshop.groovy:18  CREATE UNIQUE INDEX books_isbn_key ON books (isbn)
            '''.stripIndent())

        and: 'a guard that throws is shown as such (the table a pending step creates is not there yet), with a note saying why it may differ'
        out.contains('''\
              pending         seed authors  would fail: its guard at bookshop.groovy:21 throws
                              guard at bookshop.groovy:21 (fail) throws relation "authors" does not exist (SQL State 42P01)
                                read value('SELECT count(*) FROM authors') failed: relation "authors" does not exist
                              note: asked of the database as it is now; 3 earlier steps would run first and may change the answer
            '''.stripIndent())

        and: 'a false guard: skipped, with what it read; the steps after it still show'
        out.contains('''\
              pending         legacy cleanup  would be skipped: guard is false (bookshop.groovy:25)
                              guard at bookshop.groovy:25 (skip) is false
                                read table legacy_books: does not exist
            '''.stripIndent())
        !out.contains('DROP TABLE legacy_books')
        out =~ /(?m)^  pending\s+grants  would run$/
        out.readLines().last() == '4 would run, 1 would be skipped, 1 would fail, 0 applied earlier'

        and: 'nothing changed: no journal, no table'
        journalSchemaAbsent()
        fingerprint() == before
    }

    def "-v prints whole statements"() {
        when:
        def result = migPlan('-v', plan.toString())

        then:
        result.exitCode == 0
        shown(result).contains('''\
                              sql/books.sql:2
                                CREATE TABLE books (
                                    id        bigint PRIMARY KEY,
                                    author_id bigint NOT NULL REFERENCES authors (id),
                                    title     text NOT NULL
                                )
                              sql/books.sql:8
                                CREATE INDEX books_author ON books (author_id)
            '''.stripIndent())
        shown(result).contains('''\
                              bookshop.groovy:16
                                ALTER TABLE books
                                  ADD COLUMN isbn text
            '''.stripIndent())
        journalSchemaAbsent()
    }

    def "on a partly applied database: applied steps by date and user, the others with their guards' answers now; nothing changes"() {
        given:
        assert mig('--until', 'add isbn', plan.toString()).exitCode == 0
        sql { Sql s -> s.execute("INSERT INTO authors VALUES (7, 'Tolkien')") }
        def before = fingerprint()

        when:
        def result = migPlan(plan.toString())
        def out = shown(result)

        then:
        result.exitCode == 0
        out =~ /(?m)^  applied\s+create authors  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by postgres$/
        out =~ /(?m)^  applied\s+create books  .* by postgres\n\s+Books, each by one author\n  applied\s+add isbn/
        !out.contains('books.sql')

        and: 'a precondition that is false: the step would fail, and the guard says what it read'
        out.contains('''\
              pending         seed authors  would fail: precondition failed: authors must be empty (bookshop.groovy:21)
                              guard at bookshop.groovy:21 (fail) is false: authors must be empty
                                read value('SELECT count(*) FROM authors') = 1
            '''.stripIndent())
        !out.contains('groovy block')
        out.readLines().last() == '1 would run, 1 would be skipped, 1 would fail, 3 applied earlier'

        and:
        fingerprint() == before
    }

    def "states from the journal: skipped and failed earlier, interrupted, runs always; a guard's answer comes from now"() {
        given:
        def p = files.write('states.groovy', '''\
            plan('states') {
                step('flag') { guard { table('flag').exists() }; sql 'SELECT 1' }
                step('broken') { sql 'SELECT 1/0' }
                step('always') { runAlways true; sql 'SELECT 1' }
                step('concurrent') {
                    transaction false
                    groovy { db -> db.execute('SELECT 1') }
                }
            }
        ''')
        assert mig('--keep-going', p.toString()).exitCode == 1
        sql { Sql s ->
            s.execute('CREATE TABLE flag (id int)')
            s.execute("UPDATE mig.steps SET status = 'running' WHERE step = 'concurrent'")
        }

        when:
        def result = migPlan(p.toString())
        def out = shown(result)

        then:
        result.exitCode == 0
        out.contains('''\
              skipped earlier flag  would run
                              guard at states.groovy:2 (skip) is true
                                read table public.flag: exists
            '''.stripIndent())
        out =~ /(?m)^  failed earlier\s+broken  would run$/
        out =~ /(?m)^  runs always\s+always  applied \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, runs on every run; would run$/
        out =~ /(?m)^  interrupted\s+concurrent  would run \(no transaction\)$/
        out.contains('groovy block at states.groovy:7')
    }

    def "a guard that throws or tries to write is shown, not a crash, and the read-only transaction keeps the database as it was"() {
        given:
        def p = files.write('throws.groovy', '''\
            plan('throws') {
                step('boom') {
                    guard {
                        throw new IllegalStateException('boom')
                    }
                    sql 'CREATE TABLE boom (id int)'
                }
                step('sneaky') {
                    guard { value('CREATE TABLE sneaky (id int)') == null }
                    sql 'SELECT 1'
                }
                step('after') {
                    guard { serverVersion > 90000 }
                    sql 'CREATE TABLE after_them (id int)'
                }
            }
        ''')
        def before = fingerprint()

        when:
        def result = migPlan(p.toString())
        def out = shown(result)

        then:
        result.exitCode == 0
        out.contains('  pending         boom  would fail: its guard at throws.groovy:4 throws')
        out.contains('guard at throws.groovy:3 (skip) throws IllegalStateException: boom')
        out.contains('guard at throws.groovy:9 (skip) throws cannot execute CREATE TABLE in a read-only transaction (SQL State 25006)')
        out =~ /(?m)^  pending\s+after  would run$/
        out =~ /read serverVersion = \d+/
        out.contains('throws.groovy:14  CREATE TABLE after_them (id int)')
        !exists('sneaky')
        journalSchemaAbsent()
        fingerprint() == before
    }

    def "false warn guards: the step would run with each warning, and a skip or fail guard after them still decides"() {
        given:
        def p = files.write('warns.groovy', '''\
            plan('warns') {
                step('two warnings') {
                    guard(onFalse: 'warn', message: 'no flag yet') { table('flag').exists() }
                    guard(onFalse: 'warn') { table('other_flag').exists() }
                    guard { true }
                    sql 'CREATE TABLE warned (id int)'
                }
                step('warn then skip') {
                    guard(onFalse: 'warn', message: 'no flag yet') { table('flag').exists() }
                    guard(message: 'nothing to do') { false }
                    sql 'CREATE TABLE skipped (id int)'
                }
                step('warn then fail') {
                    guard(onFalse: 'warn', message: 'no flag yet') { table('flag').exists() }
                    guard(onFalse: 'fail', message: 'must not run') { false }
                    sql 'CREATE TABLE failed (id int)'
                }
            }
        ''')

        when:
        def result = migPlan(p.toString())
        def out = shown(result)

        then:
        result.exitCode == 0
        out.contains('  pending         two warnings  would run: with a warning: no flag yet (warns.groovy:3); '
                + 'with a warning: guard is false (warns.groovy:4)')
        out.contains('guard at warns.groovy:5 (skip) is true')
        out.contains('  pending         warn then skip  would be skipped: nothing to do (warns.groovy:10)')
        out.contains('guard at warns.groovy:9 (warn) is false: no flag yet')
        out.contains('  pending         warn then fail  would fail: precondition failed: must not run (warns.groovy:15)')
        out.contains('1 would run, 1 would be skipped, 1 would fail, 0 applied earlier')
        journalSchemaAbsent()

        when: 'a run decides the same from the same answers'
        def run = MigCli.run(['run', '--url', url, '--keep-going', p.toString()])

        then:
        run.exitCode == 1
        run.out.contains('warning: no flag yet (') && run.out.contains('warns.groovy:3); running the step anyway')
        run.out.contains('warning: guard is false (') && run.out.contains('warns.groovy:4); running the step anyway')
        exists('warned') && !exists('skipped') && !exists('failed')
        sql { Sql s -> s.rows("SELECT step, status FROM mig.steps ORDER BY step").collectEntries { [it.step, it.status] } } ==
                ['two warnings': 'applied', 'warn then fail': 'failed', 'warn then skip': 'skipped']
    }

    def "a drifted applied step exits 5, as status does"() {
        given:
        assert mig('--until', 'create books', plan.toString()).exitCode == 0
        files.write('sql/books.sql', '''\
            CREATE TABLE books (id bigint PRIMARY KEY, author_id bigint, title text);
            CREATE INDEX books_author ON books (author_id);
        ''')
        def before = fingerprint()

        when:
        def result = migPlan(plan.toString())
        def out = shown(result)

        then:
        result.exitCode == 5
        out =~ /(?m)^  DRIFTED\s+create books  changed since it was applied \S+ \S+; a run stops before running anything$/
        out =~ /(?m)^  pending\s+add isbn  would run$/
        out.readLines().last() == '3 would run, 1 would be skipped, 0 would fail, 1 applied earlier, 1 drifted: a run would stop before running anything (exit 5)'
        fingerprint() == before
    }

    def "plan needs a target (exit 2); a plan error exits 2 and an unreachable target 6"() {
        given:
        def broken = files.write('broken.groovy', "plan('broken') { step('a') { requires 'nope' } }")

        expect:
        with(MigCli.run(['plan', plan.toString()], [:])) {
            exitCode == 2
            err.contains('plan needs a database: none was given')
        }
        with(migPlan(broken.toString())) {
            exitCode == 2
            err.contains('broken.groovy:1')
        }
        with(MigCli.run(['plan', '--url', 'postgres://app@127.0.0.1:1/app', plan.toString()])) {
            exitCode == 6
            err.startsWith('mig: cannot connect to postgresql://app@127.0.0.1:1/app')
        }
    }
}
