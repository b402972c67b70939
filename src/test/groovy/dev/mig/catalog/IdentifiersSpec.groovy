package dev.mig.catalog

import dev.mig.testing.HostileNames
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Unroll

import java.sql.Connection

class IdentifiersSpec extends Specification {

    @Shared @AutoCleanup EmbeddedPostgres pg = EmbeddedPostgres.builder().start()
    @Shared @AutoCleanup Connection conn = pg.postgresDatabase.connection
    @Shared long seed = Long.getLong('mig.hostileSeed') ?: new Random().nextLong()
    @Shared List<String> hostile = (HostileNames.FIXED + HostileNames.generate(seed, 200)).findAll { HostileNames.bytes(it) <= 63 }

    def setupSpec() {
        conn.createStatement().execute('CREATE TABLE users (id int)')
    }

    def "quote always double-quotes and doubles embedded quotes"() {
        expect:
        Identifiers.quote('chunks') == '"chunks"'
        Identifiers.quote('My"Table') == '"My""Table"'
        Identifiers.quote('x"; DROP TABLE users; --') == '"x""; DROP TABLE users; --"'
        Identifiers.quote('') == '""'
    }

    def "quote rejects NUL and null"() {
        when:
        Identifiers.quote("a\u0000b")

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('NUL')

        when:
        Identifiers.quote(null)

        then:
        thrown(IllegalArgumentException)
    }

    def "qualified joins quoted schema and name, or quotes the name alone"() {
        expect:
        Identifiers.qualified('kb', 'My.Table') == '"kb"."My.Table"'
        Identifiers.qualified(null, 'chunks') == '"chunks"'
    }

    @Unroll
    def "parse reads #text as schema #schema and name #name"() {
        expect:
        QualifiedName.parse(text) == new QualifiedName(schema, name)

        where:
        text                        | schema | name
        'chunks'                    | null   | 'chunks'
        'kb.chunks'                 | 'kb'   | 'chunks'
        'KB.Chunks'                 | 'kb'   | 'chunks'
        '"Kb"."My.Table"'           | 'Kb'   | 'My.Table'
        '"say ""hi"""'              | null   | 'say "hi"'
        ' kb . chunks '             | 'kb'   | 'chunks'
        'Ünïcode'                   | null   | 'Ünïcode'
        '"x""; DROP TABLE users; --"' | null | 'x"; DROP TABLE users; --'
    }

    @Unroll
    def "parse rejects #text with a message about #problem"() {
        when:
        QualifiedName.parse(text)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(problem)

        where:
        text             | problem
        '"unterminated'  | 'unterminated quote'
        'kb.'            | 'empty name part'
        '.chunks'        | 'empty name part'
        ''               | 'empty name part'
        'a.b.c'          | '3 dotted parts'
        '""'             | 'empty quoted identifier'
        'a"b"'           | "unexpected '\"'"
        'my table'       | "unexpected 't'"
    }

    def "names longer than 63 bytes are cut the way the server cuts them"() {
        given:
        def long64 = 'a' * 64
        def unicode = 'é' * 40 // 80 bytes: the server keeps 31 characters (62 bytes)

        expect:
        QualifiedName.parse(long64).name() == 'a' * 63
        QualifiedName.parse('"' + unicode + '"').name() == 'é' * 31
    }

    @Unroll
    def "a table named #label can be created with quote and found through the catalog"() {
        given:
        def catalog = new Catalog(conn, ['public'])
        conn.createStatement().execute("CREATE TABLE ${Identifiers.quote(name)} (id int)")

        expect:
        catalog.table(new QualifiedName(null, name))?.name() == name
        catalog.table('"' + name.replace('"', '""') + '"') != null
        catalog.rowCount('"' + name.replace('"', '""') + '"') == 0
        catalog.table('users') != null

        where:
        label         | name
        'hostile SQL' | 'x"; DROP TABLE users; --'
        'mixed case'  | 'MixedCase'
        'unicode'     | 'Tabelle für Größen ✓'
        '63 bytes'    | 'n' * 63
        '63 bytes of multibyte characters' | 'ж' * 31 + 'z'
    }

    def "a 64-byte name is found under the name the server truncated it to"() {
        given:
        def catalog = new Catalog(conn, ['public'])
        def name = 'q' * 64
        conn.createStatement().execute("CREATE TABLE ${Identifiers.quote(name)} (id int)")

        expect:
        catalog.table(name)?.name() == 'q' * 63
    }

    def "every hostile name, quoted, is read back by the server as exactly that name"() {
        given:
        def mismatches = []
        hostile.each { String name ->
            def ps = conn.prepareStatement("SELECT parse_ident(?) AS parts, quote_ident(?) AS theirs, 1 AS ${Identifiers.quote(name)}")
            ps.setString(1, Identifiers.qualified('sch"ema', name))
            ps.setString(2, name)
            def rs = ps.executeQuery()
            rs.next()
            List<String> parts = (rs.getArray('parts').array as String[]).toList()
            String theirs = rs.getString('theirs')
            String label = rs.metaData.getColumnLabel(3)
            if (parts != ['sch"ema', name] || label != name
                    || Identifiers.quote(name) != (theirs.startsWith('"') ? theirs : '"' + theirs + '"')) {
                mismatches << [name: name, parts: parts, label: label, quoteIdent: theirs]
            }
            ps.close()
        }

        expect: 'parse_ident splits it back, a column alias keeps it, and quote_ident would quote it the same way'
        assert mismatches.isEmpty() : "seed ${seed} (rerun with -Dmig.hostileSeed=${seed}): ${mismatches}"
    }

    def "QualifiedName.parse reads back what Identifiers.qualified wrote, for every hostile name"() {
        given:
        def mismatches = hostile.findAll { String name ->
            QualifiedName.parse(Identifiers.qualified('Sch"ema', name)) != new QualifiedName('Sch"ema', name)
                    || QualifiedName.parse(Identifiers.quote(name)) != new QualifiedName(null, name)
        }

        expect:
        assert mismatches.isEmpty() : "seed ${seed} (rerun with -Dmig.hostileSeed=${seed}): ${mismatches}"
    }
}
