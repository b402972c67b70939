package dev.mig.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements at top-level semicolons.
 *
 * <p>Semicolons inside strings, quoted identifiers, dollar bodies and comments do not split
 * (see {@link SqlLexer}), nor do those inside the body of a SQL-standard routine,
 * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC ... END}. For those the
 * splitter counts, like psql does, {@code BEGIN} and {@code CASE} as opening and {@code END} as
 * closing a block, compared as whole words and ignoring case.
 *
 * <p>A statement's text starts at its first token after any leading comments and ends at its
 * last non-whitespace character before the semicolon, so a trailing comment stays with the
 * statement it follows. Statements of only whitespace and comments are dropped; a last
 * statement without a semicolon is kept. An unterminated string or comment swallows the rest of
 * the script into the last statement, where the server will report it with a position.
 */
public final class StatementSplitter {

    // How far the statement's first words match CREATE [OR REPLACE] FUNCTION|PROCEDURE.
    private static final int EXPECT_CREATE = 0;
    private static final int AFTER_CREATE = 1;
    private static final int AFTER_OR = 2;
    private static final int AFTER_REPLACE = 3;
    private static final int ROUTINE = 4;
    private static final int OTHER_STATEMENT = 5;

    private StatementSplitter() {
    }

    public static List<SqlStatement> split(String sql) {
        List<SqlStatement> statements = new ArrayList<>();
        SqlLexer lexer = new SqlLexer(sql);

        int start = -1; // of the current statement's text; -1 while none has begun
        int end = -1;
        int header = EXPECT_CREATE;
        boolean afterBegin = false;
        int atomicDepth = 0;

        // line numbers are counted incrementally so the whole split stays linear
        int line = 1;
        int lineCountedTo = 0;

        while (lexer.next()) {
            if (lexer.isCommentOrWhitespace()) {
                if (start >= 0 && lexer.kind() != SqlLexer.Kind.WHITESPACE) {
                    end = lexer.end();
                }
                continue;
            }
            if (lexer.kind() == SqlLexer.Kind.SEMICOLON && atomicDepth == 0) {
                if (start >= 0) {
                    line += SqlStatement.lineBreaks(sql, lineCountedTo, start);
                    lineCountedTo = start;
                    statements.add(new SqlStatement(sql.substring(start, end), line, start));
                }
                start = -1;
                header = EXPECT_CREATE;
                afterBegin = false;
                continue;
            }
            if (start < 0) {
                start = lexer.start();
            }
            end = lexer.end();

            header = nextHeaderState(header, lexer);
            if (header == ROUTINE) {
                boolean wasBegin = afterBegin;
                afterBegin = false;
                if (atomicDepth == 0) {
                    if (lexer.isWord("begin")) {
                        afterBegin = true;
                    } else if (wasBegin && lexer.isWord("atomic")) {
                        atomicDepth = 1;
                    }
                } else if (lexer.isWord("begin") || lexer.isWord("case")) {
                    atomicDepth++;
                } else if (lexer.isWord("end")) {
                    atomicDepth--;
                }
            }
        }
        if (start >= 0) {
            line += SqlStatement.lineBreaks(sql, lineCountedTo, start);
            statements.add(new SqlStatement(sql.substring(start, end), line, start));
        }
        return statements;
    }

    private static int nextHeaderState(int state, SqlLexer token) {
        return switch (state) {
            case EXPECT_CREATE -> token.isWord("create") ? AFTER_CREATE : OTHER_STATEMENT;
            case AFTER_CREATE -> token.isWord("or") ? AFTER_OR : routineOrOther(token);
            case AFTER_OR -> token.isWord("replace") ? AFTER_REPLACE : OTHER_STATEMENT;
            case AFTER_REPLACE -> routineOrOther(token);
            default -> state;
        };
    }

    private static int routineOrOther(SqlLexer token) {
        return token.isWord("function") || token.isWord("procedure") ? ROUTINE : OTHER_STATEMENT;
    }
}
