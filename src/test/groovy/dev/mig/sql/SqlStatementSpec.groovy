package dev.mig.sql

import spock.lang.Specification

class SqlStatementSpec extends Specification {

    def "an error position maps to the source line that holds it"() {
        given:
        def statement = new SqlStatement("SELECT a,\n       b\n  FROM t", 7, 120)

        expect:
        statement.lineOfPosition(position) == line

        where:
        position || line
        1        || 7
        9        || 7
        10       || 7   // the newline itself still belongs to the first line
        11       || 8
        18       || 8
        22       || 9
        27       || 9
        28       || 9   // just past the end, as for "syntax error at end of input"
        0        || 7   // clamped
        999      || 9   // clamped
    }

    def "a statement found by the splitter reports lines in the whole script"() {
        given:
        def sql = 'SELECT 1;\n\n-- c\nSELECT *\n  FROM nope\n WHERE x;'
        def statement = StatementSplitter.split(sql)[1]

        expect:
        statement.startLine() == 4
        statement.lineOfPosition(statement.text().indexOf('nope') + 1) == 5
        statement.lineOfPosition(statement.text().indexOf('x') + 1) == 6
    }

    def "CRLF counts as one line break"() {
        expect:
        new SqlStatement("SELECT\r\n1\r\n+ x", 1, 0).lineOfPosition(12) == 3
    }

    def "the caret excerpt shows the line and a caret under the position"() {
        given:
        def statement = new SqlStatement("SELECT a,\n       bogus\n  FROM t", 1, 0)

        expect:
        statement.caretExcerpt(position) == expected

        where:
        position || expected
        1        || 'SELECT a,\n^'
        8        || 'SELECT a,\n       ^'
        18       || '       bogus\n       ^'
        26       || '  FROM t\n  ^'
        28       || '  FROM t\n    ^'
        32       || '  FROM t\n        ^'   // just past the end
        99       || '  FROM t\n        ^'   // clamped
    }

    def "tabs before the position are kept as tabs so the caret lines up"() {
        expect:
        new SqlStatement("SELECT 1;\n\t\tFROM\tx", 1, 0).caretExcerpt(18) == '\t\tFROM\tx\n\t\t    \t^'
    }

    def "positions count characters, not UTF-16 units"() {
        given: 'an emoji is one character to the server but two chars in Java'
        def statement = new SqlStatement("SELECT '\uD83D\uDE00' + x", 1, 0)

        expect:
        statement.caretExcerpt(14) == "SELECT '\uD83D\uDE00' + x\n" + ' ' * 13 + '^'
    }

    def "the caret excerpt of a CRLF statement leaves out the carriage return"() {
        expect:
        new SqlStatement("SELECT\r\n  bogus", 1, 0).caretExcerpt(11) == '  bogus\n  ^'
    }
}
