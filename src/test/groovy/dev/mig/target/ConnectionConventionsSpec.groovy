package dev.mig.target

import dev.mig.testing.ChildJvm
import dev.mig.testing.MigCli
import dev.mig.testing.PlanFiles
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/**
 * libpq's connection conventions against a server that really checks passwords (scram) and
 * listens on a Unix-domain socket too: issue 11 items 1, 2, 3, 5 and 6.
 */
class ConnectionConventionsSpec extends Specification {

    static final String PASSWORD = 'secret'

    @Shared
    Path socketDir
    @Shared
    EmbeddedPostgres server
    @Shared
    int port

    PlanFiles files = new PlanFiles()
    Path plan
    Path home = Files.createTempDirectory('mig-home')

    def setupSpec() {
        // short path: a socket file name may not exceed about 100 bytes
        socketDir = Files.createTempDirectory(Path.of('/tmp'), 'pgs')
        server = EmbeddedPostgres.builder()
                .setServerConfig('unix_socket_directories', socketDir.toString())
                .setServerConfig('password_encryption', 'scram-sha-256')
                .setDataDirectoryCustomizer { File data ->
                    // the superuser may come in freely (zonky checks readiness as postgres); app must
                    // give its password on TCP and on the socket
                    new File(data, 'pg_hba.conf').text = '''\
                        local all postgres trust
                        local all all scram-sha-256
                        host all postgres 127.0.0.1/32 trust
                        host all postgres ::1/128 trust
                        host all all 127.0.0.1/32 scram-sha-256
                        host all all ::1/128 scram-sha-256
                        '''.stripIndent()
                }
                .start()
        port = server.port
        server.postgresDatabase.connection.withCloseable { c ->
            c.createStatement().execute("CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'")
            c.createStatement().execute('CREATE DATABASE app OWNER app')
        }
    }

    def cleanupSpec() {
        server?.close()
    }

    def setup() {
        plan = files.write('app.groovy', "plan('conv') { step('a') { sql 'CREATE TABLE conv_a (id int)' } }")
    }

    MigCli status(List<String> extra, Map<String, String> env) {
        MigCli.run(['status', plan.toString()] + extra, env, home)
    }

    def "the server really refuses app without its password"() {
        when:
        def r = status(['--url', "postgres://app@127.0.0.1:${port}/app".toString()], [:])

        then:
        r.exitCode == 6
        r.err.contains('none was given') || r.err.contains('authentication failed')
    }

    def "PGPASSWORD completes a URL that names no password, however the URL is given"() {
        given:
        String appUrl = "postgres://app@127.0.0.1:${port}/app"
        Files.writeString(plan.resolveSibling('mig.groovy'), """environments {
            prod { url '${appUrl}' }
            kv { url 'host=127.0.0.1 port=${port} user=app dbname=app' }
        }""")

        expect:
        status(['--url', appUrl], [PGPASSWORD: PASSWORD]).exitCode == 0
        status([], [PGPASSWORD: PASSWORD, MIG_URL: appUrl]).exitCode == 0
        status([], [PGPASSWORD: PASSWORD, DATABASE_URL: appUrl]).exitCode == 0
        status(['--env', 'prod'], [PGPASSWORD: PASSWORD]).exitCode == 0
        status(['--env', 'kv'], [PGPASSWORD: PASSWORD]).exitCode == 0
        // and a jdbc:postgresql URL takes it too (pgjdbc alone would not)
        status(['--url', "jdbc:postgresql://127.0.0.1:${port}/app?user=app".toString()], [PGPASSWORD: PASSWORD]).exitCode == 0
    }

    def "PGUSER, PGDATABASE and PGPORT fill what the URL leaves out; the URL's own values win"() {
        when:
        def filled = status(['--url', 'postgres://127.0.0.1'],
                [PGUSER: 'app', PGDATABASE: 'app', PGPORT: "${port}".toString(), PGPASSWORD: PASSWORD])
        def urlWins = status(['--url', "postgres://app:${PASSWORD}@127.0.0.1:${port}/app".toString()],
                [PGUSER: 'nobody', PGDATABASE: 'nothing', PGPORT: '1', PGPASSWORD: 'wrong'])

        then:
        filled.exitCode == 0
        filled.out.readLines()[0].contains("app@127.0.0.1:${port}/app")
        urlWins.exitCode == 0
    }

    def "the library's MigRunner.run(url) takes PGPASSWORD too (it reads the real environment)"() {
        when:
        def r = ChildJvm.run(RunnerMain.name, [plan.toString(), "postgres://app@127.0.0.1:${port}/app".toString()],
                [PGPASSWORD: PASSWORD])

        then:
        r.exitCode == 0
        server.getDatabase('postgres', 'app').connection.withCloseable { c ->
            c.createStatement().executeQuery("SELECT to_regclass('conv_a') IS NOT NULL").with { next(); getBoolean(1) }
        }
    }

    def "the mig command reads \$HOME/.pgpass, not the JVM's user.home"() {
        given:
        def homeVariable = Files.createTempDirectory('mig-HOME')
        Files.writeString(homeVariable.resolve('.pgpass'), "127.0.0.1:${port}:app:app:${PASSWORD}\n")

        when:
        def r = ChildJvm.run('dev.mig.cli.Main', ['status', plan.toString(), '--url', "postgres://app@127.0.0.1:${port}/app".toString()],
                [HOME: homeVariable.toString()], ["-Duser.home=${home}".toString()])

        then:
        r.exitCode == 0
    }

    def "the password file is PGPASSFILE, else \$HOME/.pgpass even when HOME is not user.home"() {
        given:
        def homeVariable = Files.createTempDirectory('mig-HOME')
        Files.writeString(homeVariable.resolve('.pgpass'), "127.0.0.1:${port}:app:app:${PASSWORD}\n")
        def passfile = Files.createTempFile('mig-passfile', '')
        Files.writeString(passfile, "*:*:*:app:${PASSWORD}\n")
        String appUrl = "postgres://app@127.0.0.1:${port}/app"

        expect: 'home (the JVM user.home) holds no .pgpass; HOME does'
        home != homeVariable
        status(['--url', appUrl], [HOME: homeVariable.toString()]).exitCode == 0
        status(['--url', appUrl], [PGPASSFILE: passfile.toString()]).exitCode == 0
        status(['--url', appUrl], [:]).exitCode == 6
    }

    def "a socket directory as host connects over the Unix-domain socket, as psql does"() {
        given:
        Files.writeString(home.resolve('.pgpass'), "localhost:${port}:app:app:${PASSWORD}\n")
        def target = new TargetResolver().resolve(url, env + [HOME: home.toString()], home).orElseThrow()

        when:
        def row = Connections.open(target).withCloseable { c ->
            def rs = c.createStatement().executeQuery('SELECT inet_server_addr() IS NULL AS socket, current_user AS who')
            rs.next()
            [rs.getBoolean('socket'), rs.getString('who')]
        }

        then:
        row == [true, 'app']
        target.display().contains("host=${socketDir}")
        target.local()

        where:
        url                                                  | env
        null                                                 | [PGHOST: socketDir.toString(), PGPORT: "${port}".toString(), PGUSER: 'app']
        "postgres://app@%2F${socketDir.toString().substring(1).replace('/', '%2F')}:${port}/app".toString() | [:]
        "postgres:///app?host=${socketDir}&port=${port}&user=app".toString() | [:]
        "host=${socketDir} port=${port} user=app dbname=app".toString() | [:]
        'postgres:///app?user=app'                           | [PGHOST: socketDir.toString(), PGPORT: "${port}".toString()]
    }

    def "mig status over the socket names it first and works end to end"() {
        when:
        def r = status(['--url', "host=${socketDir} port=${port} user=app dbname=app".toString()], [PGPASSWORD: PASSWORD])

        then:
        r.exitCode == 0
        r.out.readLines()[0].contains("host=${socketDir}")
    }

    def "a missing socket says which socket file it tried"() {
        when:
        def r = status(['--url', "host=${socketDir}/nowhere port=${port} user=app dbname=app".toString()], [PGPASSWORD: PASSWORD])

        then:
        r.exitCode == 6
        r.err.contains("${socketDir}/nowhere/.s.PGSQL.${port}")
        !r.output.contains(PASSWORD)
    }

    def "a key=value connection string works, with libpq's quoting"() {
        given:
        server.postgresDatabase.connection.withCloseable { c ->
            c.createStatement().execute("CREATE ROLE quoted LOGIN PASSWORD 'a b''c\\d'")
            // a member of app, so it may read the journal another feature's run left there
            c.createStatement().execute('GRANT app TO quoted')
        }

        when:
        def r = status(['--url', "host = 127.0.0.1 port=${port} dbname=app user=quoted password='a b\\'c\\\\d'".toString()], [:])

        then:
        r.exitCode == 0
        r.out.readLines()[0].contains("quoted@127.0.0.1:${port}/app")
        !r.output.contains("a b")
    }

    def "a key=value url in mig.groovy with a password written in it is refused without printing it"() {
        given:
        Files.writeString(plan.resolveSibling('mig.groovy'),
                "environments {\n  prod { url \"host=127.0.0.1 port=${port} user=app password='${PASSWORD} x'\" }\n}\n")

        when:
        def r = status(['--env', 'prod'], [:])

        then:
        r.exitCode == 2
        r.err.contains('mig.groovy:2')
        r.err.contains('password written in its url')
        !r.output.contains(PASSWORD)
    }

    def "an empty or host-less URL is a usage error unless PGHOST completes it"() {
        when:
        def bare = status(['--url', url], [:])
        def completed = status(['--url', url], [PGHOST: '127.0.0.1', PGPORT: "${port}".toString(), PGUSER: 'app',
                                                 PGDATABASE: 'app', PGPASSWORD: PASSWORD])

        then:
        bare.exitCode == 2
        bare.err.contains('names no host')
        bare.err.contains('PGHOST')
        completed.exitCode == 0

        where:
        url << ['postgres://', 'postgresql:///app', 'postgres://app@/app', 'user=app dbname=app']
    }
}
