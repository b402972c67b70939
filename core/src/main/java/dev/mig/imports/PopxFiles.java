package dev.mig.imports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ory/popx (gobuffalo pop's file migrations): {@code <version>_<name>[.<dialect>][.autocommit].(up|down).sql}.
 * For PostgreSQL a {@code .postgres.} file of a version replaces the dialect-less one; other dialects'
 * files are not run; {@code .autocommit.} runs outside a transaction; a file of only comments and
 * blank lines runs nothing (an empty PostgreSQL file so overrides a dialect-less one), and becomes
 * no step. Versions are ordered as strings, as popx sorts them.
 */
final class PopxFiles {

    /** popx's own file pattern (lower-case dialect, direction and extension). */
    static final Pattern NAME = Pattern.compile("(\\d+)_([^.]+)(\\.[a-z0-9]+)?(\\.autocommit)?\\.(up|down)\\.sql");
    private static final Set<String> POSTGRES = Set.of("postgres", "postgresql", "pg");
    private static final Set<String> OTHER = Set.of("mysql", "mariadb", "sqlite", "sqlite3", "cockroach", "cockroachdb", "crdb");
    private static final Pattern EMPTY = Pattern.compile("(?m)^(\\s*--.*|\\s*)$");

    /** A name only popx writes: a dialect or {@code .autocommit} before {@code .up.sql}/{@code .down.sql}. */
    static boolean marked(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() && (m.group(3) != null || m.group(4) != null);
    }

    private final MigrationFolder folder;
    private final List<String> warnings;

    PopxFiles(MigrationFolder folder, List<String> warnings) {
        this.folder = folder;
        this.warnings = warnings;
    }

    /** One slot per version and direction: the PostgreSQL file and the dialect-less one. */
    private static final class Slot {
        Path postgres;
        Path all;

        Path chosen() {
            return postgres != null ? postgres : all;
        }
    }

    List<Migration> read(List<Path> files) {
        TreeMap<String, Slot> up = new TreeMap<>();
        TreeMap<String, Slot> down = new TreeMap<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                warnings.add(name + ": not a popx migration name (1_x.up.sql, 1_x.postgres.up.sql), skipped");
                continue;
            }
            String dialect = m.group(3) == null ? null : m.group(3).substring(1).toLowerCase(Locale.ROOT);
            if (dialect != null && !POSTGRES.contains(dialect)) {
                warnings.add(name + (OTHER.contains(dialect) ? ": for " + dialect + ", not run on PostgreSQL, skipped"
                        : dialect.equals("autocommit") ? ": popx reads 'autocommit' without a dialect before it as a dialect and skips"
                                + " the file, so it is skipped here too; name it <version>_<name>.postgres.autocommit.up.sql"
                        : ": dialect '" + dialect + "' popx does not know, skipped as popx skips it"));
                continue;
            }
            Slot slot = (m.group(5).equals("up") ? up : down).computeIfAbsent(m.group(1), v -> new Slot());
            Path other = dialect == null ? slot.all : slot.postgres;
            if (other != null) {
                throw folder.duplicate("version " + m.group(1) + (dialect == null ? "" : " for postgres"), other, p);
            }
            if (dialect == null) {
                slot.all = p;
            } else {
                slot.postgres = p;
            }
        }
        List<Migration> out = new ArrayList<>();
        for (Map.Entry<String, Slot> e : up.entrySet()) {
            Path file = e.getValue().chosen();
            String name = file.getFileName().toString();
            String text = MigrationFolder.read(file);
            if (empty(text)) {
                warnings.add(name + ": empty (comments only); popx records version " + e.getKey() + " and runs nothing, so it is no step"
                        + (e.getValue().all != null && e.getValue().postgres != null ? " (and " + e.getValue().all.getFileName() + " is not run)" : ""));
                continue;
            }
            Slot undo = down.remove(e.getKey());
            Path downFile = undo == null ? null : undo.chosen();
            if (downFile != null && empty(MigrationFolder.read(downFile))) {
                downFile = null;
            }
            Matcher m = NAME.matcher(name);
            boolean autocommit = m.matches() && m.group(4) != null;
            out.add(new Migration(name, file, downFile, folder.refused(name, text), autocommit, false));
        }
        down.values().forEach(s -> warnings.add(s.chosen().getFileName() + ": a down file without an up file of its version, skipped"));
        return out;
    }

    /** What popx counts as empty: nothing but blank lines and {@code --} comment lines. */
    static boolean empty(String text) {
        return EMPTY.matcher(text).replaceAll("").replace("\n", "").isEmpty();
    }
}
