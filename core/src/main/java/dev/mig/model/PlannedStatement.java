package dev.mig.model;

import dev.mig.api.SourceLocation;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.StatementSplitter;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement a step would run, at its SQL file line or plan line; {@code lines} is its text
 * for display, with its lines after the first moved left as far as the first line started
 * right of its own line's start (so a statement indented in its file keeps its shape).
 */
public record PlannedStatement(SourceLocation at, String text, List<String> lines) {

    public PlannedStatement {
        lines = List.copyOf(lines);
    }

    /**
     * The statements of a {@code sql} or {@code sqlFile} element, each at the line it starts on:
     * in the SQL file, or in the plan counting from the {@code sql} call (as SqlExecutor places errors).
     */
    public static List<PlannedStatement> of(Action.Sql sql) {
        List<PlannedStatement> out = new ArrayList<>();
        for (SqlStatement statement : StatementSplitter.split(sql.text())) {
            SourceLocation at = sql.fromFile()
                    ? new SourceLocation(sql.file(), statement.startLine())
                    : sql.location().withLine(sql.location().line() + statement.startLine() - 1);
            out.add(new PlannedStatement(at, sql.masked(statement.text()), displayLines(sql, statement).stream().map(sql::masked).toList()));
        }
        return out;
    }

    private static List<String> displayLines(Action.Sql sql, SqlStatement statement) {
        List<String> lines = statement.text().lines().toList();
        if (lines.size() < 2) {
            return lines;
        }
        String source = sql.text();
        int lineStart = statement.startOffset();
        while (lineStart > 0 && source.charAt(lineStart - 1) != '\n' && source.charAt(lineStart - 1) != '\r') {
            lineStart--;
        }
        int column = statement.startOffset() - lineStart;
        int common = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        // inline SQL that starts right after its quotes: the lines after carry the plan's indentation
        boolean hanging = column == 0 && !sql.fromFile();
        int cut = hanging ? common : Math.min(column, common);
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            out.add((hanging ? "  " : "") + l.substring(Math.min(cut, l.length() - l.stripLeading().length())));
        }
        return out;
    }
}
