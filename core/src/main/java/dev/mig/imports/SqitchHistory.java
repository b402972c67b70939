package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;
import dev.mig.model.Step;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sqitch's registry (schema {@code sqitch}): {@code changes} holds the changes deployed now, of
 * every project; only the rows of the plan's {@code %project} count. A reverted change has no
 * row there (its last event is {@code revert}); a reworked change has a row per version deployed,
 * matched to the plan's entries of that name in order, since Sqitch deploys them in plan order
 * ({@code change@tag} first, then {@code change}). {@code script_hash} is the SHA-1 of the deploy
 * script's bytes; a change whose newest event in {@code events} is {@code fail} stops the adoption.
 */
final class SqitchHistory implements HistoryCheck {

    private static final Pattern PROJECT = Pattern.compile("\\s*%\\s*project\\s*=\\s*(\\S+).*");

    private final ToolHistory history;
    private final Path dir;

    private SqitchHistory(ToolHistory history, Path dir) {
        this.history = history;
        this.dir = dir;
    }

    static SqitchHistory read(Connection c, String given, Path dir, List<Migration> migrations) throws SQLException {
        String project = null;
        for (String line : MigrationFolder.read(dir.resolve(SqitchFolder.PLAN)).lines().toList()) {
            Matcher m = PROJECT.matcher(line);
            if (m.matches()) {
                project = m.group(1);
                break;
            }
        }
        if (project == null) {
            throw new MigException(ExitCode.PLAN_ERROR, SqitchFolder.PLAN + " has no %project line, so which rows of Sqitch's registry are"
                    + " this project's is unknown", "add '%project=NAME' as Sqitch writes it (sqitch init NAME), the name the database knows");
        }
        String table = HistoryTable.find(c, given, "sqitch.changes", "Sqitch", "change_id", "script_hash", "change", "project", "committed_at");
        String events = HistoryTable.find(c, null, HistoryTable.schemaOf(table) + ".events", "Sqitch", "event", "change_id", "change",
                "project", "committed_at");
        Map<String, List<String>> stepsOf = new HashMap<>();
        for (Migration m : migrations) {
            int at = m.name().indexOf('@');
            stepsOf.computeIfAbsent(at < 0 ? m.name() : m.name().substring(0, at), k -> new ArrayList<>()).add(m.name());
        }
        Map<String, ToolHistory.Applied> applied = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT change_id, change, script_hash FROM " + table
                + " WHERE project = ? ORDER BY committed_at, change_id")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String change = rs.getString(2);
                    int k = seen.merge(change, 1, Integer::sum) - 1;
                    List<String> steps = stepsOf.getOrDefault(change, List.of());
                    String step = k < steps.size() ? steps.get(k) : change + (k > 0 ? " (deployed version " + (k + 1) + ")" : "");
                    String row = table + " change " + change + " (change_id " + rs.getString(1) + ")";
                    applied.put(step, new ToolHistory.Applied(step, rs.getString(3), null, row));
                }
            }
        }
        List<String> stops = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (change_id) change_id, change, event, committed_at FROM " + events
                + " WHERE project = ? ORDER BY change_id, committed_at DESC")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(3).equals("fail")) {
                        stops.add(events + ": the newest event of change " + rs.getString(2) + " (change_id " + rs.getString(1) + ", "
                                + rs.getString(4) + ") is a failed deploy: fix the database and the script and deploy it with sqitch"
                                + " (or revert it), then adopt again");
                    }
                }
            }
        }
        return new SqitchHistory(new ToolHistory(table, applied, null, stops), dir);
    }

    @Override
    public ToolHistory history() {
        return history;
    }

    @Override
    public void check(Step step, Migration migration, ToolHistory.Applied row, List<String> problems, List<String> warnings) {
        if (row.checksum() == null) {
            return;     // registries before Sqitch 0.9993 kept no script hash
        }
        String script = "deploy/" + step.name() + ".sql";
        String hash = sha1(dir.resolve(script));
        if (!hash.equalsIgnoreCase(row.checksum().strip())) {
            problems.add(script + ": changed since Sqitch deployed it (" + row.row() + " has script_hash " + row.checksum()
                    + ", the file's SHA-1 is " + hash + "); sqitch check reports it as divergent too: restore the script as deployed,"
                    + " or rework the change (sqitch rework) if the change is meant");
        }
    }

    static String sha1(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
