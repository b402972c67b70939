package dev.mig.imports;

import dev.mig.api.ExitCode;
import dev.mig.api.MigException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What another tool's history table on a database says it applied, read (never written) the way
 * that tool reads it: one small reader per tool. Versions are in {@link MigrationVersions}' form.
 *
 * @param table     the table read, for messages
 * @param applied   the versions recorded as applied one by one, with the tool's checksum where it keeps one
 * @param upTo      every version up to and including this one is applied (golang-migrate's one row,
 *                  a Flyway BASELINE row); null when none
 * @param stops     rows that stop the adoption (failed, dirty), each said in a sentence
 */
public record ToolHistory(String table, Map<String, Applied> applied, String upTo, List<String> stops) {

    /**
     * One migration the tool recorded as applied; {@code checksum} null where the tool keeps none,
     * {@code file} the file name the tool recorded (null where it keeps none).
     */
    public record Applied(String version, String checksum, String file, String row) {
    }

    public static ToolHistory read(ImportFormat format, Connection c) throws SQLException {
        return read(format, c, null);
    }

    /** {@code table}: {@code --history-table [SCHEMA.]TABLE} as given, or null for the tool's own name on the search path ({@link HistoryTable}). */
    public static ToolHistory read(ImportFormat format, Connection c, String table) throws SQLException {
        return switch (format) {
            case FLYWAY -> flyway(c, table);
            case GOLANG_MIGRATE -> golangMigrate(c, table);
            case DBMATE -> dbmate(c, table);
            case GOOSE -> goose(c, table);
            case PRISMA -> prisma(c, table);
            default -> throw new MigException(ExitCode.PLAN_ERROR, "--adopt reads the history table of flyway, golang-migrate, dbmate, goose,"
                    + " prisma, liquibase or sqitch; the folder was read as " + format.cliName() + ", whose tool keeps none (or mig does not read it yet)",
                    "pass --format flyway|golang-migrate|dbmate|goose|prisma|liquibase|sqitch");
        };
    }

    /** Flyway: {@code flyway_schema_history}, one row per attempt, by installed_rank; success false is a failed migration. */
    static ToolHistory flyway(Connection c, String given) throws SQLException {
        String table = HistoryTable.find(c, given, "flyway_schema_history", "Flyway", "version", "checksum", "success", "type", "installed_rank", "script");
        Map<String, Applied> applied = new LinkedHashMap<>();
        List<String> stops = new ArrayList<>();
        String upTo = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT installed_rank, version, type, script, checksum, success FROM "
                + table + " ORDER BY installed_rank");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int rank = rs.getInt(1);
                String version = rs.getString(2);
                String type = rs.getString(3);
                String script = rs.getString(4);
                Integer checksum = (Integer) rs.getObject(5);
                String row = table + " installed_rank " + rank + " (" + script + ")";
                if (!rs.getBoolean(6)) {
                    stops.add(row + " failed (success = false): Flyway would not migrate on until it is repaired;"
                            + " fix the database and run flyway repair, then adopt again");
                    continue;
                }
                if (version == null || type.equals("SCHEMA")) {
                    continue;   // repeatables (runAlways steps) and Flyway's own schema creation
                }
                String v = MigrationVersions.normal(version);
                switch (type) {
                    case "BASELINE" -> upTo = v;
                    case "DELETE", "UNDO_SQL", "UNDO_JDBC", "UNDO_SCRIPT" -> applied.remove(v);
                    default -> applied.put(v, new Applied(v, checksum == null ? null : checksum.toString(), script == null ? null : script.substring(script.lastIndexOf('/') + 1), row));
                }
            }
        }
        return new ToolHistory(table, applied, upTo, stops);
    }

    /** golang-migrate: {@code schema_migrations(version, dirty)}, one row, the last version applied; dirty means it stopped inside it. */
    static ToolHistory golangMigrate(Connection c, String given) throws SQLException {
        String table = HistoryTable.find(c, given, "schema_migrations", "golang-migrate", "version", "dirty");
        List<String> stops = new ArrayList<>();
        String upTo = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT version, dirty FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (upTo != null) {
                    stops.add(table + " has more than one row: golang-migrate writes one; this is not its table as it left it");
                }
                upTo = MigrationVersions.normal(Long.toString(rs.getLong(1)));
                if (rs.getBoolean(2)) {
                    stops.add(table + " says version " + upTo + " is dirty: golang-migrate stopped inside it; fix the database"
                            + " by hand and run migrate force " + upTo + " (or the version before it), then adopt again");
                }
            }
        }
        return new ToolHistory(table, Map.of(), upTo, stops);
    }

    /** dbmate: {@code schema_migrations(version)}, one row per applied migration. */
    static ToolHistory dbmate(Connection c, String given) throws SQLException {
        String table = HistoryTable.find(c, given, "schema_migrations", "dbmate", "version");
        Map<String, Applied> applied = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM " + table + " ORDER BY version");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String v = MigrationVersions.normal(rs.getString(1));
                applied.put(v, new Applied(v, null, null, table + " version " + rs.getString(1)));
            }
        }
        return new ToolHistory(table, applied, null, List.of());
    }

    /**
     * goose: {@code goose_db_version(id, version_id, is_applied, tstamp)}, a row per up and per
     * down; the newest row of a version says whether it is applied, as goose reads it; version 0
     * is goose's own first row. goose keeps no checksum and records no failed migration.
     */
    static ToolHistory goose(Connection c) throws SQLException {
        return goose(c, null);
    }

    static ToolHistory goose(Connection c, String given) throws SQLException {
        String table = HistoryTable.find(c, given, "goose_db_version", "goose", "id", "version_id", "is_applied");
        Map<String, Applied> applied = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (version_id) id, version_id, is_applied FROM " + table
                + " WHERE version_id <> 0 ORDER BY version_id, id DESC");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(3)) {
                    String v = MigrationVersions.normal(Long.toString(rs.getLong(2)));
                    applied.put(v, new Applied(v, null, null, table + " id " + rs.getLong(1) + " (version " + v + ")"));
                }
            }
        }
        return new ToolHistory(table, applied, null, List.of());
    }

    /**
     * Prisma Migrate: {@code _prisma_migrations}, a row per migration folder, keyed by its name;
     * {@code finished_at} set and {@code rolled_back_at} null is applied; neither set is a failed
     * migration, which stops the adoption as it stops {@code prisma migrate deploy} (P3009);
     * {@code rolled_back_at} set (after {@code prisma migrate resolve --rolled-back}) is not applied.
     * The checksum is the SHA-256 of migration.sql ({@link PrismaChecksum}).
     */
    static ToolHistory prisma(Connection c) throws SQLException {
        return prisma(c, null);
    }

    static ToolHistory prisma(Connection c, String given) throws SQLException {
        String table = HistoryTable.find(c, given, "_prisma_migrations", "Prisma Migrate", "migration_name", "checksum", "finished_at", "rolled_back_at");
        Map<String, Applied> applied = new LinkedHashMap<>();
        List<String> stops = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT migration_name, checksum, finished_at IS NOT NULL,"
                + " rolled_back_at IS NOT NULL FROM " + table + " ORDER BY started_at, migration_name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                String row = table + " migration_name " + name;
                if (rs.getBoolean(4)) {
                    applied.remove(name);
                } else if (!rs.getBoolean(3)) {
                    stops.add(row + " failed (finished_at and rolled_back_at are null): prisma migrate deploy refuses to go on"
                            + " too (P3009); fix the database and run prisma migrate resolve, then adopt again");
                } else {
                    applied.put(name, new Applied(name, rs.getString(2), null, row));
                }
            }
        }
        return new ToolHistory(table, applied, null, stops);
    }
}
