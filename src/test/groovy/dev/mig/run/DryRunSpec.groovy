package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.Fingerprint
import groovy.json.JsonSlurper
import groovy.sql.Sql

class DryRunSpec extends DatabaseSpec {

    static final String SHOP = """
        plan('shop') {
            step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' }
            step('seed') {
                requires 'authors'
                sql "INSERT INTO authors VALUES (1, 'Ada')"
                sql "DO 'BEGIN RAISE NOTICE ''seeded''; END'"
                verify { table('authors') { columns 2 } }
            }
            step('stale') {
                guard(message: 'no legacy table') { table('legacy').exists() }
                sql 'DROP TABLE legacy'
            }
            step('books') { sql 'CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors (id))' }
        }
    """

    Map fingerprint() {
        sql { Sql s -> Fingerprint.of(s) }
    }

    def "a dry run runs every step on the real target and leaves the catalog, the data and the journal as they were"() {
        given: 'a database on which a real run already applied the first step'
        def first = files.write('first.groovy', """
            plan('shop') { step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' } }
        """)
        assert mig(first.toString()).exitCode == 0
        def plan = files.write('shop.groovy', SHOP)
        def report = files.dir.resolve('report.json')
        def before = fingerprint()

        when:
        def result = mig('--dry-run', '--report', "json:${report}", plan.toString())

        then: 'it reports what a run would do, step by step'
        result.exitCode == 0
        result.out.contains('dry run: one transaction, rolled back at the end')
        result.out =~ /(?m)^  applied\s+seed  \(\d+ ms\)$/
        result.out =~ /(?m)^      NOTICE: seeded  \[rolled back\]$/
        result.out =~ /(?m)^  skipped\s+stale  \(\d+ ms\)  no legacy table/
        result.out =~ /(?m)^  applied\s+books  \(\d+ ms\)$/
        result.out.contains('done in ')
        result.out.readLines().last() == 'dry run: rolled back, nothing was changed'

        and: 'nothing changed: catalog, rows and every journal row'
        fingerprint() == before
        sql { Sql s -> s.firstRow('SELECT count(*) AS n FROM authors').n } == 0

        and: 'the JSON report says it was a dry run'
        def json = new JsonSlurper().parse(report.toFile())
        json.dryRun == true
        json.steps*.outcome == ['already_applied', 'applied', 'skipped', 'applied']
    }

    def "on a database without a journal, a dry run creates it inside its transaction, so it is gone afterwards"() {
        given:
        def plan = files.write('shop.groovy', SHOP)
        def before = fingerprint()

        when:
        def result = mig('--dry-run', plan.toString())

        then:
        result.exitCode == 0
        before.journal == null
        fingerprint() == before
        sql { Sql s -> s.firstRow("SELECT to_regnamespace('mig') IS NULL AS absent").absent }
    }

    def "a failing step in a dry run is reported as in a run, exits 1, and still changes nothing"() {
        given:
        assert mig(files.write('first.groovy', """
            plan('shop') { step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' } }
        """).toString()).exitCode == 0
        def plan = files.write('broken.groovy', """
            plan('shop') {
                step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' }
                step('tags') { sql 'CREATE TABLE tags (id int)' }
                step('books') { sql 'CREATE TABLE books (id int, publisher_id int REFERENCES publishers (id))' }
                step('genres') { sql 'CREATE TABLE genres (id int)' }
            }
        """)
        def before = fingerprint()

        when:
        def result = mig('--dry-run', plan.toString())

        then: 'the failure block, then the steps after it not run, as in a run'
        result.exitCode == 1
        result.out =~ /(?m)^  applied\s+tags/
        result.out =~ /(?m)^  FAILED\s+books/
        result.out.contains('SQL State: 42P01')
        result.out.contains('relation "publishers" does not exist')
        result.out =~ /(?m)^  not run\s+genres  an earlier step failed$/
        result.out.readLines().last() == 'dry run: rolled back, nothing was changed'

        and:
        fingerprint() == before

        when: 'with --keep-going, the steps after the failure are tried, still in the one transaction'
        def going = mig('--dry-run', '--keep-going', plan.toString())

        then:
        going.exitCode == 1
        going.out =~ /(?m)^  applied\s+genres/
        fingerprint() == before
    }

    def "a step without a transaction is listed and not run, and so are the steps that require it"() {
        given:
        def plan = files.write('concurrent.groovy', """
            plan('shop') {
                step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' }
                step('index') {
                    transaction false
                    sql 'CREATE INDEX CONCURRENTLY authors_name ON authors (name)'
                }
                step('after index') { requires 'index'; sql 'CREATE TABLE x (id int)' }
                step('books') { sql 'CREATE TABLE books (id int)' }
            }
        """)
        def before = fingerprint()

        when:
        def result = mig('--dry-run', plan.toString())

        then:
        result.exitCode == 0
        result.out =~ /(?m)^  applied\s+authors/
        result.out =~ /(?m)^  not run\s+index  would run without a transaction; not run in a dry run$/
        result.out =~ /(?m)^  not run\s+after index  requires 'index', which is not run in a dry run$/
        result.out =~ /(?m)^  applied\s+books/
        fingerprint() == before
    }
}
