package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.text.GroovyText;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Liquibase formatted SQL: files whose first line is {@code --liquibase formatted sql}, read in
 * name order (as {@code includeAll} does), each {@code --changeset author:id} one step named
 * {@code author:id}. Its {@code --rollback} lines become the undo block, {@code runInTransaction:false}
 * {@code transaction false}, {@code runAlways}/{@code runOnChange} {@code runAlways true}, and
 * {@code --precondition-sql-check expectedResult:N SQL} a guard whose {@code onFalse} follows the
 * {@code --preconditions onFail:} that precedes it.
 */
final class LiquibaseFolder {

    static final Pattern HEADER = Pattern.compile("\\A\\s*--\\s*liquibase\\s+formatted\\s+sql.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern CHANGESET = Pattern.compile("--\\s*changeset\\s+(\"[^\"]*\"|[^:\\s]+):(\"[^\"]*\"|\\S+)(.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROLLBACK = Pattern.compile("--\\s*rollback\\b ?(.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRECONDITIONS = Pattern.compile("--\\s*preconditions\\b(.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SQL_CHECK = Pattern.compile("--\\s*precondition-sql-check\\s+expectedResult:(\"[^\"]*\"|'[^']*'|\\S+)\\s+(.+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern OTHER_PRECONDITION = Pattern.compile("--\\s*precondition-(\\S+).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern COMMENT = Pattern.compile("--\\s*(comment|validCheckSum|ignoreLines)\\b.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("(\\w+):(\"[^\"]*\"|\\S+)");

    private final Path generatedDir;
    private final MigrationFolder folder;
    private final List<String> warnings;
    private final Map<Path, String> generated;
    private final Map<String, String> seen = new HashMap<>();

    LiquibaseFolder(Path generatedDir, MigrationFolder folder, List<String> warnings, Map<Path, String> generated) {
        this.generatedDir = generatedDir;
        this.folder = folder;
        this.warnings = warnings;
        this.generated = generated;
    }

    static boolean isChangelog(String text) {
        return HEADER.matcher(text).matches();
    }

    /** {@code files} sorted by name. */
    List<Migration> read(List<Path> files) {
        List<Migration> out = new ArrayList<>();
        for (Path p : files) {
            String text = MigrationFolder.read(p);
            if (!isChangelog(text)) {
                warnings.add(p.getFileName() + ": no '--liquibase formatted sql' first line, skipped");
                continue;
            }
            file(p, text, out);
        }
        if (out.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "no '--changeset author:id' line in the Liquibase files of " + generatedDir.getParent(),
                    "each changeset starts with a line '--changeset author:id'");
        }
        return out;
    }

    private final class Open {
        String author;
        String id;
        int line;
        Map<String, String> attributes = new HashMap<>();
        StringBuilder body = new StringBuilder();
        StringBuilder rollback = new StringBuilder();
        String onFail = "HALT";
        List<String> checks = new ArrayList<>();
        List<String> checkWhere = new ArrayList<>();
    }

    private void file(Path p, String text, List<Migration> out) {
        String file = p.getFileName().toString();
        List<String> lines = text.lines().toList();
        Open open = null;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            int lineNo = i + 1;
            Matcher m;
            if ((m = CHANGESET.matcher(trimmed)).matches()) {
                if (open != null) {
                    add(out, close(file, open));
                }
                open = new Open();
                open.author = unquote(m.group(1));
                open.id = unquote(m.group(2));
                open.line = lineNo;
                Matcher a = ATTRIBUTE.matcher(m.group(3));
                while (a.find()) {
                    open.attributes.put(a.group(1).toLowerCase(Locale.ROOT), unquote(a.group(2)));
                }
                String key = open.author + ":" + open.id;
                String other = seen.putIfAbsent(key, file + ":" + lineNo);
                if (other != null) {
                    throw new MigException(ExitCode.PLAN_ERROR, file + ":" + lineNo + ": changeset " + key + " again (first at " + other + ")",
                            "step names are author:id and must be unique; give one of them another id");
                }
                continue;
            }
            if (open == null) {
                if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
                    throw new MigException(ExitCode.PLAN_ERROR, file + ":" + lineNo + ": SQL before the first '--changeset author:id' line",
                            "Liquibase reads only changesets; put a '--changeset author:id' line above it");
                }
                continue;
            }
            if ((m = ROLLBACK.matcher(trimmed)).matches()) {
                open.rollback.append(m.group(1)).append('\n');
            } else if ((m = PRECONDITIONS.matcher(trimmed)).matches()) {
                Matcher a = ATTRIBUTE.matcher(m.group(1));
                while (a.find()) {
                    if (a.group(1).equalsIgnoreCase("onFail")) {
                        open.onFail = a.group(2).toUpperCase(Locale.ROOT);
                    }
                }
            } else if ((m = SQL_CHECK.matcher(trimmed)).matches()) {
                open.checks.add("value(" + GroovyText.literal(m.group(2).strip().replaceAll(";\\s*$", "")) + ")?.toString() == "
                        + GroovyText.literal(unquote(m.group(1))));
                open.checkWhere.add(file + ":" + lineNo);
            } else if ((m = OTHER_PRECONDITION.matcher(trimmed)).matches()) {
                warnings.add(file + ":" + lineNo + ": precondition-" + m.group(1) + " not carried (only precondition-sql-check is);"
                        + " write it as a guard of step " + open.author + ":" + open.id);
            } else if (COMMENT.matcher(trimmed).matches() || trimmed.isEmpty() && open.body.length() == 0) {
                if (open.body.length() > 0) {
                    open.body.append('\n');
                }
            } else {
                if (open.body.length() == 0) {
                    open.body.append("-- ").append(file).append(" changeset ").append(open.author).append(':').append(open.id)
                            .append(" from line ").append(lineNo).append(", written by mig import; edit the original and import again\n");
                }
                open.body.append(line).append('\n');
            }
        }
        if (open != null) {
            add(out, close(file, open));
        }
    }

    private static void add(List<Migration> out, Migration m) {
        if (m != null) {
            out.add(m);
        }
    }

    private Migration close(String file, Open open) {
        String name = open.author + ":" + open.id;
        String where = file + ":" + open.line;
        Map<String, String> at = open.attributes;
        String dbms = at.get("dbms");
        if (dbms != null && !List.of(dbms.toLowerCase(Locale.ROOT).split(",")).stream().map(String::strip)
                .anyMatch(d -> d.equals("postgresql") || d.equals("all"))) {
            warnings.add(where + ": changeset " + name + " is for dbms:" + dbms + ", skipped as Liquibase skips it on PostgreSQL");
            return null;
        }
        for (String ignored : List.of("context", "contextfilter", "labels", "enddelimiter", "failonerror")) {
            if (at.containsKey(ignored)) {
                warnings.add(where + ": " + ignored + ":" + at.get(ignored) + " of changeset " + name + " not carried"
                        + (ignored.equals("enddelimiter") ? " (mig splits statements at semicolons outside quotes and $$ bodies)" : "")
                        + (ignored.startsWith("context") || ignored.equals("labels") ? " (the step runs on every target; use tags)" : ""));
            }
        }
        String stem = safe(file.replaceAll("(?i)\\.sql$", "")) + "." + safe(name);
        Path up = generatedDir.resolve("liquibase").resolve(stem + ".sql");
        generated.put(up, open.body.length() == 0 ? "-- " + name + ": an empty changeset\n" : open.body.toString());
        Path down = null;
        String rollback = open.rollback.toString();
        if (!rollback.isBlank() && !rollback.strip().equalsIgnoreCase("not required") && !rollback.strip().equalsIgnoreCase("empty")) {
            down = generatedDir.resolve("liquibase").resolve(stem + ".rollback.sql");
            generated.put(down, "-- " + file + " changeset " + name + ": its --rollback lines, written by mig import\n" + rollback);
        }
        boolean noTransaction = "false".equalsIgnoreCase(at.get("runintransaction"));
        boolean always = "true".equalsIgnoreCase(at.get("runalways")) || "true".equalsIgnoreCase(at.get("runonchange"));
        String guard = null;
        if (!open.checks.isEmpty()) {
            String condition = String.join(" && ", open.checks);
            String message = "precondition at " + String.join(", ", open.checkWhere) + " is false (Liquibase onFail:" + open.onFail + ")";
            guard = switch (open.onFail) {
                case "MARK_RAN", "CONTINUE" -> "guard { " + condition + " }    // onFail:" + open.onFail + ": skipped, asked again on the next run";
                case "WARN" -> "guard(onFalse: 'warn', message: " + GroovyText.literal(message) + ") { " + condition + " }";
                default -> "guard(onFalse: 'fail', message: " + GroovyText.literal(message) + ") { " + condition + " }";
            };
        }
        return new Migration(name, up, down, folder.refused(where, open.body.toString()), noTransaction, always,
                new Migration.Extra(List.of(), guard, List.of(),
                        "true".equalsIgnoreCase(at.get("runalways")) ? "Liquibase runAlways:true" : "Liquibase runOnChange:true: mig runs it on every run",
                        "runInTransaction:false in " + where));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'")) ? s.substring(1, s.length() - 1) : s;
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
