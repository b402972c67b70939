package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

/** A journal that mig did not write as it is: a status it never writes, a column dropped, renamed or retyped. */
class EditedJournalSpec extends DatabaseSpec {

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
        }
    """

    MigCli command(String name, String plan) {
        MigCli.run([name, '--url', url, plan])
    }

    def "a row with a status mig never writes is named, for status, run, plan and undo: exit 2, no stack trace"() {
        given:
        def plan = files.write('shop.groovy', SHOP).toString()
        assert mig(plan).exitCode == 0
        sql { Sql s ->
            s.execute('ALTER TABLE mig.steps DROP CONSTRAINT steps_status_check')
            s.execute("UPDATE mig.steps SET status = 'done' WHERE step = 'books'")
        }

        expect:
        ['status', 'run', 'plan', 'undo'].each { name ->
            def result = command(name, plan)
            assert result.exitCode == 2: "$name: $result"
            assert result.err.contains("the journal in schema mig is not one mig wrote, or was edited: the row of plan 'shop',"
                    + " step 'books' has status 'done', which mig never writes (it writes applied, skipped, failed, running);"
                    + " nothing was done"): "$name: $result"
            assert result.err.contains("hint: set that row's status to what is true of the step"): "$name: $result"
            assert !result.output.contains('IllegalArgumentException'): "$name: $result"
            assert !result.output.contains('internal error'): "$name: $result"
        }
        exists('books')
    }

    def "a journal table of the wrong shape names the column, not privileges: #change"() {
        given:
        def plan = files.write('shop.groovy', SHOP).toString()
        assert mig(plan).exitCode == 0
        sql { Sql s -> s.execute(change) }

        expect:
        ['status', 'run', 'plan', 'undo'].each { name ->
            def result = command(name, plan)
            assert result.exitCode == 2: "$name: $result"
            assert result.err.contains('the journal in schema mig is not one mig wrote, or was edited: ' + message): "$name: $result"
            assert result.err.contains('hint: restore the journal tables from a backup'): "$name: $result"
            assert !result.output.contains('privileges'): "$name: $result"
        }

        where:
        change                                                            | message
        'ALTER TABLE mig.steps DROP COLUMN checksum'                      | 'column mig.steps.checksum is missing'
        'ALTER TABLE mig.steps RENAME COLUMN status TO state'              | 'column mig.steps.status is missing'
        'ALTER TABLE mig.steps ALTER COLUMN position TYPE text'           | 'column mig.steps.position is text, not integer'
        'ALTER TABLE mig.history DROP COLUMN outcome'                     | 'column mig.history.outcome is missing'
    }

    def "a column a team added is let be"() {
        given:
        def plan = files.write('shop.groovy', SHOP).toString()
        assert mig(plan).exitCode == 0
        sql { Sql s -> s.execute('ALTER TABLE mig.steps ADD COLUMN ticket text') }

        expect:
        command('status', plan).exitCode == 0
        command('undo', plan).exitCode == 0
        mig(plan).exitCode == 0
    }
}
