package dev.mig.imports

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * Writes the generated history of every import format for scripts/bench-import.sh (not used by the suite):
 *
 *   WriteHistories OUT [SIZE=200] [SEED=7] [FORMAT...]     (all formats when none is named)
 *
 * For each format F: OUT/F/ the folder as the tool keeps it, and OUT/F.manifest, one line per migration in the order
 * its tool runs them: {@code tx|autocommit <TAB> SQL file <TAB> migration}, where the SQL file (under OUT/F.psql/) is
 * what the tool sends for that migration (the Up section, the changeset, the deploy script), to apply with
 * {@code psql -1 -f} (tx) or {@code psql -f} (autocommit). Code migrations (goose .go, a Flyway .java) are in the
 * folder but not in the manifest: psql cannot run them, and they touch nothing later SQL needs.
 */
final class WriteHistories {

    static final Map<String, Closure<List<MigrationHistory.Script>>> WRITERS = [
            'flyway'        : { MigrationHistory h, Path d -> h.writeFlyway(d, true) },
            'golang-migrate': { MigrationHistory h, Path d -> h.writeGolang(d) },
            'dbmate'        : { MigrationHistory h, Path d -> h.writeDbmate(d) },
            'goose'         : { MigrationHistory h, Path d -> MoreFormatsSpec.writeGoose(h, d) },
            'prisma'        : { MigrationHistory h, Path d -> MoreFormatsSpec.writePrisma(h, d) },
            'popx'          : { MigrationHistory h, Path d -> MoreFormatsSpec.writePopx(h, d) },
            'sqlx'          : { MigrationHistory h, Path d -> MoreFormatsSpec.writeSqlx(h, d) },
            'sqitch'        : { MigrationHistory h, Path d -> SqitchLiquibaseSpec.writeSqitch(h, d) },
            'liquibase'     : { MigrationHistory h, Path d -> SqitchLiquibaseSpec.writeLiquibase(h, d) },
            'plain'         : { MigrationHistory h, Path d -> h.writePlain(d) },
    ].asImmutable()

    static void main(String[] args) {
        if (args.length < 1) {
            System.err.println('usage: WriteHistories OUT [SIZE] [SEED] [FORMAT...]')
            System.exit(2)
        }
        Path out = Paths.get(args[0])
        int size = args.length > 1 ? args[1] as int : 200
        long seed = args.length > 2 ? args[2] as long : 7L
        List<String> only = args.length > 3 ? args[3..-1] as List<String> : WRITERS.keySet() as List<String>
        (only - WRITERS.keySet()).each { throw new IllegalArgumentException("no format ${it}; one of ${WRITERS.keySet()}") }
        WRITERS.subMap(only).each { String format, Closure<List<MigrationHistory.Script>> writer ->
            List<MigrationHistory.Script> scripts = writer(new MigrationHistory(seed, size), out.resolve(format))
            Path sql = Files.createDirectories(out.resolve("${format}.psql"))
            StringBuilder manifest = new StringBuilder()
            scripts.eachWithIndex { MigrationHistory.Script s, int i ->
                String file = String.format('%05d.sql', i + 1)
                Files.writeString(sql.resolve(file), s.sql)
                manifest << (s.autocommit ? 'autocommit' : 'tx') << '\t' << "${format}.psql/${file}" << '\t' << s.file << '\n'
            }
            Files.writeString(out.resolve("${format}.manifest"), manifest.toString())
        }
    }
}
