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

    def "PG* variables fill what a URL leaves out, and only that (libpq's order)"() {
        given:
        def env = [PGHOST: 'env-host', PGPORT: '6000', PGUSER: 'env-user', PGDATABASE: 'env-db', PGPASSWORD: 'env-pw',
                   PGSSLMODE: 'require', PGAPPNAME: 'env-app', PGCONNECT_TIMEOUT: '7', PGOPTIONS: '-c x=1',
                   PGSSLROOTCERT: '/ca.pem', PGSSLCERT: '/c.pem', PGSSLKEY: '/c.key']

        when:
        def empty = resolve('postgres://', env)
        def full = resolve('postgres://u:pw@h:5433/d?sslmode=disable&application_name=a&connect_timeout=3&options=o', env)

        then:
        empty.jdbcUrl() == 'jdbc:postgresql://env-host:6000/env-db'
        empty.connectionProperties().subMap(['user', 'password', 'sslmode', 'ApplicationName', 'connectTimeout', 'options',
                                             'sslrootcert', 'sslcert', 'sslkey']) ==
                [user: 'env-user', password: 'env-pw', sslmode: 'require', ApplicationName: 'env-app', connectTimeout: '7',
                 options: '-c x=1', sslrootcert: '/ca.pem', sslcert: '/c.pem', sslkey: '/c.key']
        full.jdbcUrl() == 'jdbc:postgresql://h:5433/d'
        full.connectionProperties().subMap(['user', 'password', 'sslmode', 'ApplicationName', 'connectTimeout', 'options']) ==
                [user: 'u', password: 'pw', sslmode: 'disable', ApplicationName: 'a', connectTimeout: '3', options: 'o']
        // the PG* certificate files still apply: the URL did not name its own
        full.connectionProperties().sslrootcert == '/ca.pem'
    }

    def "PGPASSWORD beats the password file, which fills in last"() {
        given:
        pgpass('*:*:*:*:from-pgpass')

        expect:
        resolve('postgres://u@h/d', [PGPASSWORD: 'env']).connectionProperties().password == 'env'
        resolve('postgres://u@h/d').connectionProperties().password == 'from-pgpass'
        resolve('host=h user=u', [PGPASSWORD: 'env']).connectionProperties().password == 'env'
    }

    def "a port in the URL keeps PGPORT away; PGPORT may list one port per host"() {
        expect:
        resolve('postgres://h:7000/d', [PGPORT: '6000']).port() == 7000
        resolve('postgres://h1,h2/d', [PGPORT: '6001,6002']).jdbcUrl() == 'jdbc:postgresql://h1:6001,h2:6002/d'
        resolve('postgres://h1,h2/d', [PGPORT: '6001']).jdbcUrl() == 'jdbc:postgresql://h1:6001,h2:6001/d'
    }

    def "a JDBC URL takes PGUSER, PGPASSWORD and the password file, and nothing else from PG*"() {
        when:
        def t = resolve('jdbc:postgresql://h/app', [PGUSER: 'env-user', PGPASSWORD: 'env-pw', PGHOST: 'other',
                                                    PGPORT: '6000', PGDATABASE: 'otherdb', PGSSLMODE: 'require'])

        then:
        t.jdbcUrl() == 'jdbc:postgresql://h:5432/app'
        t.connectionProperties().user == 'env-user'
        t.connectionProperties().password == 'env-pw'
        !t.connectionProperties().containsKey('sslmode')
        resolve('jdbc:postgresql://h/app?user=u&password=p', [PGUSER: 'x', PGPASSWORD: 'y']).connectionProperties()
                .subMap(['user', 'password']) == [user: 'u', password: 'p']
    }

    def "the password file is \$HOME/.pgpass when HOME is set, whatever the JVM's user.home"() {
        given:
        def homeVariable = Files.createTempDirectory('mig-HOME')
        Files.writeString(homeVariable.resolve('.pgpass'), '*:*:*:*:from-HOME\n')
        pgpass('*:*:*:*:from-user-home')

        expect:
        resolve('postgres://u@h/d', [HOME: homeVariable.toString()]).connectionProperties().password == 'from-HOME'
        resolve('postgres://u@h/d').connectionProperties().password == 'from-user-home'
    }

    def "key=value strings follow libpq's quoting and become the same target as the URL"() {
        when:
        def t = resolve("host = db.example port=6543 dbname='my db' user=deploy password='a b\\'c\\\\d' sslmode=require")
        def escaped = resolve('host=h user=u password=a\\ b\\\\')

        then:
        t.jdbcUrl() == 'jdbc:postgresql://db.example:6543/my+db'
        t.connectionProperties().subMap(['user', 'password', 'sslmode']) ==
                [user: 'deploy', password: "a b'c\\d", sslmode: 'require']
        t.display() == 'postgresql://deploy@db.example:6543/my db'
        escaped.connectionProperties().password == 'a b\\'
    }

    def "bad key=value strings are plan errors that never show the password"() {
        when:
        resolver.resolve(text, [:], home)

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        e.message.contains(part)
        !e.message.contains('TOP')
        !e.message.contains('SECRET')

        where:
        text                                          | part
        'host=h password=TOP SECRET'                  | 'expected "=" after the word at character 21'
        "host=h password='TOP SECRET"                 | 'the quoted value of password has no closing quote'
        "host=h password='TOP SECRET' sslmod=require" | 'unknown connection parameter "sslmod"'
        "host=h password='TOP SECRET' port=x"         | 'port "x"'
    }

    def "a host-less URL is a usage error unless PGHOST gives the host"() {
        when:
        resolver.resolve(url, [:], home)

        then:
        def e = thrown(MigException)
        e.exitCode() == ExitCode.PLAN_ERROR
        e.message.contains('names no host')

        expect:
        resolver.resolve(url, [PGHOST: 'h'], home).orElseThrow().host() == expectedHost

        where:
        url                       | expectedHost
        'postgres://'             | 'h'
        'postgresql://u@:5433/db' | 'h'
        'dbname=app'              | 'h'
    }

    def "a JDBC URL with an empty host is a usage error; the short form still means localhost"() {
        when:
        resolver.resolve('jdbc:postgresql:///app', [PGHOST: 'h'], home)

        then:
        def e = thrown(MigException)
        e.message.contains('names no host')
        e.message.contains('jdbc:postgresql://HOST/db')
    }

    def "a socket directory becomes a socket factory and is looked up as localhost in the password file"() {
        given:
        pgpass('localhost:5432:app:u:from-pgpass')

        when:
        def t = resolve('postgres://u@%2Fvar%2Frun%2Fpostgresql/app')

        then:
        t.connectionProperties().socketFactory == UnixSocket.FACTORY
        t.connectionProperties().socketFactoryArg == '/var/run/postgresql/.s.PGSQL.5432'
        t.connectionProperties().password == 'from-pgpass'
        t.connectionProperties().sslmode == 'disable'
        t.host() == '/var/run/postgresql'
        t.display() == 'postgresql://u@:5432/app?host=/var/run/postgresql'
        t.local()
    }

    def "a socket directory cannot be one of several hosts"() {
        when:
        resolve('host=/tmp,db.example dbname=app')

        then:
        def e = thrown(MigException)
        e.message.contains('Unix-domain socket directory cannot be one of several hosts')
    }
}
