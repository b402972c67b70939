package dev.mig.plan

import dev.mig.api.ExitCode
import dev.mig.model.Action
import dev.mig.model.Guard
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import spock.lang.Specification
import spock.lang.Unroll

import java.nio.file.Path

class PlanLoaderSpec extends Specification {

    static Path fixture(String name) {
        Path.of(PlanLoaderSpec.getResource("/plans/errors/${name}").toURI())
    }

    @Unroll
    def "#file is reported at line #line with '#text', exit 2, before any connection"() {
        when: 'run against a port where nothing listens: a connection attempt would exit 6'
        def result = MigCli.run(['run', '--url', 'jdbc:postgresql://127.0.0.1:1/none', fixture(file).toString()])

        then:
        result.exitCode == ExitCode.PLAN_ERROR.code()
        result.err.contains("${file}:${line}: ")
        result.err.contains(text)
        !result.err.contains('\tat ')   // no stack trace

        where:
        file                        | line | text
        'syntax-error.groovy'       | 6    | 'syntax error'
        'unknown-element.groovy'    | 4    | "unknown element 'verfy' in step 'one'"
        'unknown-element.groovy'    | 4    | "did you mean 'verify'?"
        'unknown-in-verify.groovy'  | 6    | "unknown element 'colums' in table 'a'"
        'unknown-in-verify.groovy'  | 6    | "did you mean 'column' or 'columns'?"
        'duplicate-step.groovy'     | 6    | "duplicate step name 'create users' (first defined at line 2)"
        'requires-unknown.groovy'   | 5    | "requires unknown step 'create user'"
        'requires-unknown.groovy'   | 5    | "did you mean 'create users'?"
        'requires-later.groovy'     | 2    | "requires 'create users', which comes later (line 6)"
        'undo-settings.groovy'      | 5    | "transaction inside undo"
        'missing-sql-file.groovy'   | 3    | "sqlFile 'sql/does-not-exist.sql' not found"
        'no-plan.groovy'            | 1    | 'the file defines no plan'
        'top-level-typo.groovy'     | 1    | "unknown element 'plna' at the top of the plan"
        'top-level-typo.groovy'     | 1    | "did you mean 'plan'?"
        'wrong-arguments.groovy'    | 4    | "wrong arguments for dropConstraintNamed in the cleanup block of step 'one': ('a', 'b')"
        'cleanup-arguments.groovy'  | 4    | "wrong arguments for dropPoliciesOn in the cleanup block of step 'clean': ('docs', 'notes')"
        'cleanup-arguments.groovy'  | 4    | "usage: dropPoliciesOn 'table'"
        'cleanup-arguments.groovy'  | 5    | "wrong arguments for dropTypeIfUnused in the cleanup block of step 'clean': (cascade: true, 'mood')"
        'cleanup-arguments.groovy'  | 6    | "usage: dropOrphanedSequences()  or  dropOrphanedSequences schema: 'name'"
        'cleanup-arguments.groovy'  | 7    | 'unknown option cascade of dropOrphanedSequences'
        'cleanup-arguments.groovy'  | 8    | 'dropFunctionOverloads takes a name without an argument list: it drops every overload'
        'cleanup-arguments.groovy'  | 9    | 'dropTriggersOn needs a name'
        'cleanup-arguments.groovy'  | 10   | 'unknown option kind of dropRelationNamed'
        'cleanup-arguments.groovy'  | 11   | "dropConstraintNamed: invalid name '\"unterminated': unterminated quote"
        'cleanup-arguments.groovy'  | 12   | "dropOrphanedSequences schema: invalid name 'a.b': expected a single identifier"
        'cleanup-arguments.groovy'  | 13   | "dropRelationNamed kinds: [index, indexes] is not a list of index, sequence, table, view, materialized view"
        'wrong-usage.groovy'        | 2    | "wrong arguments for searchPath in plan 'wrong usage': ('kb', 1)"
        'wrong-usage.groovy'        | 2    | "usage: searchPath 'kb', 'public'  or  searchPath(['kb', 'public'])  or  searchPath 'kb, public'"
        'wrong-usage.groovy'        | 4    | "wrong arguments for requires in step 'a': (1)"
        'wrong-usage.groovy'        | 4    | "usage: requires 'create users', 'create roles'"
        'wrong-usage.groovy'        | 6    | "wrong arguments for table in the verify block of step 'a': ('a', 'b')"
        'wrong-usage.groovy'        | 6    | "usage: table 't'  or  table('t') { columns 3; column('c') { type 'text' } }"
        'wrong-usage.groovy'        | 7    | "wrong arguments for primaryKey in table 'a': (1)"
        'wrong-usage.groovy'        | 7    | "usage: primaryKey 'id'  or  primaryKey 'tenant_id', 'id'"
        'wrong-usage.groovy'        | 8    | "wrong arguments for unique in index 'i': ('yes')"
        'wrong-usage.groovy'        | 8    | 'usage: unique true'
        'wrong-usage.groovy'        | 9    | "wrong arguments for column in absent: (1)"
        'wrong-usage.groovy'        | 9    | "usage: column 'table.column'  or  column 'table', 'column'"
        'wrong-usage.groovy'        | 10   | "wrong arguments for labels in enum type 'e': (1)"
        'wrong-usage.groovy'        | 10   | "usage: labels 'sad', 'ok', 'happy'  (in order)"
        'wrong-usage.groovy'        | 12   | "wrong arguments for allow in the lint block of step 'a': (1)"
        'wrong-usage.groovy'        | 12   | "usage: allow 'index-not-concurrently', 'table-rewrite'  (the rules: "
        'wrong-usage.groovy'        | 13   | "wrong arguments for dropTriggersOn in the cleanup block of step 'a': ('a', 'b')"
        'wrong-usage.groovy'        | 13   | "usage: dropTriggersOn 'table'"
        'wrong-usage.groovy'        | 15   | "wrong arguments for transaction in afterRun: ('no')"
        'wrong-usage.groovy'        | 15   | 'usage: transaction false'
        'wrong-usage.groovy'        | 16   | "wrong arguments for step in plan 'wrong usage': ('b')"
        'wrong-usage.groovy'        | 16   | "usage: step('name') { sql '...' }"
        'top-level-usage.groovy'    | 1    | "wrong arguments for recipe at the top of the plan file: ('clear name')"
        'top-level-usage.groovy'    | 1    | "usage: recipe('name') { String param -> ... }  or  recipe('name', description: 'what it does') { ... }"
        'top-level-usage.groovy'    | 2    | 'wrong arguments for ident: (no arguments)'
        'top-level-usage.groovy'    | 2    | "usage: ident('name')  or  ident('schema', 'name')"
        'top-level-usage.groovy'    | 3    | "wrong arguments for plan at the top of the plan file: ('top level usage')"
        'top-level-usage.groovy'    | 3    | "usage: plan('name') { step('first') { sql '...' } }"
        'hidden-word.groovy'        | 5    | "the parameter 'table' hides the DSL word 'table': table(...) here calls the parameter, not the word"
        'hidden-word.groovy'        | 5    | 'hint: rename the parameter (tableName, say) and pass it to the word: table tableName'
        'hidden-word.groovy'        | 9    | "the variable 'index' hides the DSL word 'index': index(...) here calls the variable, not the word"
        'hidden-word.groovy'        | 9    | 'hint: rename the variable (indexName, say) and pass it to the word: index indexName'
        'retries.groovy'            | 2    | "retries 'often' is not a whole number of 0 or more"
        'retries.groovy'            | 4    | 'retries -1 is not a whole number of 0 or more'
        'retries.groovy'            | 8    | 'retries 2.5 is not a whole number of 0 or more'
        'retries.groovy'            | 8    | 'usage: retries 3  (a whole number, 0 for none)'
        'retries.groovy'            | 13   | "retries 3 in step 'c', which has transaction false"
        'retries.groovy'            | 13   | 'a step without a transaction is not retried'
        'non-transactional.groovy'  | 3    | "CREATE INDEX CONCURRENTLY cannot run inside a transaction, and step 'index items'"
        'non-transactional.groovy'  | 3    | 'hint: write transaction false in the step'
        'non-transactional.groovy'  | 10   | "VACUUM cannot run inside a transaction, and step 'maintenance'"
        'non-transactional.groovy'  | 18   | "ALTER SYSTEM cannot run inside a transaction, and step 'server settings'"
        'non-transactional.groovy'  | 19   | "CREATE DATABASE cannot run inside a transaction, and step 'server settings'"
    }

    def "statements that cannot run in a transaction are found in plan text and SQL files, never in strings or comments"() {
        when:
        new PlanLoader().load(fixture('non-transactional.groovy'))

        then: 'the plan lines first, then those of the SQL file; the step with transaction false is fine'
        PlanException e = thrown()
        e.problems().collect { "${it.location()}: ${it.message().substring(0, it.message().indexOf(' cannot'))}".toString() }
                .collect { it.substring(it.lastIndexOf('/') + 1) } == [
                'non-transactional.groovy:3: CREATE INDEX CONCURRENTLY',
                'non-transactional.groovy:10: VACUUM',
                'non-transactional.groovy:18: ALTER SYSTEM',
                'non-transactional.groovy:19: CREATE DATABASE',
                'non-transactional.sql:3: DROP INDEX CONCURRENTLY',
                'non-transactional.sql:4: REINDEX CONCURRENTLY',
        ]
        e.problems()[4].message() ==~ /DROP INDEX CONCURRENTLY cannot run inside a transaction, and step 'from a file' \(.*non-transactional.groovy:14\) runs in one/
    }

    def "every problem of a plan is reported at once, in line order"() {
        when:
        new PlanLoader().load(fixture('many-problems.groovy'))

        then:
        PlanException e = thrown()
        e.problems()*.location()*.line() == [5, 6, 8, 10, 11]
        e.problems()[0].message().contains("duplicate step name 'a'")
        e.problems()[1].message().contains("unknown element 'sqll'")
        e.problems()[2].message().contains("requires unknown step 'zzz'")
        e.problems()[3].message().contains("sqlFile 'nope.sql' not found")
        e.problems()[4].message().contains("'soon' is not a duration")
    }

    def "mig check reports problems with exit 2 and a valid plan with exit 0"() {
        given:
        def files = new PlanFiles()
        def good = files.write('good.groovy', """
            plan('good') {
                step('a') { sql 'SELECT 1' }
            }
        """)

        expect:
        MigCli.run(['check', fixture('duplicate-step.groovy').toString()]).exitCode == 2
        with(MigCli.run(['check', good.toString()])) {
            exitCode == 0
            out.contains("plan 'good'")
            out.contains('1 step, no problems found')
        }
    }

    def "a missing plan file is one clear line with exit 2"() {
        when:
        def result = MigCli.run(['check', '/no/such/plan.groovy'])

        then:
        result.exitCode == 2
        result.err.contains('/no/such/plan.groovy: plan file not found')
        !result.err.contains('Exception')
    }

    def "every wrong call in a cleanup block is its own problem, at its own line"() {
        when:
        new PlanLoader().load(fixture('cleanup-arguments.groovy'))

        then:
        PlanException e = thrown()
        e.problems()*.location()*.line() == (4..13).toList()
    }

    def "the model records every element with its plan line"() {
        given:
        def files = new PlanFiles()
        files.write('sql/users.sql', 'CREATE TABLE users (id int);\n')
        def planFile = files.write('model.groovy', """\
            plan('model') {
                lockTimeout '2s'
                retries 1
                step('users') {
                    description 'the users table'
                    guard(onFalse: 'fail', message: 'needs pg 13') { serverVersion >= 130000 }
                    sqlFile 'sql/users.sql'
                    sql 'SELECT 1'
                    groovy { db -> db.execute('SELECT 2') }
                    verify { table('users') { columns 1 } }
                    lockTimeout '1s'
                    statementTimeout '10min'
                    retries 3
                    tags 'core', 'users'
                }
                step('index') {
                    requires 'users'
                    transaction false
                    runAlways true
                    sql 'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_id ON users (id)'
                }
            }
        """)

        when:
        def plan = new PlanLoader().load(planFile)
        def users = plan.steps()[0]
        def index = plan.steps()[1]

        then:
        plan.name() == 'model'
        plan.settings().lockTimeout() == '2s'
        users.location().line() == 4
        users.description() == 'the users table'
        users.guards()[0].onFalse() == Guard.OnFalse.FAIL
        users.guards()[0].location().line() == 6
        users.actions()*.getClass() == [Action.Sql, Action.Sql, Action.Code]
        (users.actions()[0] as Action.Sql).fromFile()
        users.actions()[1].location().line() == 8
        users.verify().expectations().size() == 1
        users.lockTimeout() == '1s'
        users.statementTimeout() == '10min'
        plan.settings().retries() == 1
        users.retries() == 3
        index.retries() == null
        users.retriesWith(plan.settings()) == 3
        index.retriesWith(plan.settings()) == 0     // transaction false: never retried
        users.tags() == ['core', 'users'] as Set
        users.transactional()
        !index.transactional()
        index.runAlways()
        index.requires() == ['users']
        users.checksum().startsWith('v1:')
    }

    def "checksums ignore formatting and comments but see every change of content"() {
        given:
        def files = new PlanFiles()
        def checksum = { String body ->
            def f = files.write("c${body.hashCode()}.groovy", "plan('c') {\n step('s') {\n${body}\n }\n}\n")
            new PlanLoader().load(f).steps()[0].checksum()
        }
        def original = checksum("sql 'CREATE TABLE t (id int)'\nverify { table 't' }")

        expect:
        checksum("sql '''CREATE   TABLE t\n  (id int) -- the table\n'''\n\n  verify {   table 't'   }") == original
        checksum("sql 'CREATE TABLE t (id int)'\r\nverify { table 't' }") == original
        checksum("sql 'CREATE TABLE t (id bigint)'\nverify { table 't' }") != original
        checksum("sql 'CREATE TABLE t (id int)'\nverify { table 'u' }") != original
        checksum("sql 'CREATE TABLE t (id int)'\nverify { table 't' }\ntransaction false") != original
        checksum("description 'words'\nsql 'CREATE TABLE t (id int)'\nverify { table 't' }") == original
    }

    def "every cleanup action and its options are part of the checksum"() {
        given:
        def files = new PlanFiles()
        def checksum = { String cleanup ->
            def f = files.write("k${cleanup.hashCode()}.groovy", "plan('k') {\n step('s') {\n cleanup {\n${cleanup}\n }\n }\n}\n")
            new PlanLoader().load(f).steps()[0].checksum()
        }
        def actions = ["dropConstraintNamed 'x'", "dropRelationNamed 'x'", "dropRelationNamed 'x', kinds: ['index']",
                       "dropIndexIfInvalid 'x'", "dropFunctionOverloads 'x'", "dropPoliciesOn 'x'", "dropTriggersOn 'x'",
                       "dropTypeIfUnused 'x'", "dropTypeIfUnused 'y'", "dropOrphanedSequences()",
                       "dropOrphanedSequences schema: 'x'", "dropOrphanedSequences schema: 'y'"]
        def sums = actions.collect { checksum(it) }

        expect: 'each differs from every other, and from no cleanup at all'
        sums.toSet().size() == actions.size()
        !sums.contains(checksum(''))

        and: 'layout does not count, order does'
        checksum("dropOrphanedSequences(schema: 'x')") == checksum("dropOrphanedSequences   schema: \"x\"")
        checksum("dropPoliciesOn 'a'\ndropTriggersOn 'a'") != checksum("dropTriggersOn 'a'\ndropPoliciesOn 'a'")

        and: 'actions written before this change keep the checksum they had'
        checksum("dropConstraintNamed 'x'") == 'v1:' + Checksums.sha256("cleanup dropConstraintNamed x {}\nverify\n\ntransaction true\n")
    }

    def "a character above U+FFFF that straddles the parser's 4096-char reads is read once"() {
        given: 'an emoji placed at every offset around the first two read boundaries'
        def files = new PlanFiles()
        def offsets = (4088..4100) + (8184..8196)

        expect:
        offsets.every { int at ->
            String head = "plan('p') {\n    step('s') {\n        description '"
            String pad = 'x' * (at - head.length())
            String text = "${head}${pad}\"\"🐘'\n    }\n}\n"
            def plan = new PlanLoader().load(files.write("emoji-${at}.groovy", text))
            String description = plan.steps()[0].description()
            assert description == pad + '""🐘' : "emoji at UTF-16 offset ${at}: ${description.codePoints().toArray().toList().takeRight(4).collect { Integer.toHexString(it) }}"
            true
        }
    }
}
