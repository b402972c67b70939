package dev.mig.run;

import dev.mig.api.SourceLocation;
import dev.mig.model.Action;
import dev.mig.result.StepFailure;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.StatementSplitter;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;

/**
 * Runs SQL text one statement at a time, so that an error names its statement and the line it
 * is on (in the SQL file, or in the plan for inline SQL), and collects the server's notices.
 */
final class SqlExecutor {

    private final Connection connection;
    private final List<String> notices;
    private final BlockerWatch watch;
    private final java.util.function.Consumer<String> beforeStatement;

    SqlExecutor(Connection connection, List<String> notices, BlockerWatch watch) {
        this(connection, notices, watch, text -> { });
    }

    /** {@code beforeStatement} sees each statement's text just before it is sent: {@code --verbose} echoes it. */
    SqlExecutor(Connection connection, List<String> notices, BlockerWatch watch, java.util.function.Consumer<String> beforeStatement) {
        this.connection = connection;
        this.notices = notices;
        this.watch = watch;
        this.beforeStatement = beforeStatement;
    }

    /**
     * SQL to send in the same round trip as the next statement, just before it (a step's
     * settings, {@link StepSettings#localPrefix}); asked once per statement, null when none.
     */
    private java.util.function.Supplier<String> prefix = () -> null;

    SqlExecutor withPrefix(java.util.function.Supplier<String> prefix) {
        this.prefix = prefix;
        return this;
    }

    void run(Action.Sql sql) throws StepFailedException {
        for (SqlStatement statement : StatementSplitter.split(sql.text())) {
            execute(sql, statement);
        }
    }

    private void execute(Action.Sql sql, SqlStatement statement) throws StepFailedException {
        beforeStatement.accept(sql.masked(statement.text()));
        watch.begin();
        boolean failed = true;
        try (Statement st = connection.createStatement()) {
            st.setEscapeProcessing(false);
            try {
                String before = prefix.get();
                st.execute(before == null ? statement.text() : before + statement.text());
                failed = false;
            } finally {
                collectNotices(st.getWarnings(), notices);
            }
        } catch (SQLException e) {
            throw new StepFailedException(failure(sql, statement, e));
        } finally {
            watch.end(failed);
        }
    }

    static void collectNotices(SQLWarning warning, List<String> notices) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            if (w instanceof PSQLWarning pw && pw.getServerErrorMessage() != null) {
                ServerErrorMessage m = pw.getServerErrorMessage();
                notices.add(m.getSeverity() + ": " + m.getMessage());
            } else {
                notices.add("WARNING: " + w.getMessage());
            }
        }
    }

    static StepFailure failure(Action.Sql sql, SqlStatement statement, SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException pe ? pe.getServerErrorMessage() : null;
        int position = server == null ? 0 : server.getPosition();
        int lineInText = position > 0 ? statement.lineOfPosition(position) : statement.startLine();
        SourceLocation where = sql.fromFile()
                ? new SourceLocation(sql.file(), lineInText)
                : sql.location().withLine(sql.location().line() + lineInText - 1);
        String caret = position > 0 ? statement.caretExcerpt(position) : null;
        String message = server != null && server.getMessage() != null ? server.getMessage() : e.getMessage();
        // the values of secret placeholders are in the statement and may be in the server's words: never shown
        return new StepFailure(sql.masked(message), where, sql.masked(statement.text()), sql.masked(caret), e.getSQLState(),
                server == null ? null : sql.masked(server.getDetail()), server == null ? null : sql.masked(server.getHint()), e);
    }
}
