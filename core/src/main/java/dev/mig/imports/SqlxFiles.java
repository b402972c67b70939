package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * sqlx (launchbadge/sqlx, {@code sqlx migrate run}): {@code <version>_<description>.sql} (simple) or
 * {@code .up.sql} with {@code .down.sql} (reversible), the version being the text before the first
 * {@code _} read as a 64-bit number; run by version; a file whose first bytes are
 * {@code -- no-transaction} runs outside a transaction. Files of another shape are ignored, as sqlx
 * ignores them.
 */
final class SqlxFiles {

    /** sqlx's marker, matched as sqlx does: the file's very first bytes, case-sensitively. */
    static final String NO_TRANSACTION = "-- no-transaction";

    private final MigrationFolder folder;
    private final List<String> warnings;

    SqlxFiles(MigrationFolder folder, List<String> warnings) {
        this.folder = folder;
        this.warnings = warnings;
    }

    /** A sqlx name ({@code <digits>_<...>.sql}) whose file starts with {@code -- no-transaction}: only sqlx writes that. */
    static boolean marked(String name, String text) {
        return name.matches("\\d+_.+\\.sql") && text.startsWith(NO_TRANSACTION);
    }

    List<Migration> read(List<Path> files) {
        TreeMap<Long, Path> up = new TreeMap<>();
        TreeMap<Long, Path> down = new TreeMap<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            int cut = name.indexOf('_');
            if (cut < 0 || !name.endsWith(".sql")) {
                warnings.add(name + ": not a sqlx migration name (1_x.sql, 1_x.up.sql), skipped as sqlx ignores it");
                continue;
            }
            long version;
            try {
                version = Long.parseLong(name.substring(0, cut));
            } catch (NumberFormatException e) {
                throw new MigException(ExitCode.PLAN_ERROR, name + ": '" + name.substring(0, cut) + "' before the first _ is not a version",
                        "sqlx refuses the folder too (the version must be a 64-bit number); rename or move the file");
            }
            Path other = (name.endsWith(".down.sql") ? down : up).putIfAbsent(version, p);
            if (other != null) {
                throw folder.duplicate("version " + version, other, p);
            }
        }
        List<Migration> out = new ArrayList<>();
        up.forEach((version, p) -> {
            String text = MigrationFolder.read(p);
            Path undo = down.remove(version);
            if (undo != null && !p.getFileName().toString().endsWith(".up.sql")) {
                warnings.add(undo.getFileName() + ": a down file beside a simple migration (" + p.getFileName() + "); used as its undo block");
            }
            out.add(new Migration(p.getFileName().toString(), p, undo, folder.refused(p.getFileName().toString(), text),
                    text.startsWith(NO_TRANSACTION), false));
        });
        down.values().forEach(p -> warnings.add(p.getFileName() + ": a down file without an up file of its version, skipped"));
        return out;
    }
}
