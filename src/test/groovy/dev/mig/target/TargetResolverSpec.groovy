package dev.mig.target

import dev.mig.api.ExitCode
import dev.mig.api.MigException
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

class TargetResolverSpec extends Specification {

    @TempDir
    Path home

    def resolver = new TargetResolver()

    Target resolve(String url, Map env = [:]) {
        resolver.resolve(url, env, home).orElseThrow()
    }

    void pgpass(String... lines) {
        Files.writeString(home.resolve('.pgpass'), lines.join('\n') + '\n')
    }

    def "with nothing given there is no target, so run can start the embedded server"() {
        expect:
        resolver.resolve(null, [USER: 'bob', HOME: '/x'], home).isEmpty()
    }

    def "--url wins over MIG_URL, which wins over DATABASE_URL, which wins over PG variables"() {
        given:
        def env = [MIG_URL: 'postgres://m@mig-host/m', DATABASE_URL: 'postgres://d@db-host/d', PGHOST: 'pg-host']

        expect:
        resolve('postgres://u@url-host/u', env).source() == '--url'
        resolve('postgres://u@url-host/u', env).host() == 'url-host'
        resolve(null, env).source() == 'MIG_URL'
        resolve(null, env).host() == 'mig-host'
        resolve(null, env.findAll { it.key != 'MIG_URL' }).source() == 'DATABASE_URL'
        resolve(null, env.findAll { it.key != 'MIG_URL' }).host() == 'db-host'
        resolve(null, [PGHOST: 'pg-host']).source() == 'PG* environment'
        resolve(null, [PGHOST: 'pg-host']).host() == 'pg-host'
    }

    def "an empty MIG_URL counts as unset"() {
        expect:
        resolve(null, [MIG_URL: '', DATABASE_URL: 'postgres://d@db-host/d']).source() == 'DATABASE_URL'
    }

    def "a libpq URL becomes a JDBC URL without credentials and properties that carry them"() {
        when:
        def t = resolve('postgresql://alice:s3cret@db.example:6543/app?sslmode=require&application_name=deploy&connect_timeout=4&options=-c%20search_path%3Dkb')
        def props = t.connectionProperties()

        then:
        t.jdbcUrl() == 'jdbc:postgresql://db.example:6543/app'
        props.user == 'alice'
        props.password == 's3cret'
        props.sslmode == 'require'
        props.ApplicationName == 'deploy'
        props.connectTimeout == '4'
        props.options == '-c search_path=kb'
        t.display() == 'postgresql://alice@db.example:6543/app'
        t.toString() == t.display()
        t.host() == 'db.example'
        t.port() == 6543
        !t.embedded()
    }

    def "port defaults to 5432, the database to the user name and ApplicationName to mig"() {
        when:
        def t = resolve('postgres://carol@db.example')

        then:
        t.jdbcUrl() == 'jdbc:postgresql://db.example:5432/carol'
        t.database() == 'carol'
        t.connectionProperties().ApplicationName == 'mig'
        !t.connectionProperties().containsKey('password')
    }

    def "user, password and database are percent-decoded, and a plus stays a plus"() {
        when:
        def t = resolve('postgres://al%40ice:p%3Aw%2Fd+x%25@h/my%20db')

        then:
        t.user() == 'al@ice'
        t.connectionProperties().password == 'p:w/d+x%'
        t.database() == 'my db'
        t.jdbcUrl() == 'jdbc:postgresql://h:5432/my+db'
        !t.display().contains('p:w')
    }

    def "IPv6 hosts and host lists are kept"() {
        expect:
        resolve('postgres://u@[::1]:5433,other/db').jdbcUrl() == 'jdbc:postgresql://[::1]:5433,other:5432/db'
    }

    def "JDBC URLs lose user and password parameters to the properties but keep the rest"() {
        when:
        def t = resolve('jdbc:postgresql://h:5433/app?user=bob&password=hunter2&ssl=true&sslmode=verify-full')

        then:
        t.jdbcUrl() == 'jdbc:postgresql://h:5433/app?ssl=true&sslmode=verify-full'
        t.connectionProperties().user == 'bob'
        t.connectionProperties().password == 'hunter2'
        t.display() == 'postgresql://bob@h:5433/app'
        !t.toString().contains('hunter2')
    }

    def "the short JDBC form means localhost"() {
        expect:
        resolve('jdbc:postgresql:app', [USER: 'dan']).jdbcUrl() == 'jdbc:postgresql://localhost:5432/app'
    }

    def "Testcontainers URLs pass through untouched"() {
        when:
        def t = resolve('jdbc:tc:postgresql:17:///shadow')

        then:
        t.jdbcUrl() == 'jdbc:tc:postgresql:17:///shadow'
        t.host() == null
        t.connectionProperties().ApplicationName == 'mig'
    }

    def "a Testcontainers URL with a password shows it redacted"() {
        when:
        def t = resolve('jdbc:tc:postgresql:17:///shadow?user=u&password=TOPSECRET')

        then:
        t.display() == 'jdbc:tc:postgresql:17:///shadow?user=u&password=***'
        !t.toString().contains('TOPSECRET')
    }

    def "a bad PGSSLMODE names the variable"() {
        when:
        resolver.resolve(null, [PGHOST: 'h', PGSSLMODE: 'on'], home)

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        e.message == 'bad target settings (from PG* environment): PGSSLMODE: sslmode "on" is not one of disable, allow, prefer, require, verify-ca, verify-full'
    }

    def "PG variables default to localhost, 5432 and the USER as role"() {
        when:
        def t = resolve(null, [PGDATABASE: 'app', USER: 'erin'])

        then:
        t.jdbcUrl() == 'jdbc:postgresql://localhost:5432/app'
        t.user() == 'erin'
        t.display() == 'postgresql://erin@localhost:5432/app'
    }

    def "PG variables without USER fall back to the postgres role"() {
        expect:
        resolve(null, [PGHOST: 'h', PGPORT: '5544', PGPASSWORD: 'pw']).with {
            [jdbcUrl(), user(), connectionProperties().password]
        } == ['jdbc:postgresql://h:5544/postgres', 'postgres', 'pw']
    }

    def "the password comes from .pgpass when none is given, with wildcards"() {
        given:
        pgpass('# comment line',
               'other:5432:*:alice:wrong',
               'db.example:*:app:alice:from-pgpass',
               '*:*:*:*:catch-all')

        expect:
        resolve('postgres://alice@db.example:7777/app').connectionProperties().password == 'from-pgpass'
        resolve('postgres://zed@anywhere/x').connectionProperties().password == 'catch-all'
        resolve(null, [PGHOST: 'db.example', PGUSER: 'alice', PGDATABASE: 'app']).connectionProperties().password == 'from-pgpass'
        resolve('jdbc:postgresql://db.example/app?user=alice').connectionProperties().password == 'from-pgpass'
    }

    def "an explicit password beats .pgpass"() {
        given:
        pgpass('*:*:*:*:from-pgpass')

        expect:
        resolve('postgres://alice:explicit@h/app').connectionProperties().password == 'explicit'
        resolve(null, [PGHOST: 'h', PGPASSWORD: 'env']).connectionProperties().password == 'env'
    }

    def ".pgpass fields honour backslash escapes for colon and backslash"() {
        given:
        pgpass('h\\:x:5432:d\\\\b:u:pa\\:ss\\\\word')

        expect:
        resolve('postgres://u@[h:x]/d%5Cb').connectionProperties().password == 'pa:ss\\word'
    }

    def "PGPASSFILE overrides the .pgpass location"() {
        given:
        pgpass('*:*:*:*:home-file')
        def other = home.resolve('elsewhere.pgpass')
        Files.writeString(other, '*:*:*:*:other-file\n')

        expect:
        resolve('postgres://u@h/d', [PGPASSFILE: other.toString()]).connectionProperties().password == 'other-file'
    }

    def "an unreadable or missing .pgpass is ignored"() {
        expect:
        !resolve('postgres://u@h/d', [PGPASSFILE: home.resolve('missing').toString()]).connectionProperties().containsKey('password')
        !resolve('postgres://u@h/d', [PGPASSFILE: home.toString()]).connectionProperties().containsKey('password')
    }

    def "malformed targets are plan errors that name the bad part and show an example"() {
        when:
        resolver.resolve(url, [:], home)

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        e.message.contains(part)
        !e.message.contains('\n')
        e.hint().contains('postgres://')

        where:
        url                                        | part
        'postgres://host:notaport/db'              | 'port "notaport"'
        'postgres://host:70000/db'                 | 'port "70000"'
        'mysql://x'                                | 'scheme "mysql"'
        'jdbc:mysql://x/db'                        | 'JDBC driver "mysql"'
        'jdbc:postgresql:'                         | 'nothing after "jdbc:postgresql:"'
        ''                                         | 'empty'
        '   '                                      | 'empty'
        'localhost:5432/app'                       | 'not a URL'
        'postgres://h/db?sslmode=requre'           | 'sslmode "requre"'
        'postgres://h/db?connect_timeout=soon'     | 'connect_timeout "soon"'
        'postgres://h/db?sslmod=require'           | 'unknown connection parameter "sslmod"'
        'postgres://h/db?sslmode'                  | '"sslmode" has no value'
        'postgres://[::1/db'                       | "never closes"
        'postgres://u:p%zz@h/db'                   | 'percent-escape in the password'
    }

    def "a bad PGPORT names the variable"() {
        when:
        resolver.resolve(null, [PGPORT: 'abc'], home)

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        e.message.contains('PGPORT "abc"')
        e.message.contains('PG* environment')
    }

    def "the password never appears in messages about malformed URLs"() {
        when:
        resolver.resolve(null, [MIG_URL: url], home)

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        e.message.contains('MIG_URL')
        !e.message.contains('TOPSECRET')
        !e.hint().contains('TOPSECRET')

        where:
        url << ['postgres://u:TOPSECRET@h:bad/db',
                'postgres://u:TOP/SECRET@h:bad/db',
                'jdbc:postgresql://h:bad/db?password=TOPSECRET',
                'postgres://u:TOPSECRET@h/db?sslmode=nope',
                'postgres://u:TOP%SECRET@h/db']
    }
}
