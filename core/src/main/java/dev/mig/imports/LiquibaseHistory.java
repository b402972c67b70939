package dev.mig.imports;

import dev.mig.model.Step;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Liquibase's {@code databasechangelog}: a row per changeset run, identified by id, author and
 * file. {@code EXECUTED}, {@code RERAN} and {@code MARK_RAN} are applied (a marked changeset was
 * not run, but Liquibase will never run it again); {@code SKIPPED} is not; {@code FAILED} stops the
 * adoption. Liquibase itself writes neither of the last two (its MarkChangeSetRanGenerator skips
 * them: a changeset that failed with {@code failOnError:false} has no row, and is left for mig run),
 * so such a row comes from a hand repair or another tool, and is not trusted. {@code md5sum} is
 * checked with {@link LiquibaseChecksum} where it is version 9; other versions are said per row.
 * runAlways and runOnChange changesets are adopted without comparing checksums: Liquibase runs
 * them again when they change instead of refusing, and mig runs them on every run.
 */
final class LiquibaseHistory implements HistoryCheck {

    private final ToolHistory history;
    private final Map<String, String> filenames;
    private final Map<String, LiquibaseChecksum.Changeset> changesets;

    private LiquibaseHistory(ToolHistory history, Map<String, String> filenames, Map<String, LiquibaseChecksum.Changeset> changesets) {
        this.history = history;
        this.filenames = filenames;
        this.changesets = changesets;
    }

    static LiquibaseHistory read(Connection c, String given, Path dir) throws SQLException {
        String table = HistoryTable.find(c, given, "databasechangelog", "Liquibase", "id", "author", "filename", "exectype", "md5sum", "orderexecuted");
        Map<String, ToolHistory.Applied> applied = new LinkedHashMap<>();
        Map<String, String> filenames = new HashMap<>();
        List<String> stops = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, author, filename, exectype, md5sum, orderexecuted FROM " + table
                + " ORDER BY orderexecuted, dateexecuted");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(2) + ":" + rs.getString(1);
                String filename = rs.getString(3);
                String exec = rs.getString(4) == null ? "" : rs.getString(4).strip().toUpperCase(Locale.ROOT);
                String row = table + " " + name + " (" + filename + ", orderexecuted " + rs.getInt(6) + ")";
                switch (exec) {
                    case "EXECUTED", "RERAN", "MARK_RAN" -> {
                        applied.put(name, new ToolHistory.Applied(name, rs.getString(5), null, row));
                        filenames.put(name, filename);
                    }
                    case "SKIPPED" -> applied.remove(name);
                    case "FAILED" -> stops.add(row + " failed (exectype FAILED): it did not run to the end; fix the database,"
                            + " then run it with liquibase update (or mark it with liquibase changelog-sync), or delete the row, and adopt again");
                    default -> stops.add(row + " has exectype '" + rs.getString(4) + "', which Liquibase does not write; check the table");
                }
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LiquibaseHistory(new ToolHistory(table, applied, null, stops), filenames, LiquibaseChecksum.read(files));
    }

    @Override
    public ToolHistory history() {
        return history;
    }

    @Override
    public void check(Step step, Migration migration, ToolHistory.Applied row, List<String> problems, List<String> warnings) {
        LiquibaseChecksum.Changeset changeset = changesets.get(step.name());
        if (changeset == null) {
            return;
        }
        String filename = filenames.get(step.name());
        String base = filename == null ? null : filename.substring(filename.replace('\\', '/').lastIndexOf('/') + 1);
        // a logicalFilePath (of the file's first line or the changeset's) is what Liquibase records instead of the path
        boolean same = base == null || (changeset.logicalFilePath() != null ? filename.equals(changeset.logicalFilePath())
                : base.equals(changeset.file()));
        if (!same) {
            problems.add(changeset.file() + ":" + changeset.line() + ": changeset " + step.name() + " was applied from " + filename + " ("
                    + row.row() + "); Liquibase identifies a changeset by id, author and file, and would run it again as a new one:"
                    + " move it back, or give the file logicalFilePath:" + filename);
            return;
        }
        String stored = row.checksum();
        if (stored == null || migration != null && migration.repeatable()) {
            return;     // cleared by liquibase clear-checksums, or runAlways/runOnChange: Liquibase reruns those when they change
        }
        String version = LiquibaseChecksum.version(stored);
        if (!version.equals(LiquibaseChecksum.VERSION) && !version.equals(LiquibaseChecksum.V8)) {
            warnings.add(row.row() + " has a version " + version + " checksum (" + stored + "), which mig does not reproduce (only versions "
                    + LiquibaseChecksum.V8 + " and " + LiquibaseChecksum.VERSION + ", Liquibase 4.0 and later): adopted without comparing;"
                    + " liquibase update with a current Liquibase rewrites it as version " + LiquibaseChecksum.VERSION);
        } else if (!changeset.accepts(stored)) {
            problems.add(changeset.file() + ":" + changeset.line() + ": changeset " + step.name() + " changed since Liquibase applied it ("
                    + row.row() + " has md5sum " + stored + ", the file's is " + changeset.computed(stored) + "); restore it as applied, or add"
                    + " '--validCheckSum: " + stored + "' to it if the change is meant (Liquibase's validate refuses it too)");
        }
    }
}
