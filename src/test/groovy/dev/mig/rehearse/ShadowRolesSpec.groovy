package dev.mig.rehearse

import dev.mig.testing.DatabaseSpec
import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Path

/**
 * Roles belong to the server, not to the database pg_dump copies: rehearse recreates the
 * target's roles in the shadow, without passwords, so that a plan granting to them rehearses
 * as it will run (issue 11, item 24).
 */
class ShadowRolesSpec extends DatabaseSpec {

    static final String APP = 'rehearse_app_user'
    static final String READERS = 'rehearse_readers'

    def setup() {
        sql { Sql s ->
            s.execute("""DO \$\$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$READERS') THEN CREATE ROLE $READERS NOLOGIN; END IF;
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP') THEN
                    CREATE ROLE $APP LOGIN PASSWORD 'rehearse-secret-pw' CONNECTION LIMIT 7 IN ROLE $READERS;
                END IF;
            END \$\$""".toString())
            s.execute('CREATE TABLE authors (id bigint PRIMARY KEY, name text NOT NULL)')
            s.execute('ALTER TABLE authors ENABLE ROW LEVEL SECURITY')
            s.execute("CREATE POLICY readers_see_all ON authors FOR SELECT TO $READERS USING (true)".toString())
        }
    }

    /** A stand-in for pg_dump 17 that writes what pg_dump --schema-only --no-owner --no-privileges writes for the target. */
    Path fakePgDump() {
        Path dump = files.write('target-schema.sql', """\
            SET statement_timeout = 0;
            CREATE TABLE public.authors (id bigint NOT NULL, name text NOT NULL);
            ALTER TABLE ONLY public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);
            ALTER TABLE public.authors ENABLE ROW LEVEL SECURITY;
            CREATE POLICY readers_see_all ON public.authors FOR SELECT TO $READERS USING (true);
            """)
        Path fake = files.write('bin/pg_dump', """\
            #!/bin/sh
            if [ "\$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 17.0"; exit 0; fi
            cat '$dump'
            """)
        fake.toFile().setExecutable(true)
        fake
    }

    def "a plan that grants to the target's roles rehearses on an embedded shadow; the roles come without passwords"() {
        given:
        Path plan = files.write('grants.groovy', """\
            plan('grants') {
                step('grant to the app') {
                    sql 'GRANT SELECT ON authors TO $APP; GRANT INSERT ON authors TO $READERS'
                }
                step('the roles are as on the target, but without a password') {
                    sql '''DO \$\$ BEGIN
                        IF (SELECT rolpassword FROM pg_authid WHERE rolname = '$APP') IS NOT NULL THEN RAISE EXCEPTION 'a password was copied'; END IF;
                        IF NOT pg_has_role('$APP', '$READERS', 'MEMBER') THEN RAISE EXCEPTION 'the membership was not copied'; END IF;
                        IF NOT (SELECT rolcanlogin AND rolconnlimit = 7 FROM pg_roles WHERE rolname = '$APP') THEN RAISE EXCEPTION 'LOGIN or CONNECTION LIMIT was not copied'; END IF;
                        IF (SELECT rolcanlogin FROM pg_roles WHERE rolname = '$READERS') THEN RAISE EXCEPTION 'NOLOGIN was not copied'; END IF;
                    END \$\$'''
                }
            }
            """)
        def privilegesBefore = privileges()

        when:
        def result = MigCli.run(['rehearse', '--url', url, '--pg-dump', fakePgDump().toString(), plan.toString()])

        then: 'the roles were created in the shadow before the schema, whose policy names one of them'
        result.exitCode == 0
        def copied = result.out.readLines().find { it.startsWith('mig rehearse: copied ') && it.contains(' role') }
        copied =~ /^mig rehearse: copied \d+ roles? of the target's server, without passwords: .*/
        copied.contains(APP) && copied.contains(READERS)
        !copied.contains('postgres')
        result.out.contains('copied the schema of')
        result.out.contains('2 applied')
        !result.output.contains('rehearse-secret-pw')
        !result.out.contains('warning')

        and: 'the target is untouched: no new privileges'
        privileges() == privilegesBefore
        !privilegesBefore.contains(APP)
        result.out.readLines().last() == Rehearsal.LAST_LINE
    }

    def "roles the shadow already has are left as they are"() {
        given:
        Path plan = files.write('noop.groovy', "plan('noop') { step('grant') { sql 'GRANT SELECT ON authors TO $APP' } }")
        def shadowDb = TestPostgres.createDatabase('roles_shadow')

        when: 'the shadow is a database on the same server: every role is already there'
        def result = MigCli.run(['rehearse', '--url', url, '--shadow', TestPostgres.jdbcUrl(shadowDb),
                                 '--pg-dump', fakePgDump().toString(), plan.toString()])

        then:
        result.exitCode == 0
        result.out.readLines().contains("mig rehearse: copied 0 roles of the target's server, without passwords")
        result.out.contains('1 applied')
    }

    String privileges() {
        sql { Sql s -> s.firstRow("SELECT coalesce(relacl::text, '') AS acl FROM pg_class WHERE relname = 'authors'").acl }
    }
}
