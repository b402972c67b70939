package dev.mig.cli

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/** docs/DSL.md section 12, "Environments": mig.groovy, --env, --config. */
class EnvironmentsSpec extends DatabaseSpec {

    Path plan

    def setup() {
        plan = files.write('app.groovy', "plan('envs') { step('a') { sql 'CREATE TABLE envs_a (id int)' } }")
    }

    Path config(String text) {
        Files.writeString(plan.resolveSibling('mig.groovy'), text)
    }

    def "--env takes the url and journal schema of the environment in mig.groovy beside the plan"() {
        given:
        config """
            environments {
                dev { url '${url}'; journalSchema 'mig_dev' }
                prod { url env('PROD_DATABASE_URL') }
            }
            """.stripIndent()

        when:
        def r = MigCli.run(['run', '--env', 'dev', plan.toString()])

        then:
        r.exitCode == 0
        exists('envs_a')
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM mig_dev.steps").n } == 1
    }

    def "env('NAME') reads a variable; a missing one names the variable and the config line"() {
        given:
        config """\
            environments {
                dev { url '${url}' }
                prod {
                    url env('PROD_DATABASE_URL')
                }
            }
            """.stripIndent()

        when:
        def ok = MigCli.run(['status', '--env', 'prod', plan.toString()], [PROD_DATABASE_URL: url])
        def missing = MigCli.run(['status', '--env', 'prod', plan.toString()])
        def other = MigCli.run(['status', '--env', 'dev', plan.toString()])

        then:
        ok.exitCode == 0
        other.exitCode == 0
        missing.exitCode == 2
        missing.err.contains('mig.groovy:4')
        missing.err.contains('environment variable PROD_DATABASE_URL is not set')
    }

    def "a password written in a config url is refused, exit 2, without printing it"() {
        given:
        config "environments {\n  prod { url ${literal} }\n}\n"

        when:
        def r = MigCli.run(['plan', '--env', 'prod', plan.toString()], [PW: 'fromenv'])

        then:
        r.exitCode == 2
        r.err.contains('mig.groovy:2')
        r.err.contains('password written in its url')
        r.err.contains('PGPASSWORD')
        !r.output.contains('s3cret')

        where:
        literal << ["'postgres://u:s3cret@h/db'", "'jdbc:postgresql://h/db?user=u&password=s3cret'",
                    "\"postgres://u:s3cret\${env('PW')}@h/db\""]
    }

    def "a password from env() inside the url is accepted"() {
        given:
        config "environments {\n  prod { url \"postgres://u:\${env('PW')}@localhost:1/db\" }\n}\n"

        when:
        def r = MigCli.run(['status', '--env', 'prod', plan.toString()], [PW: 'fromenv'])

        then: 'it gets as far as connecting (nothing listens on port 1)'
        r.exitCode == 6
        !r.output.contains('fromenv')
    }

    def "an unknown environment lists the known ones and suggests the nearest"() {
        given:
        config "environments {\n  dev { url 'postgres://me@localhost/app_dev' }\n  prod { url 'postgres://me@db/app' }\n}\n"

        when:
        def r = MigCli.run(['lint', '--env', 'prd', plan.toString()])

        then:
        r.exitCode == 2
        r.err.contains("no environment 'prd'")
        r.err.contains('it defines dev, prod')
        r.err.contains("did you mean 'prod'?")
    }

    def "syntax errors and unknown settings carry file:line"() {
        given:
        config text

        when:
        def r = MigCli.run(['run', '--env', 'dev', plan.toString()])

        then:
        r.exitCode == 2
        r.err.contains(where)
        r.err.contains(message)

        where:
        text                                                            | where          | message
        "environments {\n  dev { url 'postgres://me@h/db'\n}\n"         | 'mig.groovy:1' | 'syntax error'
        "environments {\n  dev {\n    ulr 'postgres://me@h/db'\n  }\n}" | 'mig.groovy:3' | "did you mean 'url'?"
        "environments {\n  dev {\n    lockTimeout 'soon'\n  }\n}"      | 'mig.groovy:3' | "'soon' is not a duration for lockTimeout"
    }

    def "--url and --journal-schema win over the environment; without --env the config is not read; --config names another file"() {
        given:
        config "this is not groovy {"
        def other = files.write('elsewhere.groovy', "environments { ci { url 'postgres://nobody@localhost:1/none'; journalSchema 'from_env' } }")

        when: 'no --env: the broken mig.groovy is never read'
        def plain = MigCli.run(['status', '--url', url, plan.toString()])

        then:
        plain.exitCode == 0

        when:
        def r = MigCli.run(['run', '--config', other.toString(), '--env', 'ci', '--url', url, '--journal-schema', 'from_cli', plan.toString()])

        then:
        r.exitCode == 0
        sql { Sql s -> s.firstRow("SELECT count(*) AS n FROM from_cli.steps").n } == 1
        sql { Sql s -> s.firstRow("SELECT to_regnamespace('from_env') IS NULL AS absent").absent }
    }

    def "an environment's lockTimeout and statementTimeout replace the plan's defaults in runs; a step's own stays"() {
        given:
        config """
            environments {
                prod { url '${url}'; lockTimeout '250ms'; statementTimeout '7s' }
            }
            """.stripIndent()
        def timeouts = files.write('timeouts.groovy', """
            plan('timeouts') {
                lockTimeout '5s'
                step('record defaults') {
                    sql "CREATE TABLE seen AS SELECT 'plan' AS step, current_setting('lock_timeout') AS lt, current_setting('statement_timeout') AS st"
                }
                step('its own') {
                    lockTimeout '2s'
                    sql "INSERT INTO seen SELECT 'own', current_setting('lock_timeout'), current_setting('statement_timeout')"
                }
            }
        """)

        when:
        def r = MigCli.run(['run', '--env', 'prod', timeouts.toString()])

        then:
        r.exitCode == 0
        sql { Sql s -> s.rows('SELECT step, lt, st FROM seen ORDER BY step')*.values()*.toList() } ==
                [['own', '2s', '7s'], ['plan', '250ms', '7s']]
    }

    def "a lock timeout from an environment is named as the environment's in the hint, not as the plan's 5s default"() {
        given:
        def configFile = config """
            environments {
                prod { url '${url}'; lockTimeout '150ms' }
            }
            """.stripIndent()
        sql { Sql s -> s.execute('CREATE TABLE items (id int)') }
        def blocker = TestPostgres.connect(db)
        blocker.autoCommit = false
        blocker.createStatement().execute('SELECT * FROM items')
        def locked = files.write('locked.groovy', """
            plan('locked') {
                step('add column') { sql 'ALTER TABLE items ADD COLUMN name text' }
            }
        """)

        when:
        def r = MigCli.run(['run', '--env', 'prod', locked.toString()])

        then:
        r.exitCode == 1
        r.out.contains('SQL State: 55P03')
        r.out.contains("mig hint:  lock_timeout 150ms fired (the lockTimeout of environment 'prod' of ${configFile}): the statement waited that long")
        !r.out.contains('5s unless the plan sets one')

        cleanup:
        blocker?.close()
    }
}
