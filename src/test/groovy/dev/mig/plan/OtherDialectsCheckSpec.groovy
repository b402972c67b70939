package dev.mig.plan

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import groovy.json.JsonSlurper
import groovy.sql.Sql

import java.nio.file.Path

/**
 * SQL written the way MySQL, SQL Server or SQLite write it: what PostgreSQL cannot parse is a plan
 * error of mig check (and of lint and run, which load the plan the same way) at its file and line,
 * with the PostgreSQL way; a type or function name of another database is mig lint's other-dialect
 * finding, unless the plan or the target defines it. Nothing in a string, comment or dollar body.
 */
class OtherDialectsCheckSpec extends DatabaseSpec {

    /** Every kind in one plan: inline SQL (statements from plan line 4) and a SQL file. */
    static final String MYSQL_PLAN = """\
        plan('from mysql') {
            step('tables') {
                sql '''CREATE TABLE items (
                           id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
                           `name` varchar(40)
                       ) ENGINE=InnoDB'''
            }
            step('constraints') {
                sql 'ALTER TABLE items ADD CONSTRAINT IF NOT EXISTS items_name_unique UNIQUE (name)'
            }
            step('index') {
                transaction false
                sql 'CREATE INDEX IF NOT EXISTS CONCURRENTLY items_name ON items (name)'
            }
            step('more') {
                sqlFile 'sql/more.sql'
            }
        }
        """

    static final String MORE_SQL = '''\
        -- from SQL Server
        CREATE TABLE events (
            id int IDENTITY(1,1) PRIMARY KEY,
            body varchar(max)
        );
        '''

    Path write(String text, String sql = MORE_SQL) {
        files.write('sql/more.sql', sql)
        files.write('plan.groovy', text)
    }

    /** The stderr with the temporary folder cut off the file names. */
    String err(MigCli result) {
        result.err.replace(files.dir.toString() + '/', '')
    }

    def "mig check names every use PostgreSQL cannot parse at its line, with the PostgreSQL way, and exits 2"() {
        given:
        Path p = write(MYSQL_PLAN)

        when:
        def result = MigCli.run(['check', p.toString()])
        def err = err(result)

        then:
        result.exitCode == 2
        err.contains("plan.groovy:4: AUTO_INCREMENT is MySQL's: PostgreSQL cannot parse it (step 'tables')\n"
                + '    hint: write id integer GENERATED ALWAYS AS IDENTITY (BY DEFAULT instead of ALWAYS lets inserts give their'
                + ' own ids), or id bigserial')
        err.contains("plan.groovy:5: `name` is MySQL's quoting of names: PostgreSQL cannot parse it (step 'tables')\n"
                + '    hint: write name, or "name" to keep its case (PostgreSQL quotes names in double quotes)')
        err.contains("plan.groovy:6: ENGINE=InnoDB is MySQL's table option: PostgreSQL cannot parse it (step 'tables')\n"
                + '    hint: leave it out: PostgreSQL has no storage engines or row formats to choose')
        err.contains("plan.groovy:9: ADD CONSTRAINT IF NOT EXISTS is not PostgreSQL: ALTER TABLE has no IF NOT EXISTS for a"
                + " constraint, so PostgreSQL cannot parse it (step 'constraints')\n"
                + "    hint: write ALTER TABLE items ADD CONSTRAINT items_name_unique ... in a step of its own with"
                + " guard { !constraint('items', 'items_name_unique').exists() }")
        err.contains("plan.groovy:13: CREATE INDEX IF NOT EXISTS CONCURRENTLY is not PostgreSQL's order: PostgreSQL cannot"
                + " parse it (step 'index')\n"
                + '    hint: write CREATE INDEX CONCURRENTLY IF NOT EXISTS, in a step with transaction false')
        err.contains("sql/more.sql:3: IDENTITY(1,1) is SQL Server's: PostgreSQL cannot parse it (step 'more')\n"
                + '    hint: write id integer GENERATED ALWAYS AS IDENTITY')
        err.contains("sql/more.sql:4: varchar(max) is SQL Server's: PostgreSQL cannot parse it (step 'more')\n"
                + '    hint: write text (or varchar without a length)')
        err.readLines().count { it ==~ /^(plan\.groovy|sql\/more\.sql):\d+: .*/ } == 7
    }

    def "mig lint and mig run refuse the plan the same way, before anything runs"() {
        given:
        Path p = write(MYSQL_PLAN)

        when:
        def lint = MigCli.run(['lint', '--no-target', p.toString()])
        def run = mig(p.toString())

        then:
        lint.exitCode == 2
        err(lint).contains("plan.groovy:4: AUTO_INCREMENT is MySQL's: PostgreSQL cannot parse it (step 'tables')")
        run.exitCode == 2
        err(run).contains("sql/more.sql:4: varchar(max) is SQL Server's: PostgreSQL cannot parse it (step 'more')")
        sql { Sql s -> s.firstRow("SELECT to_regclass('mig.steps') IS NULL AS none").none }
    }

    def "the same words in strings, comments and dollar bodies, and as names, are not another database's"() {
        given:
        Path p = write("""\
            plan('postgres') {
                step('tables') {
                    sql '''-- was: id int NOT NULL AUTO_INCREMENT, ENGINE=InnoDB
                           CREATE TABLE items (
                               id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                               auto_increment int,          /* a column of that name; `not` a backtick name */
                               note text DEFAULT 'ADD CONSTRAINT IF NOT EXISTS, `x`, GETDATE(), datetime'
                           )'''
                    sql '''DO \$\$ BEGIN
                             EXECUTE 'CREATE INDEX IF NOT EXISTS CONCURRENTLY i ON items (id)';
                           END \$\$'''
                }
            }
            """, '-- ALTER TABLE items MODIFY note text\nSELECT 1;\n')

        when:
        def check = MigCli.run(['check', p.toString()])
        def lint = MigCli.run(['lint', '--no-target', p.toString()])

        then:
        check.exitCode == 0
        check.out.contains('no problems found')
        lint.exitCode == 0
    }

    def "the undo of a step and the hooks are read too"() {
        given:
        Path p = write("""\
            plan('undo') {
                step('items') {
                    sql 'CREATE TABLE items (id int)'
                    undo { sql 'ALTER TABLE items MODIFY id bigint' }
                }
                afterRun { sql 'INSERT INTO `log` VALUES (1)' }
            }
            """)

        when:
        def result = MigCli.run(['check', p.toString()])

        then:
        result.exitCode == 2
        err(result).contains("plan.groovy:4: MODIFY is MySQL's: PostgreSQL cannot parse it (the undo of step 'items')\n"
                + '    hint: write ALTER TABLE items ALTER COLUMN id TYPE bigint (NOT NULL and DEFAULT are actions of their own:'
                + ' ALTER COLUMN id SET NOT NULL, ALTER COLUMN id SET DEFAULT ...)')
        err(result).contains("plan.groovy:6: `log` is MySQL's quoting of names: PostgreSQL cannot parse it (the afterRun hook)")
    }

    // ---- mig lint: type and function names of other databases ----------------------------------

    static final String NAMES_PLAN = """\
        plan('names') {
            step('events') {
                sql '''CREATE TABLE events (
                           id bigint PRIMARY KEY,
                           at datetime DEFAULT GETDATE(),
                           done tinyint(1),
                           title nvarchar(max)
                       )'''
            }
        }
        """

    List<String> findings(MigCli result) {
        result.out.readLines().findAll { it ==~ /^\S+:\d+ \[(warning|error)\] .*/ }
                .collect { it.replace(files.dir.toString() + '/', '') }
    }

    def "mig lint reports a type or function of another database as other-dialect at its line, with the PostgreSQL way"() {
        given:
        Path p = write(NAMES_PLAN)

        when:
        def check = MigCli.run(['check', p.toString()])
        def lint = MigCli.run(['lint', '--no-target', p.toString()])
        def json = MigCli.run(['lint', '--no-target', '--format', 'json', p.toString()])
        def doc = new JsonSlurper().parseText(json.out) as Map

        then: 'check passes: a database may define these names itself'
        check.exitCode == 0
        lint.exitCode == 1
        findings(lint) == [
                "plan.groovy:5 [error] other-dialect: datetime is a MySQL and SQL Server type: PostgreSQL has no such type"
                        + " (unless this database defines one); write timestamp (or timestamptz, which keeps the time zone)",
                "plan.groovy:5 [error] other-dialect: GETDATE() is a SQL Server function: PostgreSQL has no such function"
                        + " (unless this database defines one); write now() (or CURRENT_TIMESTAMP)",
                "plan.groovy:6 [error] other-dialect: tinyint(1) is a MySQL and SQL Server type: PostgreSQL has no such type"
                        + " (unless this database defines one); write boolean (MySQL's tinyint(1) is its boolean)",
                "plan.groovy:7 [error] other-dialect: nvarchar(max) is a SQL Server type: PostgreSQL has no such type"
                        + " (unless this database defines one); write text",
        ]
        lint.out.readLines().last() == '4 findings (4 errors) in 1 of 1 step (exit 1)'
        json.exitCode == 1
        doc.findings*.rule == ['other-dialect'] * 4
        doc.findings[0].line == 5
        doc.findings[0].fix == 'write timestamp (or timestamptz, which keeps the time zone)'
    }

    def "a name the plan defines earlier, or the target has, is not reported; lint { allow } leaves the rest"() {
        given:
        sql { Sql s ->
            s.execute('CREATE DOMAIN datetime AS timestamptz')
            s.execute('CREATE FUNCTION getdate() RETURNS timestamptz LANGUAGE sql AS $$ SELECT now() $$')
        }
        Path onTarget = files.write('on-target.groovy', NAMES_PLAN)
        Path inPlan = files.write('in-plan.groovy', """\
            plan('in plan') {
                step('types') {
                    sql 'CREATE DOMAIN tinyint AS smallint'
                    sql 'CREATE FUNCTION ifnull(a int, b int) RETURNS int LANGUAGE sql AS \$\$ SELECT coalesce(a, b) \$\$'
                }
                step('use') {
                    sql 'CREATE TABLE flags (done tinyint, n int DEFAULT ifnull(NULL, 0), m mediumint)'
                    lint { allow 'other-dialect' }
                }
            }
            """)

        when:
        def target = MigCli.run(['lint', '--url', url, onTarget.toString()])
        def plan = MigCli.run(['lint', '--no-target', inPlan.toString()])

        then: 'on the target datetime and getdate() exist'
        findings(target)*.replaceAll(/: .*/, '') == ['on-target.groovy:6 [error] other-dialect', 'on-target.groovy:7 [error] other-dialect']
        target.exitCode == 1
        plan.exitCode == 0
        plan.out.readLines().last() == 'no findings in 2 steps; 1 allowed by lint { allow } (exit 0)'
    }
}
