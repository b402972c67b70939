package dev.mig.target

import dev.mig.api.ExitCode
import dev.mig.api.MigException
import dev.mig.embedded.EmbeddedServer
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** Against a real embedded PostgreSQL where role alice must authenticate with scram-sha-256. */
class ConnectionsSpec extends Specification {

    @Shared @TempDir
    Path dataDir

    @Shared
    EmbeddedServer server

    @TempDir
    Path home

    def resolver = new TargetResolver()

    def setupSpec() {
        server = EmbeddedServer.start(EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(true))
        withSuperuser { st ->
            st.execute("CREATE ROLE alice LOGIN PASSWORD 'right'")
            st.execute('CREATE DATABASE app OWNER alice')
            st.execute('CREATE DATABASE trusted')
            st.execute('CREATE DATABASE noconnect')
            st.execute('REVOKE CONNECT ON DATABASE noconnect FROM PUBLIC')
            st.execute('CREATE DATABASE closed')
            st.execute('ALTER DATABASE closed ALLOW_CONNECTIONS false')
        }
        // trust stays for the superuser (zonky and these specs use it); others need a password and
        // have no entry at all for other databases, so "no pg_hba.conf entry" can be provoked
        Files.writeString(dataDir.resolve('pg_hba.conf'), '''\
            local all all trust
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host app,nosuchdb,noconnect all 127.0.0.1/32 scram-sha-256
            host app,nosuchdb,noconnect all ::1/128 scram-sha-256
            host trusted all 127.0.0.1/32 trust
            host trusted all ::1/128 trust
            '''.stripIndent())
        withSuperuser { st -> st.executeQuery('SELECT pg_reload_conf()').close() }
    }

    def cleanupSpec() {
        server?.close()
    }

    void withSuperuser(Closure work) {
        def c = Connections.open(server.target())
        try {
            def st = c.createStatement()
            work(st)
        } finally {
            c.close()
        }
    }

    String url(String userinfo, String db = 'app', String query = '') {
        "postgres://${userinfo}@127.0.0.1:${server.port()}/${db}${query}"
    }

    Target resolve(String url, Map env = [:]) {
        resolver.resolve(url, env, home).orElseThrow()
    }

    String currentUser(Target t) {
        def c = Connections.open(t)
        try {
            def rs = c.createStatement().executeQuery('SELECT current_user, current_setting(\'application_name\')')
            rs.next()
            return rs.getString(1) + '/' + rs.getString(2)
        } finally {
            c.close()
        }
    }

    MigException connectionFailure(Target t) {
        try {
            Connections.open(t).close()
        } catch (MigException e) {
            return e
        }
        throw new AssertionError('connected to ' + t + ' although it should have failed')
    }

    void isOneLineConnectionFailure(MigException e) {
        assert e.exitCode() == ExitCode.CONNECTION_FAILED
        assert !e.message.contains('\n')
        assert e.message.startsWith('cannot connect to ')
        assert e.hint()
        assert e.cause != null
    }

    def "the embedded server describes itself as a throwaway with its version and port"() {
        expect:
        server.serverVersion() ==~ /17\.\d+/
        server.target().display() == "embedded PostgreSQL ${server.serverVersion()} on 127.0.0.1:${server.port()} (throwaway)".toString()
        server.target().toString() == server.target().display()
        server.target().source() == 'embedded'
        server.target().embedded()
        currentUser(server.target()) == 'postgres/mig'
    }

    def "a resolved postgres URL with the right password connects as alice"() {
        expect:
        currentUser(resolve(url('alice:right'))) == 'alice/mig'
    }

    def "a JDBC URL with user and password parameters connects as alice"() {
        expect:
        currentUser(resolve("jdbc:postgresql://127.0.0.1:${server.port()}/app?user=alice&password=right")) == 'alice/mig'
    }

    def "a wrong password is an authentication failure that does not show the password"() {
        when:
        def e = connectionFailure(resolve(url('alice:WRONG-PASSWORD')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('authentication failed for user "alice"')
        e.message.contains("127.0.0.1:${server.port()}/app")
        !e.message.contains('WRONG-PASSWORD')
        !e.hint().contains('WRONG-PASSWORD')
        e.hint().contains('password')
    }

    def "a password given only in .pgpass authenticates alice"() {
        given:
        Files.writeString(home.resolve('.pgpass'), "# local test server\n127.0.0.1:${server.port()}:*:alice:right\n")

        expect:
        currentUser(resolve(url('alice'))) == 'alice/mig'
        currentUser(resolve(null, [PGHOST: '127.0.0.1', PGPORT: "${server.port()}".toString(), PGUSER: 'alice', PGDATABASE: 'app'])) == 'alice/mig'
    }

    def "no password anywhere says the server asked for one"() {
        when:
        def e = connectionFailure(resolve(url('alice')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('authentication failed')
        e.hint().contains('.pgpass')
    }

    def "an unknown database is named in the message"() {
        when:
        def e = connectionFailure(resolve(url('alice:right', 'nosuchdb')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('database "nosuchdb" does not exist')
        e.hint().contains('createdb nosuchdb')
        !e.message.contains('right@')
    }

    def "a role that does not exist is named, with where the user name comes from"() {
        when:
        def e = connectionFailure(resolve(url('nobody', 'trusted')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('role "nobody" does not exist')
        e.hint().contains('PGUSER')
    }

    def "a database without CONNECT for the user says so and names the GRANT"() {
        when:
        def e = connectionFailure(resolve(url('alice:right', 'noconnect')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('user "alice" may not connect to database "noconnect" (no CONNECT privilege)')
        e.hint().contains('GRANT CONNECT ON DATABASE noconnect TO alice')
    }

    def "a database that does not accept connections says so"() {
        when:
        def e = connectionFailure(resolve(url('postgres', 'closed')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('database "closed" does not accept connections')
        e.hint().contains('datallowconn')
    }

    def "a port nobody listens on is connection refused with a hint naming host and port"() {
        given:
        int port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }

        when:
        def e = connectionFailure(resolve("postgres://alice:TOPSECRET@127.0.0.1:${port}/app"))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('connection refused')
        e.hint().contains("host 127.0.0.1 port ${port}")
        !e.message.contains('TOPSECRET')
    }

    def "an unknown host says so"() {
        when:
        def e = connectionFailure(resolve('postgres://alice:TOPSECRET@no-such-host.invalid/app'))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('unknown host "no-such-host.invalid"')
        !e.message.contains('TOPSECRET')
    }

    def "a missing pg_hba.conf entry points at sslmode and pg_hba"() {
        when:
        def e = connectionFailure(resolve(url('alice:right', 'template1')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('no pg_hba.conf entry')
        e.hint().contains('sslmode=require')
        e.hint().contains('pg_hba.conf')
    }

    def "requiring TLS from a server without it says the server does not support TLS"() {
        when:
        def e = connectionFailure(resolve(url('alice:right', 'app', '?sslmode=require')))

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('does not support')
        e.hint().contains('sslmode=prefer')
    }

    def "a malformed URL fails before any connection attempt"() {
        when:
        resolve("postgres://alice:TOPSECRET@127.0.0.1:notaport/app")

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        !e.message.contains('\n')
        e.message.contains('port "notaport"')
        !e.message.contains('TOPSECRET')
    }

    def "a closed embedded server refuses connections"() {
        given:
        def other = EmbeddedServer.start()
        def target = other.target()
        other.close()

        when:
        def e = connectionFailure(target)

        then:
        isOneLineConnectionFailure(e)
        e.message.contains('embedded PostgreSQL')
    }
}
