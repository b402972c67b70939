package dev.mig.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prisma Migrate: a folder per migration, {@code <timestamp>_<name>/migration.sql}, applied in the
 * lexical order of the folder names; {@code migration_lock.toml} only records the provider.
 */
final class PrismaFolder {

    static final String LOCK = "migration_lock.toml";
    static final String SCRIPT = "migration.sql";

    private PrismaFolder() {
    }

    /** A lock file, or subfolders holding migration.sql and no .sql files of the folder's own. */
    static boolean looksLike(Path dir) {
        if (Files.isRegularFile(dir.resolve(LOCK))) {
            return true;
        }
        List<Path> entries = list(dir);
        return entries.stream().anyMatch(p -> Files.isRegularFile(p.resolve(SCRIPT)))
                && entries.stream().noneMatch(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase().endsWith(".sql"));
    }

    /** Why auto chose Prisma, as {@link #looksLike} saw it: the lock file, or the first migration folder. */
    static String why(Path dir) {
        if (Files.isRegularFile(dir.resolve(LOCK))) {
            return LOCK;
        }
        return list(dir).stream().filter(p -> Files.isRegularFile(p.resolve(SCRIPT))).findFirst()
                .map(p -> p.getFileName() + "/" + SCRIPT + " folders").orElse(SCRIPT + " folders");
    }

    static List<Migration> read(Path dir, MigrationFolder folder, List<String> warnings) {
        List<Migration> out = new ArrayList<>();
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (Files.isDirectory(p)) {
                Path script = p.resolve(SCRIPT);
                if (Files.isRegularFile(script)) {
                    out.add(new Migration(name, script, null, folder.refused(name + "/" + SCRIPT, MigrationFolder.read(script)), false, false));
                } else {
                    warnings.add(name + "/: no " + SCRIPT + " in it, skipped");
                }
            } else if (name.equals(LOCK)) {
                String lock = MigrationFolder.read(p);
                warnings.add(LOCK + ": ignored (Prisma keeps the provider there" + (lock.contains("postgresql") ? ", postgresql" : "; it does not say postgresql, check the SQL is PostgreSQL's") + ")");
            } else {
                warnings.add(name + ": not a Prisma migration folder (<timestamp>_<name>/" + SCRIPT + "), skipped");
            }
        }
        if (out.isEmpty()) {
            throw new dev.mig.api.MigException(dev.mig.api.ExitCode.PLAN_ERROR, "no <name>/" + SCRIPT + " folders in " + dir,
                    "name Prisma's migrations folder (prisma/migrations)");
        }
        return out;
    }

    /** The folder's entries in the order Prisma applies migrations: by name, as strings. */
    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
