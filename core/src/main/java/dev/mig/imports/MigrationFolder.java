package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.SqlTokens;
import dev.mig.sql.StatementSplitter;
import dev.mig.sql.TransactionBlock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a folder of migrations written for Flyway, golang-migrate, dbmate, goose, Prisma, popx, sqlx or as plain ordered
 * {@code .sql} files, and orders them as that tool would run them. Only the folder's own files
 * are read (not subfolders); what is not a migration of the format is reported, not guessed at.
 */
public final class MigrationFolder {

    static final Pattern FLYWAY_VERSIONED = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql", Pattern.CASE_INSENSITIVE);
    static final Pattern FLYWAY_REPEATABLE = Pattern.compile("R__(.+)\\.sql", Pattern.CASE_INSENSITIVE);
    static final Pattern GOLANG = Pattern.compile("(\\d+)_(.*)\\.(up|down)\\.sql", Pattern.CASE_INSENSITIVE);
    static final Pattern DBMATE = Pattern.compile("(\\d+).*\\.sql", Pattern.CASE_INSENSITIVE);
    static final Pattern DBMATE_MARKER = Pattern.compile("(?m)^--\\s*migrate:(up|down)\\b(.*)$");

    /**
     * What a folder becomes: the format read, the migrations in order, warnings, files to write beside the plan,
     * and why the format was chosen ({@code as asked (--format goose)}, or the marker or name auto saw, with a file).
     */
    public record Result(ImportFormat format, List<Migration> migrations, List<String> warnings, Map<Path, String> generated,
                         String reason) {

        /** The format and why, as import prints it: {@code goose: -- +goose Up in 001_init.sql}. */
        public String chosen() {
            return format.cliName() + ": " + reason;
        }
    }

    private final Path dir;
    private final Path generatedDir;
    private final List<String> warnings = new ArrayList<>();
    private final Map<Path, String> generated = new LinkedHashMap<>();

    /** {@code generatedDir}: where dbmate files' up and down parts are written. */
    public MigrationFolder(Path dir, Path generatedDir) {
        this.dir = dir;
        this.generatedDir = generatedDir;
    }

    private boolean skipCode;

    /** Leave code migrations (goose .go, Flyway Java/Kotlin) out with a warning instead of writing steps that fail (see CodeMigrations). */
    public MigrationFolder skipCode(boolean skip) {
        this.skipCode = skip;
        return this;
    }

    /** Why the format was chosen; set by read and detect. */
    private String reason;

    public Result read(ImportFormat format) {
        reason = "as asked (--format " + format.cliName() + ")";
        if (!Files.isDirectory(dir)) {
            throw new MigException(ExitCode.PLAN_ERROR, dir + " is not a folder", "name the folder that holds the migration files");
        }
        if (format == ImportFormat.SQITCH || format == ImportFormat.AUTO && SqitchFolder.isProject(dir)) {
            if (!SqitchFolder.isProject(dir)) {
                throw new MigException(ExitCode.PLAN_ERROR, "no " + SqitchFolder.PLAN + " in " + dir, "name the Sqitch project's folder (the one holding sqitch.plan)");
            }
            if (format == ImportFormat.AUTO) {
                reason = SqitchFolder.PLAN;
            }
            return new Result(ImportFormat.SQITCH, new SqitchFolder(dir, generatedDir, this, warnings, generated).read(), warnings, generated, reason);
        }
        if (format == ImportFormat.PRISMA || (format == ImportFormat.AUTO && PrismaFolder.looksLike(dir))) {
            if (format == ImportFormat.AUTO) {
                reason = PrismaFolder.why(dir);
            }
            return new Result(ImportFormat.PRISMA, PrismaFolder.read(dir, this, warnings), warnings, generated, reason);
        }
        List<Path> files = new ArrayList<>();
        List<Path> codeFiles = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.sorted().forEach(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    return;
                }
                if (Files.isDirectory(p)) {
                    warnings.add(name + "/: a folder; its files were not read");
                } else if (CodeMigrations.candidate(name)) {     // goose .go, Flyway .java/.kt/.class
                    codeFiles.add(p);
                } else if (!name.toLowerCase().endsWith(".sql")) {
                    warnings.add(name + ": not a .sql file, skipped");
                } else {
                    files.add(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new MigException(ExitCode.PLAN_ERROR, "no .sql files in " + dir, "name the folder that holds the migration files");
        }
        ImportFormat chosen = format == ImportFormat.AUTO ? detect(files) : format;
        List<Path> code = CodeMigrations.of(chosen, codeFiles, warnings);
        List<Migration> migrations = switch (chosen) {
            case SQLX -> new SqlxFiles(this, warnings).read(files);
            case POPX -> new PopxFiles(this, warnings).read(files);
            case GOOSE -> new GooseFiles(this, warnings, generated, generatedDir).read(files, code, skipCode);
            case FLYWAY -> flyway(files, code);
            case GOLANG_MIGRATE -> golang(files);
            case DBMATE -> dbmate(files);
            case LIQUIBASE -> new LiquibaseFolder(generatedDir, this, warnings, generated).read(files);
            default -> plain(files);
        };
        return new Result(chosen, migrations, warnings, generated, reason);
    }

    private ImportFormat detect(List<Path> files) {
        Map<ImportFormat, List<String>> seen = new TreeMap<>();
        Map<ImportFormat, String> why = new TreeMap<>();   // the first file's marker or name pattern, per format
        for (Path p : files) {
            String name = p.getFileName().toString();
            String text = read(p);
            Matcher goose = GooseFiles.MARKER.matcher(text);
            Matcher dbmate = DBMATE_MARKER.matcher(text);
            ImportFormat f;
            String because;
            if (LiquibaseFolder.isChangelog(text)) {
                f = ImportFormat.LIQUIBASE;
                because = "--liquibase formatted sql in " + name;
            } else if (goose.find()) {     // goose annotations, whatever the name: never plain
                f = ImportFormat.GOOSE;
                int end = text.indexOf('\n', goose.start());
                because = text.substring(goose.start(), end < 0 ? text.length() : end).strip() + " in " + name;
            } else if (SqlxFiles.marked(name, text)) {        // '-- no-transaction' first: only sqlx reads that
                f = ImportFormat.SQLX;
                because = "-- no-transaction first in " + name;
            } else if (PopxFiles.marked(name)) {                  // a dialect or .autocommit: popx, though golang-migrate's pattern fits
                f = ImportFormat.POPX;
                because = name + " (a dialect or .autocommit before .up.sql)";
            } else if (GOLANG.matcher(name).matches()) {
                f = ImportFormat.GOLANG_MIGRATE;
                because = name + " (<version>_<title>.up.sql/.down.sql names)";
            } else if (FLYWAY_VERSIONED.matcher(name).matches() || FLYWAY_REPEATABLE.matcher(name).matches()) {
                f = ImportFormat.FLYWAY;
                because = name + " (V<version>__<desc>.sql, R__<desc>.sql names)";
            } else if (DBMATE.matcher(name).matches() && dbmate.find()) {
                f = ImportFormat.DBMATE;
                because = dbmate.group().strip() + " in " + name;
            } else {
                continue;
            }
            seen.computeIfAbsent(f, k -> new ArrayList<>()).add(name);
            why.putIfAbsent(f, because);
        }
        if (seen.containsKey(ImportFormat.POPX) && seen.containsKey(ImportFormat.GOLANG_MIGRATE)) {
            // popx's dialect-less files have golang-migrate's names: with a dialect file beside them, they are popx's
            seen.get(ImportFormat.POPX).addAll(seen.remove(ImportFormat.GOLANG_MIGRATE));
        }
        if (seen.containsKey(ImportFormat.SQLX) && seen.containsKey(ImportFormat.GOLANG_MIGRATE)) {
            // sqlx's reversible files have golang-migrate's names: beside a '-- no-transaction' file, they are sqlx's
            seen.get(ImportFormat.SQLX).addAll(seen.remove(ImportFormat.GOLANG_MIGRATE));
        }
        if (seen.isEmpty()) {
            reason = "no other tool's marker or file names in the " + files.size() + " .sql file" + (files.size() == 1 ? "" : "s")
                    + " (e.g. " + files.get(0).getFileName() + ")";
            return ImportFormat.PLAIN;
        }
        if (seen.size() == 1) {
            ImportFormat f = seen.keySet().iterator().next();
            reason = why.get(f);
            return f;
        }
        StringBuilder which = new StringBuilder();
        seen.forEach((f, names) -> which.append(which.length() == 0 ? "" : ", ").append(names.size()).append(" look like ")
                .append(f.cliName()).append(" (").append(names.get(0)).append(names.size() > 1 ? ", ..." : "").append(')'));
        throw new MigException(ExitCode.PLAN_ERROR, "cannot tell the layout of " + dir + ": " + which,
                "pass --format " + String.join("|", seen.keySet().stream().map(ImportFormat::cliName).toList())
                        + "; files that do not fit it are listed as skipped");
    }

    // ---- Flyway: V<version>__<desc>.sql in version order, then R__<desc>.sql by description; U<version>__ undoes V<version>__

    private List<Migration> flyway(List<Path> files, List<Path> code) {
        TreeMap<List<BigInteger>, Path> versioned = new TreeMap<>(MigrationVersions::compareVersions);
        Map<List<BigInteger>, Path> undo = new TreeMap<>(MigrationVersions::compareVersions);
        TreeMap<String, Path> repeatable = new TreeMap<>();
        FlywayCallbacks callbacks = new FlywayCallbacks(warnings);
        for (Path p : files) {
            String name = p.getFileName().toString();
            Matcher v = FLYWAY_VERSIONED.matcher(name);
            Matcher r = FLYWAY_REPEATABLE.matcher(name);
            if (v.matches()) {
                List<BigInteger> version = MigrationVersions.version(v.group(2));
                Map<List<BigInteger>, Path> into = v.group(1).equalsIgnoreCase("V") ? versioned : undo;
                Path other = into.putIfAbsent(version, p);
                if (other != null) {
                    throw duplicate("version " + v.group(2), other, p);
                }
            } else if (r.matches()) {
                Path other = repeatable.putIfAbsent(r.group(1), p);
                if (other != null) {
                    throw duplicate("repeatable '" + r.group(1) + "'", other, p);
                }
            } else if (FlywayCallbacks.isCallback(name)) {
                callbacks.add(p);
            } else {
                warnings.add(name + ": not a Flyway migration name (V1__x.sql, U1__x.sql, R__x.sql), skipped");
            }
            if (v.matches() || r.matches()) {
                FlywayCallbacks.placeholders(name, read(p), warnings);
            }
        }
        CodeMigrations.placeFlyway(code, versioned, repeatable, this);     // Java/Kotlin: at their version, or by description
        List<Migration> out = new ArrayList<>(callbacks.before(this));
        versioned.forEach((version, p) -> out.add(code.contains(p) ? CodeMigrations.flywayStep(p, undo.remove(version), skipCode, warnings)
                : migration(p, undo.remove(version), false, false)));
        undo.values().forEach(p -> warnings.add(p.getFileName() + ": an undo file without a V file of its version, skipped"));
        repeatable.values().forEach(p -> out.add(code.contains(p) ? CodeMigrations.of(p, "Flyway", skipCode, warnings) : migration(p, null, false, true)));
        out.removeIf(java.util.Objects::isNull);     // code migrations left out (--skip-code-migrations)
        out.addAll(callbacks.after(this));
        return out;
    }

    // ---- golang-migrate: <version>_<title>.up.sql / .down.sql, by version

    private List<Migration> golang(List<Path> files) {
        TreeMap<BigInteger, Path> up = new TreeMap<>();
        TreeMap<BigInteger, Path> down = new TreeMap<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            Matcher m = GOLANG.matcher(name);
            if (!m.matches()) {
                warnings.add(name + ": not a golang-migrate name (1_x.up.sql, 1_x.down.sql), skipped");
                continue;
            }
            BigInteger version = new BigInteger(m.group(1));
            Path other = (m.group(3).equalsIgnoreCase("up") ? up : down).putIfAbsent(version, p);
            if (other != null) {
                throw duplicate("version " + version, other, p);
            }
        }
        List<Migration> out = new ArrayList<>();
        up.forEach((version, p) -> out.add(migration(p, down.remove(version), false, false)));
        down.values().forEach(p -> warnings.add(p.getFileName() + ": a down file without an up file of its version, skipped"));
        return out;
    }

    // ---- dbmate: <version>*.sql with -- migrate:up and -- migrate:down sections, by version

    private List<Migration> dbmate(List<Path> files) {
        TreeMap<BigInteger, Path> byVersion = new TreeMap<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            Matcher m = DBMATE.matcher(name);
            if (!m.matches()) {
                warnings.add(name + ": not a dbmate name (20200101120000_x.sql), skipped");
                continue;
            }
            Path other = byVersion.putIfAbsent(new BigInteger(m.group(1)), p);
            if (other != null) {
                throw duplicate("version " + m.group(1), other, p);
            }
        }
        List<Migration> out = new ArrayList<>();
        for (Path p : byVersion.values()) {
            Migration m = dbmateFile(p);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    private Migration dbmateFile(Path p) {
        String name = p.getFileName().toString();
        String text = read(p);
        String upText = null;
        String downText = null;
        boolean noTransaction = false;
        List<MatchResult> markers = DBMATE_MARKER.matcher(text).results().toList();
        for (int i = 0; i < markers.size(); i++) {
            MatchResult marker = markers.get(i);
            int to = i + 1 < markers.size() ? markers.get(i + 1).start() : text.length();
            int from = Math.min(marker.end() + 1, to);
            String section = "-- " + name + " from line " + (lineOf(text, marker.start()) + 1)
                    + ", written by mig import; edit the original and import again\n" + text.substring(from, to);
            if (marker.group(1).equalsIgnoreCase("up")) {
                upText = section;
                noTransaction = marker.group(2).replace(" ", "").toLowerCase().contains("transaction:false");
            } else {
                downText = section;
            }
        }
        if (upText == null) {
            warnings.add(name + ": no '-- migrate:up' line, skipped");
            return null;
        }
        String stem = name.substring(0, name.length() - ".sql".length());
        Path up = generatedDir.resolve(stem + ".up.sql");
        generated.put(up, upText);
        Path down = null;
        if (downText != null && !StatementSplitter.split(downText).isEmpty()) {
            down = generatedDir.resolve(stem + ".down.sql");
            generated.put(down, downText);
        }
        return new Migration(name, up, down, refused(name, upText), noTransaction, false);
    }

    // ---- plain: every .sql file, by name with numbers compared as numbers (2_x before 10_x)

    private List<Migration> plain(List<Path> files) {
        List<Path> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(p -> p.getFileName().toString(), MigrationVersions::compareNatural));
        List<Migration> out = new ArrayList<>();
        for (Path p : sorted) {
            out.add(migration(p, null, false, false));
        }
        return out;
    }

    private Migration migration(Path up, Path down, boolean noTransaction, boolean repeatable) {
        String name = up.getFileName().toString();
        return new Migration(name, up, down, refused(name, read(up)), noTransaction, repeatable);
    }

    /** The statements of {@code sql} that cannot run in a transaction; warns about ones mig cannot run as written. */
    List<String> refused(String file, String sql) {
        List<String> refused = new ArrayList<>();
        List<SqlStatement> statements = StatementSplitter.split(sql);
        for (SqlStatement statement : statements) {
            if (statement.text().startsWith("\\")) {
                warnings.add(file + ":" + statement.startLine() + ": a psql meta-command (" + statement.text().lines().findFirst().orElse("")
                        + "), which the server will refuse; edit the file");
                continue;
            }
            List<SqlTokens.Token> tokens = SqlTokens.of(statement.text());
            String what = TransactionBlock.refused(tokens);
            if (what != null && !refused.contains(what)) {
                refused.add(what);
            }
            if (!tokens.isEmpty() && (tokens.get(0).is("BEGIN") || tokens.get(0).is("COMMIT") || tokens.get(0).is("ROLLBACK")
                    || (tokens.get(0).is("START") && tokens.size() > 1 && tokens.get(1).is("TRANSACTION")))) {
                warnings.add(file + ":" + statement.startLine() + ": " + tokens.get(0).upper()
                        + " in the file; mig runs each step in its own transaction, remove it");
            }
        }
        if (!refused.isEmpty() && statements.size() > 1) {
            warnings.add(file + ": " + String.join(", ", refused) + " with " + (statements.size() - 1)
                    + " other statement" + (statements.size() == 2 ? "" : "s") + "; the step runs without a transaction, so a failure"
                    + " keeps the statements before it (split the file to make it safe to rerun)");
        }
        return refused;
    }

    MigException duplicate(String what, Path first, Path second) {
        return new MigException(ExitCode.PLAN_ERROR, "two migrations of " + what + " in " + dir + ": "
                + first.getFileName() + " and " + second.getFileName(),
                "the tool that wrote them would refuse them too; rename or remove one");
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MigException(ExitCode.PLAN_ERROR, p + " cannot be read: " + e.getMessage());
        }
    }
}
