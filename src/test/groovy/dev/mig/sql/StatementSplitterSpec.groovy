package dev.mig.sql

import spock.lang.Isolated
import spock.lang.Specification

@Isolated("one feature asserts a duration (5 MB split in under a second): alone, as before, not beside two other specs")
class StatementSplitterSpec extends Specification {

    private static List<String> texts(String sql) {
        StatementSplitter.split(sql)*.text()
    }

    def "a script splits at top-level semicolons with each text trimmed"() {
        expect:
        texts('SELECT 1;  SELECT 2 ;\n\tSELECT 3;') == ['SELECT 1', 'SELECT 2', 'SELECT 3']
    }

    def "a last statement without a semicolon is kept"() {
        expect:
        texts('SELECT 1; SELECT 2\n') == ['SELECT 1', 'SELECT 2']
    }

    def "statements of only whitespace or comments are dropped"() {
        expect:
        texts(sql) == expected

        where:
        sql                                           || expected
        ''                                            || []
        '   \n\t '                                    || []
        ';;;'                                         || []
        'SELECT 1;;\n;SELECT 2;'                      || ['SELECT 1', 'SELECT 2']
        '-- nothing here\n/* nor here */ ;'           || []
        'SELECT 1;\n-- trailing remark\n'             || ['SELECT 1']
        'SELECT 1; /* a */ -- b\n ; SELECT 2'         || ['SELECT 1', 'SELECT 2']
    }

    def "a semicolon inside #construct does not split"() {
        expect:
        texts(sql + '; SELECT 2') == [sql, 'SELECT 2']

        where:
        construct                                | sql
        'a string'                               | "SELECT 'a;b'"
        'a string with doubled quotes'           | "SELECT 'it''s; fine'"
        'an E string with an escaped quote'      | "SELECT E'it\\'s;'"
        'a lower-case e string'                  | "SELECT e'it\\'s;'"
        'an E string with doubled quotes'        | "SELECT E'a'';b'"
        'a U& string'                            | "SELECT U&'d\\0061;t'"
        'a quoted identifier'                    | 'SELECT 1 AS "a;b"'
        'a quoted identifier with doubled quote' | 'SELECT 1 AS "a"";b"'
        'a U& quoted identifier'                 | 'SELECT 1 AS U&"a;b"'
        'a dollar quote'                         | 'SELECT $$a;b$$'
        'a tagged dollar quote'                  | 'SELECT $fn$a;b$fn$'
        'a tag with $$ inside'                   | 'SELECT $fn$ $$ ; $$ $fn$'
        'a tag with another tag inside'          | 'SELECT $a$ $b$ ; $b$ ; $a$'
        'a tag with underscore and digits'       | 'SELECT $_x1$;$_x1$'
        'a line comment'                         | 'SELECT 1 -- no; split\n  + 1'
        'a block comment'                        | 'SELECT 1 /* ; */ + 1'
        'a nested block comment'                 | 'SELECT 1 /* a /* b */ still comment; */ + 1'
        'a multi-line block comment'             | 'SELECT 1 /* one;\n two; */ + 1'
    }

    def "a backslash in an ordinary string is a plain character"() {
        // standard_conforming_strings: 'C:\' is a complete string
        expect:
        texts("SELECT 'C:\\'; SELECT 2") == ["SELECT 'C:\\'", 'SELECT 2']
    }

    def "an E string ending in an escaped backslash closes at the next quote"() {
        expect:
        texts("SELECT E'a\\\\'; SELECT 2") == ["SELECT E'a\\\\'", 'SELECT 2']
    }

    def "an identifier ending in e before a string is not an E string"() {
        expect:
        texts("SELECT somee'\\'; SELECT 2") == ["SELECT somee'\\'", 'SELECT 2']
    }

    def "a DO block with semicolons inside its dollar body is one statement"() {
        given:
        def sql = '''DO $$
BEGIN
  RAISE NOTICE 'one;';
  PERFORM 1;
END
$$;
SELECT 2;'''

        expect:
        texts(sql) == ['DO $$\nBEGIN\n  RAISE NOTICE \'one;\';\n  PERFORM 1;\nEND\n$$', 'SELECT 2']
    }

    def "a plpgsql function with a tagged body holding \$\$ is one statement"() {
        given:
        def sql = '''CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
  EXECUTE $$SELECT 1;$$;
  RETURN 'x';
END
$body$;
SELECT f();'''

        expect:
        texts(sql).size() == 2
        texts(sql)[0].endsWith('$body$')
        texts(sql)[1] == 'SELECT f()'
    }

    def "parameters such as \$1 are not dollar quotes"() {
        expect:
        texts(sql) == expected

        where:
        sql                                       || expected
        'SELECT $1 + $2; SELECT $3'               || ['SELECT $1 + $2', 'SELECT $3']
        'SELECT $1;SELECT $1 || \';\''            || ['SELECT $1', 'SELECT $1 || \';\'']
        'PREPARE p AS SELECT $1$x; SELECT 2'      || ['PREPARE p AS SELECT $1$x', 'SELECT 2']
    }

    def "dollar signs inside identifiers do not open a dollar quote"() {
        expect:
        texts('SELECT a$b$c; SELECT x$$; SELECT 2') == ['SELECT a$b$c', 'SELECT x$$', 'SELECT 2']
    }

    def "a SQL-standard function body with BEGIN ATOMIC is one statement"() {
        given:
        def sql = '''CREATE FUNCTION add_one(i int) RETURNS int
LANGUAGE sql
BEGIN ATOMIC
  SELECT i + 1;
  SELECT CASE WHEN i > 0 THEN 1 ELSE 0 END;
END;
SELECT add_one(1);'''

        when:
        def statements = texts(sql)

        then:
        statements.size() == 2
        statements[0].startsWith('CREATE FUNCTION add_one')
        statements[0].endsWith('END;\nEND')
        statements[1] == 'SELECT add_one(1)'
    }

    def "BEGIN ATOMIC is recognised in #variant"() {
        expect:
        texts(sql + '; SELECT 2') == [sql, 'SELECT 2']

        where:
        variant                        | sql
        'CREATE OR REPLACE PROCEDURE'  | 'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); DELETE FROM u; END'
        'lower case'                   | 'create or replace function f() returns int begin atomic select 1; end'
        'mixed case and comments'      | 'Create /* c */ Function f() Returns int Begin -- x\n Atomic Select 1; End'
        'nested CASE expressions'      | 'CREATE FUNCTION f(x int) RETURNS int BEGIN ATOMIC SELECT CASE x WHEN 1 THEN CASE WHEN true THEN 1 END ELSE 2 END; SELECT 3; END'
        'END as a word inside strings' | "CREATE FUNCTION f() RETURNS text BEGIN ATOMIC SELECT 'END;'; SELECT 1 AS \"end\"; END"
    }

    def "BEGIN outside a routine definition does not hold back the split"() {
        expect:
        texts(sql) == expected

        where:
        sql                                                          || expected
        'BEGIN; SELECT 1; END;'                                      || ['BEGIN', 'SELECT 1', 'END']
        'SELECT 1 AS begin; SELECT 2'                                || ['SELECT 1 AS begin', 'SELECT 2']
        'CREATE TABLE t (begin int, x text); SELECT 2'               || ['CREATE TABLE t (begin int, x text)', 'SELECT 2']
        'CREATE FUNCTION f(i int) RETURNS int RETURN i + 1; SELECT 2' || ['CREATE FUNCTION f(i int) RETURNS int RETURN i + 1', 'SELECT 2']
        'CREATE FUNCTION begin() RETURNS int AS $$SELECT 1$$ LANGUAGE sql; SELECT 2' || ['CREATE FUNCTION begin() RETURNS int AS $$SELECT 1$$ LANGUAGE sql', 'SELECT 2']
        'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN 1; END$$; SELECT 2' || ['CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN 1; END$$', 'SELECT 2']
        'CREATE FUNCTION_LIKE_TABLE x BEGIN ATOMIC; SELECT 2'        || ['CREATE FUNCTION_LIKE_TABLE x BEGIN ATOMIC', 'SELECT 2']
    }

    def "start line and offset point at the statement's first character after leading comments"() {
        given:
        def sql = '''-- header comment
/* block
   comment */

SELECT 1;   -- after one
SELECT
  2
  ;
  /* before three */ SELECT 3'''

        when:
        def statements = StatementSplitter.split(sql)

        then:
        statements*.text() == ['SELECT 1', 'SELECT\n  2', 'SELECT 3']
        statements*.startLine() == [5, 6, 9]
        statements.every { sql.substring(it.startOffset(), it.startOffset() + it.text().length()) == it.text() }
    }

    def "start lines count CRLF and lone CR line endings once each"() {
        when:
        def statements = StatementSplitter.split('SELECT 1;\r\n\r\nSELECT 2;\rSELECT\r\n3;\nSELECT 4')

        then:
        statements*.startLine() == [1, 3, 4, 6]
    }

    def "a trailing comment before the semicolon stays with its statement"() {
        expect:
        texts('SELECT 1 -- one\n;SELECT 2') == ['SELECT 1 -- one', 'SELECT 2']
    }

    def "an unterminated #construct keeps the rest of the script as the last statement"() {
        when:
        def statements = texts('SELECT 1; ' + rest)

        then:
        statements == ['SELECT 1', rest]

        where:
        construct                | rest
        'string'                 | "SELECT 'abc; SELECT 2;\n  "
        'E string'               | "SELECT E'abc\\'; SELECT 2;"
        'E string ending in \\'  | "SELECT E'abc\\"
        'quoted identifier'      | 'SELECT "abc; SELECT 2;'
        'dollar quote'           | 'DO $$ BEGIN; SELECT 2;'
        'tagged dollar quote'    | 'DO $x$ BEGIN; $$; SELECT 2; $y$'
        'block comment'          | 'SELECT 2 /* abc; SELECT 3;'
        'nested block comment'   | 'SELECT 2 /* a /* b */ SELECT 3;'
        'BEGIN ATOMIC body'      | 'CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2;'
    }

    def "a script of only an unterminated comment is dropped"() {
        expect:
        texts('SELECT 1; /* never closed; SELECT 2;') == ['SELECT 1']
    }

    def "a 5 MB script splits in well under a second"() {
        given:
        def chunk = '''-- a comment; with a semicolon
INSERT INTO t (a, "b;c") VALUES ('x;y', E'it\\'s', $1);
DO $$ BEGIN PERFORM 1; END $$;
/* outer /* inner; */ still; */ SELECT 1;
CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END;
'''
        def script = new StringBuilder()
        while (script.length() < 5 * 1024 * 1024) {
            script.append(chunk)
        }
        def sql = script.toString()
        StatementSplitter.split(sql.substring(0, 100_000)) // warm up the JIT

        when:
        long started = System.nanoTime()
        def statements = StatementSplitter.split(sql)
        long millis = (System.nanoTime() - started).intdiv(1_000_000)

        then:
        statements.size() == (sql.length().intdiv(chunk.length())) * 4
        millis < 1000
    }
}
