package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.sql.StatementSplitter;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pressly/goose: {@code <version>_<name>.sql} files with {@code -- +goose Up} and {@code -- +goose Down}
 * sections, and {@code <version>_<name>.go} code migrations, run by version. Annotations are matched
 * as goose matches them: a line of its own starting {@code -- +goose}, case-insensitively.
 */
final class GooseFiles {

    static final Pattern NAME = Pattern.compile("(\\d+)_.*\\.(sql|go)", Pattern.CASE_INSENSITIVE);
    /** Any goose annotation; a file holding one is goose's, never plain. */
    static final Pattern MARKER = Pattern.compile("(?im)^--\\s*\\+goose\\s");
    private static final Pattern ANNOTATION = Pattern.compile("(?i)^--\\s*\\+goose\\s+(.*?)\\s*$");

    private final MigrationFolder folder;
    private final List<String> warnings;
    private final Map<Path, String> generated;
    private final Path generatedDir;

    GooseFiles(MigrationFolder folder, List<String> warnings, Map<Path, String> generated, Path generatedDir) {
        this.folder = folder;
        this.warnings = warnings;
        this.generated = generated;
        this.generatedDir = generatedDir;
    }

    List<Migration> read(List<Path> files, List<Path> codeFiles, boolean skipCode) {
        TreeMap<BigInteger, Path> byVersion = new TreeMap<>();
        List<Path> all = new ArrayList<>(files);
        all.addAll(codeFiles);
        for (Path p : all) {
            String name = p.getFileName().toString();
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                warnings.add(name + ": not a goose migration name (00001_x.sql, 00002_x.go), skipped");
                continue;
            }
            Path other = byVersion.putIfAbsent(new BigInteger(m.group(1)), p);
            if (other != null) {
                throw folder.duplicate("version " + new BigInteger(m.group(1)), other, p);
            }
        }
        List<Migration> out = new ArrayList<>();
        for (Path p : byVersion.values()) {
            Migration m = p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".go")
                    ? CodeMigrations.of(p, "goose", skipCode, warnings)
                    : sqlFile(p);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    private Migration sqlFile(Path p) {
        String name = p.getFileName().toString();
        String text = MigrationFolder.read(p);
        String[] lines = text.split("\n", -1);
        StringBuilder up = null;
        StringBuilder down = null;
        StringBuilder into = null;
        boolean noTransaction = false;
        int blockStart = 0;
        StringBuilder block = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            Matcher a = ANNOTATION.matcher(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            if (a.matches()) {
                String what = a.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
                switch (what) {
                    case "UP" -> {
                        if (up != null) {
                            throw error(name, lineNo, "a second '-- +goose Up'", "goose allows one Up section per file");
                        }
                        up = header(name, lineNo);
                        into = up;
                    }
                    case "DOWN" -> {
                        if (up == null) {
                            throw error(name, lineNo, "'-- +goose Down' before '-- +goose Up'", "goose needs the Up section first");
                        }
                        down = header(name, lineNo);
                        into = down;
                    }
                    case "STATEMENTBEGIN" -> {
                        block = new StringBuilder();
                        blockStart = lineNo;
                    }
                    case "STATEMENTEND" -> {
                        if (block == null) {
                            throw error(name, lineNo, "'-- +goose StatementEnd' without StatementBegin", "add the StatementBegin line or remove this one");
                        }
                        int n = StatementSplitter.split(block.toString()).size();
                        if (n > 1) {
                            warnings.add(name + ":" + blockStart + ": goose sends this StatementBegin/End block as one statement;"
                                    + " mig runs its " + n + " statements one by one in the same step");
                        }
                        block = null;
                    }
                    case "NO TRANSACTION" -> noTransaction = true;
                    case "ENVSUB ON", "ENVSUB OFF" -> warnings.add(name + ":" + lineNo + ": -- +goose " + a.group(1)
                            + ": goose substitutes ${VAR} from the environment; mig does not, so check the statements after it");
                    default -> warnings.add(name + ":" + lineNo + ": unknown goose annotation '" + a.group(1) + "', ignored");
                }
                if (into != null && !what.equals("UP") && !what.equals("DOWN")) {
                    into.append(line).append('\n');
                }
                continue;
            }
            if (block != null) {
                block.append(line).append('\n');
            }
            if (into != null) {
                into.append(line).append(i + 1 < lines.length ? "\n" : "");
            }
        }
        if (block != null) {
            throw error(name, blockStart, "'-- +goose StatementBegin' without StatementEnd", "add '-- +goose StatementEnd' after the statement");
        }
        if (up == null) {
            throw error(name, 1, "no '-- +goose Up' line", "goose refuses such a file too; add '-- +goose Up' before the first statement");
        }
        String stem = name.substring(0, name.length() - ".sql".length());
        Path upFile = generatedDir.resolve(stem + ".up.sql");
        generated.put(upFile, up.toString());
        Path downFile = null;
        if (down != null && !StatementSplitter.split(down.toString()).isEmpty()) {
            downFile = generatedDir.resolve(stem + ".down.sql");
            generated.put(downFile, down.toString());
        }
        return new Migration(name, upFile, downFile, folder.refused(name, up.toString()), noTransaction, false);
    }

    /** The first line of a generated part: where it came from (a comment, so checksums do not see it). */
    private static StringBuilder header(String name, int line) {
        return new StringBuilder("-- " + name + " from line " + (line + 1) + ", written by mig import; edit the original and import again\n");
    }

    private static MigException error(String name, int line, String what, String hint) {
        return new MigException(ExitCode.PLAN_ERROR, name + ":" + line + ": " + what, hint);
    }
}
