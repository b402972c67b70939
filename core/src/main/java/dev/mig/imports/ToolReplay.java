package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.StatementSplitter;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an imported folder's migrations as the other tool would, without mig's plan machinery: in the tool's order,
 * each migration's SQL as one JDBC execute in one transaction, or, when the migration runs without one, statement by
 * statement in autocommit (as Flyway, goose and Liquibase split and run such a file). Flyway's built-in placeholders
 * are substituted as Flyway does; Sqitch's original deploy scripts run as psql runs them (autocommit, their own
 * BEGIN/COMMIT). Code migrations cannot run here either: they are left out and named in the result.
 * What it leaves out (Liquibase preconditions, Sqitch verify scripts, user placeholders) is in docs/DSL.md, mig import --check.
 */
public final class ToolReplay {

    /** Flyway's {@code flyway_schema_history}: the default of {@code flyway.table}, which {@code ${flyway:table}} names. */
    static final String FLYWAY_TABLE = "flyway_schema_history";

    private ToolReplay() {
    }

    /**
     * Runs {@code folder}'s migrations on {@code c}; returns the names of the code migrations left out.
     *
     * @throws MigException (exit 1) naming the migration, its file and the database error, when one fails
     */
    public static List<String> replay(MigrationFolder.Result folder, Path sourceDir, Connection c) {
        List<String> notReplayed = new ArrayList<>();
        Map<String, String> placeholders = folder.format() == ImportFormat.FLYWAY ? flywayPlaceholders(c) : Map.of();
        for (Migration m : folder.migrations()) {
            if (m.code()) {
                notReplayed.add(m.up().getFileName().toString());
                continue;
            }
            if (folder.format() == ImportFormat.SQITCH) {
                // Sqitch runs deploy/<change>.sql with psql: autocommit, the script's BEGIN/COMMIT make the transaction
                Path deploy = sourceDir.resolve("deploy").resolve(m.name() + ".sql");
                run(c, m, deploy, MigrationFolder.read(deploy), false);
                continue;
            }
            List<Path> files = new ArrayList<>();
            files.add(m.up());
            if (m.extra() != null) {
                files.addAll(m.extra().after());
            }
            for (Path file : files) {
                String sql = MigrationFolder.read(file);
                if (!placeholders.isEmpty()) {
                    sql = substitute(sql, placeholders, file.getFileName().toString());
                }
                run(c, m, file, sql, m.transactional());
            }
        }
        return notReplayed;
    }

    /** {@code ${flyway:...}} replaced by Flyway's values for this connection; other placeholders are left as they are. */
    static String substitute(String sql, Map<String, String> placeholders, String fileName) {
        String out = sql;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            out = out.replace("${" + p.getKey() + "}", p.getValue());
        }
        return out.replace("${flyway:filename}", fileName);
    }

    /**
     * Flyway's built-in placeholders (org.flywaydb.core.internal.parser.ParsingContext) without a Flyway configuration:
     * the default schema is the connection's current schema, the database its catalog, the user the current user.
     */
    static Map<String, String> flywayPlaceholders(Connection c) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_schema(), current_database(), current_user")) {
            rs.next();
            if (rs.getString(1) != null) {
                out.put("flyway:defaultSchema", rs.getString(1));
            }
            out.put("flyway:database", rs.getString(2));
            out.put("flyway:user", rs.getString(3));
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "check: cannot read the shadow's schema, database and user for Flyway's placeholders: "
                    + e.getMessage());
        }
        out.put("flyway:timestamp", new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new Date()));
        out.put("flyway:table", FLYWAY_TABLE);
        return out;
    }

    private static void run(Connection c, Migration m, Path file, String sql, boolean transactional) {
        int line = 0;
        try {
            if (transactional) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                c.commit();
            } else {
                c.setAutoCommit(true);
                for (SqlStatement statement : StatementSplitter.split(sql)) {
                    line = statement.startLine();
                    try (Statement s = c.createStatement()) {
                        s.execute(statement.text());
                    }
                }
            }
        } catch (SQLException e) {
            throw new MigException(ExitCode.STEP_FAILED, "check: migration " + m.name() + " (" + file + (line > 0 ? ":" + line : "")
                    + ") failed on the shadow of the files: " + oneLine(e.getMessage())
                    + (e.getSQLState() == null ? "" : " (SQL State " + e.getSQLState() + ")"),
                    "the tool itself would stop here too: fix the file, or import with the format it was written for (--format)");
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
