package dev.mig.run

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.sql.Sql

/**
 * The run path in fewer round trips (issue 15): a step's timeouts sent with its first statement,
 * its journal rows as one statement with the COMMIT behind them, the journal checked and read at
 * once when it is ready. Each feature shows the outcome that the batched path must keep.
 */
class RoundTripSpec extends DatabaseSpec {

    List<Map> steps() {
        sql { Sql s -> s.rows('SELECT step, position, status, checksum, applied_at IS NOT NULL AS at, mig_version,'
                + ' guard_evidence::text AS evidence FROM mig.steps ORDER BY position')*.toSpreadMap() }
    }

    List<Map> history() {
        sql { Sql s -> s.rows('SELECT step, outcome, sqlstate, error, notices, checksum, placeholders::text AS placeholders,'
                + ' guard_evidence::text AS evidence FROM mig.history ORDER BY id')*.toSpreadMap() }
    }

    def "a step's timeouts hold for its first statement, which carries them, and end with its transaction"() {
        given:
        def plan = files.write('timeouts.groovy', """
            plan('timeouts') {
                lockTimeout '3s'
                step('first') {
                    statementTimeout '7s'
                    sql "CREATE TABLE seen AS SELECT 'first' AS step, current_setting('lock_timeout') AS lt, current_setting('statement_timeout') AS st"
                }
                step('second') {
                    lockTimeout '2s'
                    sql "INSERT INTO seen SELECT 'second', current_setting('lock_timeout'), current_setting('statement_timeout')"
                }
            }
        """)

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode == 0
        sql { Sql s -> s.rows('SELECT step, lt, st FROM seen ORDER BY step')*.toSpreadMap() } == [
                [step: 'first', lt: '3s', st: '7s'],
                [step: 'second', lt: '2s', st: '0']]
    }

    def "the timeouts reach the SQL behind a first action without a statement, and a groovy block first"() {
        given:
        def plan = files.write('late.groovy', """
            plan('late') {
                lockTimeout '4s'
                step('comments first') {
                    sql '-- nothing to run here'
                    sql "CREATE TABLE seen AS SELECT 'comments' AS step, current_setting('lock_timeout') AS lt"
                }
                step('groovy first') {
                    groovy { db -> db.execute("INSERT INTO seen SELECT 'groovy', current_setting('lock_timeout')") }
                    sql "INSERT INTO seen SELECT 'sql after groovy', current_setting('lock_timeout')"
                }
            }
        """)

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode == 0
        sql { Sql s -> s.rows('SELECT step, lt FROM seen ORDER BY step')*.toSpreadMap() } == [
                [step: 'comments', lt: '4s'], [step: 'groovy', lt: '4s'], [step: 'sql after groovy', lt: '4s']]
    }

    def "an error in the first statement names it, at its line, as when the timeouts went on their own"() {
        given:
        def plan = files.write('bad.groovy', """
            plan('bad') {
                step('typo') {
                    sql '''
                        CREATE TABLE ok (id int);
                        CREAT TABLE nope (id int);
                    '''
                }
                step('broken first') {
                    sql 'SELECT no_such_column FROM pg_class'
                }
            }
        """)

        when:
        def run = mig(plan.toString(), '--keep-going')

        then:
        run.exitCode == 1
        run.out.contains('CREAT TABLE nope (id int)')
        run.out.contains('syntax error at or near "CREAT"')
        run.out =~ /bad\.groovy:6/
        run.out.contains('column "no_such_column" does not exist')
        run.out =~ /bad\.groovy:10/
        // the caret where the server's position says: that statement's own, not shifted by the settings before it
        run.out.contains('Statement: SELECT no_such_column FROM pg_class\n' + ' ' * 24 + '^')
        !exists('ok')
        steps()*.status == ['failed', 'failed']
        history()*.outcome == ['failed', 'failed']
        history()*.sqlstate == ['42601', '42703']
    }

    def "the journal rows of applied and skipped steps commit with the step, with every column as before"() {
        given:
        def plan = files.write('rows.groovy', """
            plan('rows') {
                step('make t') {
                    sql 'CREATE TABLE t (id int)'
                }
                step('maybe') {
                    guard { table('absent_table').exists() }
                    sql 'CREATE TABLE never (id int)'
                }
                step('notice') {
                    sql '''DO \$\$ BEGIN RAISE NOTICE 'hello'; END \$\$'''
                }
            }
        """)

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode == 0
        def rows = steps()
        rows*.step == ['make t', 'maybe', 'notice']
        rows*.position == [0, 1, 2]
        rows*.status == ['applied', 'skipped', 'applied']
        rows*.at == [true, false, true]
        rows.every { it.checksum.startsWith('v1:') && it.mig_version }
        rows[1].evidence.contains('absent_table')
        def hist = history()
        hist*.step == ['make t', 'maybe', 'notice']
        hist*.outcome == ['applied', 'skipped', 'applied']
        hist*.checksum == rows*.checksum
        hist[1].evidence == rows[1].evidence
        hist[2].notices == 'NOTICE: hello'
        exists('t') && !exists('never')
    }

    def "a step that fails after it was applied keeps its applied row; only the history says it failed"() {
        given:
        def plan = files.write('always.groovy', """
            plan('always') {
                step('every run') {
                    runAlways true
                    sql 'CREATE TABLE once (id int)'
                }
            }
        """)

        when:
        def first = mig(plan.toString())
        def second = mig(plan.toString())

        then:
        first.exitCode == 0
        second.exitCode == 1
        steps()*.status == ['applied']
        history()*.outcome == ['applied', 'failed']
        history()[1].sqlstate == '42P07'
    }

    def "a COMMIT the server refuses (a deferred constraint) fails the run and leaves neither the step nor its rows"() {
        given:
        def plan = files.write('deferred.groovy', """
            plan('deferred') {
                step('parent') {
                    sql 'CREATE TABLE parent (id int PRIMARY KEY)'
                }
                step('orphan') {
                    sql '''
                        CREATE TABLE child (p int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);
                        INSERT INTO child VALUES (1);
                    '''
                }
            }
        """)

        when:
        def run = mig(plan.toString())

        then:
        run.exitCode == 1
        (run.out + run.err).contains('23503')
        !exists('child')
        steps()*.step == ['parent']
        history()*.step == ['parent']
    }

    // ---- the journal checked and read at once (JournalReady) ------------------------------------

    String twoSteps() {
        files.write('ready.groovy', """
            plan('ready') {
                step('one') { sql 'CREATE TABLE one (id int)' }
                step('two') { sql 'CREATE TABLE two (id int)' }
            }
        """).toString()
    }

    def "a rerun on a ready journal runs nothing and writes nothing"() {
        given:
        def plan = twoSteps()
        mig(plan)

        when:
        def rerun = mig(plan)

        then:
        rerun.exitCode == 0
        rerun.out.contains('0 applied, 0 skipped, 2 applied earlier')
        history()*.outcome == ['applied', 'applied']
        sql { Sql s -> s.firstRow('SELECT schema_version FROM mig.journal_meta').schema_version } == 5
    }

    /** A journal as mig wrote it before tenants (journal version 3): no tenant columns, the key (plan, step), the old index. */
    static final String V3_JOURNAL = '''UPDATE mig.journal_meta SET schema_version = 3;
        DROP INDEX mig.history_plan_tenant_step_idx; ALTER TABLE mig.steps DROP CONSTRAINT steps_pkey;
        ALTER TABLE mig.steps DROP COLUMN tenant; ALTER TABLE mig.history DROP COLUMN tenant;
        ALTER TABLE mig.steps ADD PRIMARY KEY (plan, step); CREATE INDEX history_plan_step_idx ON mig.history (plan, step, id)'''

    /** The upgrade from version 3: tenant columns, the key (plan, tenant, step), the new index instead of the old (and version 5's progress table). */
    static final String V4_KEY = '''SELECT (SELECT count(*) FROM pg_attribute WHERE attname = 'tenant'
            AND attrelid IN ('mig.steps'::regclass, 'mig.history'::regclass)) = 2
        AND (SELECT array_length(conkey, 1) FROM pg_constraint WHERE conrelid = 'mig.steps'::regclass AND contype = 'p') = 3
        AND to_regclass('mig.history_plan_step_idx') IS NULL AND to_regclass('mig.history_plan_tenant_step_idx') IS NOT NULL
        AND to_regclass('mig.progress') IS NOT NULL AND (SELECT schema_version FROM mig.journal_meta) = 5 AS ok'''

    def "a journal of version 3 is read by status as it is, without tenants"() {
        given:
        def plan = twoSteps()
        mig(plan)
        sql { Sql s -> s.execute(V3_JOURNAL) }

        when:
        def status = MigCli.run(['status', '--url', url, plan.toString()])

        then:
        status.exitCode == 0
        status.out.readLines().count { it ==~ /\s+applied\s+(one|two)\s.*/ } == 2
        status.out.contains('0 steps to run')
        sql { Sql s -> s.firstRow('SELECT schema_version FROM mig.journal_meta').schema_version } == 3
    }

    def "a journal that lacks what ensure makes is made whole again: #what"() {
        given:
        def plan = twoSteps()
        mig(plan)
        sql { Sql s -> s.execute(edit) }

        when:
        def rerun = mig(plan)

        then:
        rerun.exitCode == 0
        rerun.out.contains('2 applied earlier')
        sql { Sql s -> s.firstRow(check).ok }

        where:
        what                 | edit                                                         | check
        'the history index'  | 'DROP INDEX mig.history_plan_tenant_step_idx'                | "SELECT to_regclass('mig.history_plan_tenant_step_idx') IS NOT NULL AS ok"
        'the meta row'       | 'DELETE FROM mig.journal_meta'                               | 'SELECT schema_version = 5 AS ok FROM mig.journal_meta'
        'an older version'   | 'UPDATE mig.journal_meta SET schema_version = 2'             | 'SELECT schema_version = 5 AS ok FROM mig.journal_meta'
        'version 2 columns'  | 'UPDATE mig.journal_meta SET schema_version = 1; ALTER TABLE mig.history DROP COLUMN placeholders' | "SELECT count(*) = 1 AS ok FROM pg_attribute WHERE attrelid = 'mig.history'::regclass AND attname = 'placeholders'"
        'version 3, no tenants' | V3_JOURNAL                                             | V4_KEY
        'version 4, no progress' | 'UPDATE mig.journal_meta SET schema_version = 4; DROP TABLE mig.progress' | "SELECT to_regclass('mig.progress') IS NOT NULL AND schema_version = 5 AS ok FROM mig.journal_meta"
        'the progress table'  | 'DROP TABLE mig.progress'                                 | "SELECT to_regclass('mig.progress') IS NOT NULL AS ok"
    }

    def "a journal of a newer mig, or of another shape, is refused as before"() {
        given:
        def plan = twoSteps()
        mig(plan)
        sql { Sql s -> s.execute(edit) }

        when:
        def rerun = mig(plan)

        then:
        rerun.exitCode == exit
        (rerun.out + rerun.err).contains(message)

        where:
        edit                                                  | exit | message
        'UPDATE mig.journal_meta SET schema_version = 99'     | 1    | 'was written by a newer mig (journal version 99'
        'ALTER TABLE mig.steps DROP COLUMN mig_version'       | 2    | 'column mig.steps.mig_version is missing'
        "ALTER TABLE mig.steps DROP CONSTRAINT steps_status_check; UPDATE mig.steps SET status = 'done'" | 2 | "has status 'done', which mig never writes"
    }

    def "a changed step is drift on a ready journal too"() {
        given:
        def plan = twoSteps()
        mig(plan)
        files.write('ready.groovy', new File(plan).text.replace('CREATE TABLE two (id int)', 'CREATE TABLE two (id bigint)'))

        when:
        def rerun = mig(plan)

        then:
        rerun.exitCode == 5
        (rerun.out + rerun.err).contains('changed since they ran')
    }

    def "a role that may write the journal but not create in the database fails as before, where ensure fails"() {
        given:
        def plan = twoSteps()
        mig(plan)
        String role = db + '_writer'
        sql { Sql s ->
            s.execute("CREATE ROLE " + role + " LOGIN")
            s.execute("GRANT USAGE ON SCHEMA mig TO " + role)
            s.execute("GRANT ALL ON ALL TABLES IN SCHEMA mig TO " + role)
            s.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA mig TO " + role)
        }

        when:
        def rerun = dev.mig.testing.MigCli.run(['run', '--url', url.replace('user=postgres', 'user=' + role), plan])

        then:
        rerun.exitCode == 1
        (rerun.out + rerun.err).contains('permission denied for database')

        cleanup:
        sql { Sql s ->
            s.execute("DROP OWNED BY " + role)
            s.execute("DROP ROLE " + role)
        }
    }
}
