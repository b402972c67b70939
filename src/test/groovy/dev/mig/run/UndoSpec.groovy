package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.Fingerprint
import dev.mig.testing.MigCli
import groovy.sql.Sql

class UndoSpec extends DatabaseSpec {

    static final String SHOP = """
        plan('shop') {
            step('authors') {
                sql 'CREATE TABLE authors (id int PRIMARY KEY)'
                undo { sql 'DROP TABLE authors' }
            }
            step('books') {
                sql 'CREATE TABLE books (id int PRIMARY KEY)'
                undo { sql 'DROP TABLE books' }
            }
            step('tags') {
                sql 'CREATE TABLE tags (id int)'
                undo { sql 'DROP TABLE tags' }
            }
        }
    """

    MigCli undo(String... args) {
        MigCli.run(['undo', '--url', url] + (args as List))
    }

    Map<String, String> steps() {
        sql { Sql s -> s.rows('SELECT step, status FROM mig.steps ORDER BY position').collectEntries { [it.step, it.status] } }
    }

    List<List<String>> history() {
        sql { Sql s -> s.rows('SELECT step, outcome FROM mig.history ORDER BY id').collect { [it.step, it.outcome] } }
    }

    Map fingerprint() {
        sql { Sql s -> Fingerprint.of(s) }
    }

    def "undo runs the undo blocks of the last N applied steps, newest first, and a later run applies them again"() {
        given:
        def plan = files.write('shop.groovy', SHOP)
        assert mig(plan.toString()).exitCode == 0

        when:
        def result = undo('--steps', '2', plan.toString())

        then:
        result.exitCode == 0
        result.out =~ /(?s)  undone\s+tags  \(\d+ ms\)\n  undone\s+books  \(\d+ ms\)\n/
        result.out.readLines().last() ==~ /undone 2 steps in \d+\.\d s; a later mig run applies them again \(exit 0\)/

        and: 'their changes are gone, the older step is untouched'
        exists('authors')
        !exists('books')
        !exists('tags')

        and: 'their journal rows are gone, so they are pending; the history says they were undone'
        steps() == [authors: 'applied']
        history().takeRight(2) == [['tags', 'undone'], ['books', 'undone']]

        when: 'the next run'
        def again = mig(plan.toString())

        then:
        again.exitCode == 0
        again.out =~ /(?m)^  applied\s+books/
        again.out =~ /(?m)^  applied\s+tags/
        exists('books')
        exists('tags')
    }

    def "--steps defaults to 1"() {
        given:
        def plan = files.write('shop.groovy', SHOP)
        assert mig(plan.toString()).exitCode == 0

        when:
        def result = undo(plan.toString())

        then:
        result.exitCode == 0
        !exists('tags')
        exists('books')
        steps() == [authors: 'applied', books: 'applied']
    }

    def "a step without an undo block among the N stops undo before anything runs"() {
        given:
        def plan = files.write('shop.groovy', """
            plan('shop') {
                step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY)' }
                step('books') {
                    sql 'CREATE TABLE books (id int PRIMARY KEY)'
                    undo { sql 'DROP TABLE books' }
                }
            }
        """)
        assert mig(plan.toString()).exitCode == 0
        def before = fingerprint()

        when:
        def result = undo('--steps', '2', plan.toString())

        then:
        result.exitCode == 2
        result.err.contains("step 'authors' has no undo block (")
        result.err.contains('nothing was undone')
        fingerprint() == before
        exists('books')
    }

    def "a failing undo stops with the failure block; what was undone before it stays undone and journalled"() {
        given:
        def plan = files.write('shop.groovy', """
            plan('shop') {
                step('authors') {
                    sql 'CREATE TABLE authors (id int PRIMARY KEY)'
                    undo { sql 'DROP TABLE authors' }
                }
                step('books') {
                    sql 'CREATE TABLE books (id int PRIMARY KEY)'
                    undo {
                        sql 'DROP TABLE books'
                        sql 'DROP TABLE bookz'
                    }
                }
                step('tags') {
                    sql 'CREATE TABLE tags (id int)'
                    undo { sql 'DROP TABLE tags' }
                }
            }
        """)
        assert mig(plan.toString()).exitCode == 0

        when:
        def result = undo('--steps', '3', plan.toString())

        then:
        result.exitCode == 1
        result.out =~ /(?m)^  undone\s+tags/
        result.out =~ /(?m)^  FAILED\s+books/
        result.out.contains('SQL State: 42P01')
        result.out.contains('table "bookz" does not exist')
        result.out.contains('Effect:    the undo was rolled back; the step stays applied')
        result.out =~ /(?m)^  not run\s+authors  an earlier undo failed$/
        result.out.readLines().last() ==~ /stopped: the undo of 'books' failed in .*; 1 step undone before it stays undone \(exit 1\)/

        and:
        !exists('tags')
        exists('books')
        exists('authors')
        steps() == [authors: 'applied', books: 'applied']
        history().takeRight(2) == [['tags', 'undone'], ['books', 'undo-failed']]
    }

    def "refusals: nothing applied, more steps than applied, --steps 0, no target"() {
        given:
        def plan = files.write('shop.groovy', SHOP)

        expect: 'a fresh database: nothing applied, and no journal is created'
        with(undo(plan.toString())) {
            exitCode == 2
            err.contains("no step of plan 'shop' is applied on this database; nothing was undone")
        }
        sql { Sql s -> s.firstRow("SELECT to_regnamespace('mig') IS NULL AS absent").absent }

        when:
        assert mig(plan.toString()).exitCode == 0
        def before = fingerprint()

        then:
        with(undo('--steps', '4', plan.toString())) {
            exitCode == 2
            err.contains("--steps 4 asks for more than the 3 applied steps of plan 'shop'; nothing was undone")
        }
        with(undo('--steps', '0', plan.toString())) {
            exitCode == 2
            err.contains('--steps must be 1 or more, not 0')
        }
        with(MigCli.run(['undo', plan.toString()])) {
            exitCode == 2
            err.contains('mig undo needs a database: none was given')
        }
        fingerprint() == before
    }

    def "a step without a transaction is undone without one"() {
        given:
        def plan = files.write('index.groovy', """
            plan('shop') {
                step('authors') { sql 'CREATE TABLE authors (id int PRIMARY KEY, name text)' }
                step('index') {
                    transaction false
                    sql 'CREATE INDEX CONCURRENTLY authors_name ON authors (name)'
                    undo { sql 'DROP INDEX CONCURRENTLY authors_name' }
                }
            }
        """)
        assert mig(plan.toString()).exitCode == 0

        when:
        def result = undo(plan.toString())

        then:
        result.exitCode == 0
        !exists('authors_name')
        steps() == [authors: 'applied']
    }

    def "runAlways steps without an undo block are passed over, said so, and not counted in --steps"() {
        given: 'runAlways steps are applied again by every run, so they are always the newest applied'
        def plan = files.write('grants.groovy', """
            plan('shop') {
                step('authors') {
                    sql 'CREATE TABLE authors (id int PRIMARY KEY)'
                    undo { sql 'DROP TABLE authors' }
                }
                step('books') {
                    sql 'CREATE TABLE books (id int PRIMARY KEY)'
                    undo { sql 'DROP TABLE books' }
                }
                step('grants') {
                    runAlways true
                    sql 'COMMENT ON TABLE books IS \\'granted\\''
                }
            }
        """)
        assert mig(plan.toString()).exitCode == 0

        when:
        def result = undo('--steps', '1', plan.toString())

        then: 'the newest undoable step is undone; the runAlways one is named, not undone'
        result.exitCode == 0
        result.out =~ /(?m)^  skipped\s+grants  \(0 ms\)  runs always and has no undo block: not undone, not counted in --steps; the next run applies it again$/
        result.out =~ /(?m)^  undone\s+books/
        result.out.readLines().last().startsWith('undone 1 step in ')
        !exists('books')
        exists('authors')
        steps() == [authors: 'applied', grants: 'applied']

        when: 'more than the undoable steps'
        def tooMany = undo('--steps', '2', plan.toString())

        then:
        tooMany.exitCode == 2
        tooMany.err.contains("--steps 2 asks for more than the 1 applied step of plan 'shop' that can be undone"
                + ' (steps that run always without an undo block are not counted); nothing was undone')
        tooMany.err.contains('pass --steps 1 or less')

        when: 'only the runAlways step is left'
        assert undo(plan.toString()).exitCode == 0
        def nothing = undo(plan.toString())

        then:
        nothing.exitCode == 2
        nothing.err.contains("the applied steps of plan 'shop' all run always and have no undo block; nothing was undone")
        steps() == [grants: 'applied']
    }
}
