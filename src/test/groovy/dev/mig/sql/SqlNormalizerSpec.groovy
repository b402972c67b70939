package dev.mig.sql

import spock.lang.Specification

class SqlNormalizerSpec extends Specification {

    def "SQL normalises equal exactly when only layout or comments differ: #why"() {
        expect:
        (SqlNormalizer.normalize(a) == SqlNormalizer.normalize(b)) == equal

        where:
        why                                  | a                                          | b                                                            || equal
        'statements reformatted'             | 'SELECT 1; SELECT 2'                       | 'SELECT 1;\n\n-- c\nSELECT 2;'                               || true
        'a table reformatted'                | 'CREATE TABLE t (id int, name text);'      | 'CREATE TABLE t (\n  id   int ,\n  name text\n)\n;'          || true
        'tabs and trailing spaces'           | 'SELECT a\tFROM t  '                       | 'SELECT a\n  FROM t'                                         || true
        'a trailing semicolon'               | 'SELECT 1'                                 | 'SELECT 1;'                                                  || true
        'empty statements'                   | 'SELECT 1;;; SELECT 2'                     | 'SELECT 1; SELECT 2'                                         || true
        'CRLF line endings'                  | 'SELECT 1;\r\nSELECT\r\n  2;\r\n'          | 'SELECT 1;\nSELECT\n  2;\n'                                  || true
        'CRLF inside a literal'              | "SELECT 'a\r\nb'"                          | "SELECT 'a\nb'"                                              || true
        'lone CR inside a dollar body'       | 'DO $$ a\rb $$'                            | 'DO $$ a\nb $$'                                              || true
        'a comment changed'                  | 'SELECT 1 -- one'                          | 'SELECT 1 /* two */'                                         || true
        'a comment added between lines'      | 'SELECT a,\n b FROM t'                     | 'SELECT a, -- the a\n b /* the b */ FROM t'                  || true
        'a nested comment removed'           | 'SELECT /* a /* b */ c; */ 1'              | 'SELECT 1'                                                   || true
        'a BEGIN ATOMIC body reformatted'    | 'CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END;' | 'CREATE FUNCTION f() RETURNS int\nBEGIN ATOMIC\n  SELECT 1 ;\nEND;' || true
        'a literal changed'                  | "SELECT 'a'"                               | "SELECT 'b'"                                                 || false
        'whitespace inside a literal'        | "SELECT 'a  b'"                            | "SELECT 'a b'"                                               || false
        'whitespace inside an E string'      | "SELECT E'a\\'  b'"                        | "SELECT E'a\\' b'"                                           || false
        'whitespace inside a dollar body'    | 'DO $$ BEGIN  NULL; END $$'                | 'DO $$ BEGIN NULL; END $$'                                   || false
        'a comment inside a dollar body'     | 'DO $f$ BEGIN NULL; -- x\nEND $f$'         | 'DO $f$ BEGIN NULL;\nEND $f$'                                || false
        'whitespace in a quoted identifier'  | 'SELECT 1 AS "a b"'                        | 'SELECT 1 AS "a  b"'                                         || false
        'comment markers inside a literal'   | "SELECT '-- not a comment'"                | "SELECT ''"                                                  || false
        'an identifier changed'              | 'SELECT a FROM t'                          | 'SELECT b FROM t'                                            || false
        'a statement added'                  | 'SELECT 1'                                 | 'SELECT 1; SELECT 1'                                         || false
        'keyword case (not normalised)'      | 'select 1'                                 | 'SELECT 1'                                                   || false
        'a space added after a comma'        | 'f(a,b)'                                   | 'f(a, b)'                                                    || false
        'tokens run together'                | 'SELECT a b'                               | 'SELECT ab'                                                  || false
    }

    def "SQL normalises to a predictable form: #sql.inspect()"() {
        expect:
        SqlNormalizer.normalize(sql) == expected

        where:
        sql                                                    || expected
        'SELECT  1 ;'                                          || 'SELECT 1'
        ' SELECT 1;\n\n-- c\nSELECT 2; '                       || 'SELECT 1;\nSELECT 2'
        'INSERT INTO t ( a , b ) VALUES ( 1 , 2 )'             || 'INSERT INTO t (a, b) VALUES (1, 2)'
        "SELECT 'a\r\n  b'"                                    || "SELECT 'a\n  b'"
        'SELECT a/*x*/b'                                       || 'SELECT a b'    // a comment separates tokens
        'CREATE FUNCTION f() RETURNS int BEGIN ATOMIC\n  SELECT 1 ;\nEND;' || 'CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END'
        'SELECT $1 ,$2'                                        || 'SELECT $1,$2'  // spaces are only ever removed
        '-- only a comment\n'                                  || ''
        ''                                                     || ''
        "SELECT 'never closed  ;\r\n  x"                       || "SELECT 'never closed  ;\n  x"
        'SELECT 1 /* never closed'                             || 'SELECT 1'
    }

    def "Groovy source normalises equal exactly when only layout or comments differ: #why"() {
        expect:
        (SqlNormalizer.normalizeGroovy(a) == SqlNormalizer.normalizeGroovy(b)) == equal

        where:
        why                                  | a                                  | b                                              || equal
        'reindented'                         | '{ sql "SELECT 1" }'               | '{\n    sql "SELECT 1"\n}'                     || true
        'a line comment added'               | '{ x() }'                          | '{ x() // note\n }'                            || true
        'a block comment added'              | '{ x() }'                          | '{ /* c\n more */ x() }'                       || true
        'CRLF line endings'                  | '{\r\n  a()\r\n  b()\r\n}'         | '{\n  a()\n  b()\n}'                           || true
        'CRLF inside a triple-quoted string' | "{ sql '''a\r\nb''' }"             | "{ sql '''a\nb''' }"                           || true
        'a literal changed'                  | '{ sql "SELECT 1" }'               | '{ sql "SELECT 2" }'                           || false
        'whitespace inside a literal'        | "{ x 'a  b' }"                     | "{ x 'a b' }"                                  || false
        'a comment inside a triple string'   | '{ sql """\n  SELECT 1 -- keep\n""" }' | '{ sql """\n  SELECT 1\n""" }'            || false
        'slashes inside a string'            | '{ println "http://x" }'           | '{ println "http:" }'                          || false
        'an escaped quote in a string'       | "{ x 'it\\'s  // no comment' }"    | "{ x 'it\\'s // no comment' }"                 || false
        'an identifier changed'              | '{ a() }'                          | '{ b() }'                                      || false
    }

    def "Groovy source normalises to a predictable form: #source.inspect()"() {
        expect:
        SqlNormalizer.normalizeGroovy(source) == expected

        where:
        source                                   || expected
        '  {\n\tsql  "a"\r\n}  '                 || '{ sql "a" }'
        "{ x('''a\r\n  b''') }"                  || "{ x('''a\n  b''') }"
        '{ a /* b */ }'                          || '{ a }'
        '{ a /* b /* c */ d */ }'                || '{ a d */ }'   // Groovy block comments do not nest
        '{ a // b\n c }'                         || '{ a c }'
        '"""x "" y"""'                           || '"""x "" y"""'
        "x 'abc  "                               || "x 'abc  "    // unterminated string kept
        '{ a /* b'                               || '{ a'
        ''                                       || ''
    }
}
