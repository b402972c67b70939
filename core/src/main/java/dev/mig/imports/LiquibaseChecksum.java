package dev.mig.imports;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checksum Liquibase stores in {@code databasechangelog.md5sum} for a formatted SQL changeset,
 * as Liquibase 4.22 and later compute it (checksum version 9): the change's checksum is the MD5 of
 * its SQL's UTF-8 bytes with every space, tab, CR and LF left out ({@code AbstractSQLChange
 * .NormalizingStream}), written {@code 9:<hex>}; the changeset's is the MD5 of that text followed
 * by {@code ":"} ({@code ChangeSet.generateCheckSum}), again {@code 9:<hex>}. The changeset's SQL
 * is its lines up to the next {@code --changeset}, without Liquibase's own comment lines
 * ({@code --rollback}, {@code --comment}, {@code --precondition...}, {@code --validCheckSum},
 * {@code --ignoreLines}); other comments count. Version 8 (Liquibase 4.0 to 4.21, and what 4.22
 * and later still compute to validate such rows before rewriting them) hashed
 * {@code endDelimiter:splitStatements:stripComments:} followed by the SQL with each run of those
 * four whitespace characters made one space and none at either end ({@code NormalizingStreamV8});
 * it is reproduced too. Older versions (1 to 7) are not: a row carrying one is reported, not compared.
 */
public final class LiquibaseChecksum {

    /** The checksum version of current Liquibase, reproduced here ({@link #V8} is too). */
    public static final String VERSION = "9";
    public static final String V8 = "8";

    private static final Pattern CHANGESET = Pattern.compile("\\s*--\\s*changeset\\s+(\"[^\"]*\"|[^:\\s]+):(\"[^\"]*\"|\\S+).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIRECTIVE = Pattern.compile("\\s*--\\s*(rollback|comment|preconditions?|precondition-\\S+|validCheckSum|property)\\b.*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VALID = Pattern.compile("\\s*--\\s*validCheckSum:?\\s*(\\S+).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern END_DELIMITER = Pattern.compile(".*\\bendDelimiter:(\\S*).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern SPLIT = Pattern.compile(".*\\bsplitStatements:(\\w+).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern STRIP = Pattern.compile(".*\\bstripComments:(\\w+).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOGICAL = Pattern.compile(".*\\blogicalFilePath:(\\S+).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern IGNORE_LINES = Pattern.compile("\\s*--\\s*ignoreLines:(\\w+).*", Pattern.CASE_INSENSITIVE);

    /** A changeset of a formatted SQL file: where it is, the checksum Liquibase would store, and its {@code --validCheckSum} values. */
    public record Changeset(String file, int line, String checksum, String v8, List<String> valid, String logicalFilePath) {

        /**
         * Liquibase accepts the stored checksum when it is the one computed with the stored one's
         * version, or one the changeset lists as valid ({@code ANY} accepts all).
         */
        public boolean accepts(String stored) {
            return stored.equalsIgnoreCase(version(stored).equals(V8) ? v8 : checksum)
                    || valid.stream().anyMatch(v -> v.equalsIgnoreCase("ANY") || v.equalsIgnoreCase(stored));
        }

        /** The computed checksum of the stored one's version. */
        public String computed(String stored) {
            return version(stored).equals(V8) ? v8 : checksum;
        }
    }

    private LiquibaseChecksum() {
    }

    /** Every changeset of the formatted SQL files ({@code author:id} as mig names the step), each with its checksum. */
    public static Map<String, Changeset> read(List<Path> files) {
        Map<String, Changeset> out = new LinkedHashMap<>();
        for (Path p : files) {
            String text = MigrationFolder.read(p);
            if (!LiquibaseFolder.isChangelog(text)) {
                continue;
            }
            String file = p.getFileName().toString();
            List<String> lines = text.lines().toList();
            String name = null;
            int at = 0;
            StringBuilder sql = new StringBuilder();
            String header = null;
            Matcher fileLogical = LOGICAL.matcher(lines.stream().filter(l -> !l.isBlank()).findFirst().orElse(""));
            String logical = fileLogical.matches() ? fileLogical.group(1) : null;
            List<String> valid = new ArrayList<>();
            for (int i = 0; i <= lines.size(); i++) {
                String line = i < lines.size() ? lines.get(i) : null;
                Matcher m = line == null ? null : CHANGESET.matcher(line);
                if (line == null || m.matches()) {
                    if (name != null) {
                        Matcher own = LOGICAL.matcher(header);
                        out.putIfAbsent(name, new Changeset(file, at, of(sql.toString()), v8(header, sql.toString()), List.copyOf(valid),
                                own.matches() ? own.group(1) : logical));
                    }
                    if (line != null) {
                        name = unquote(m.group(1)) + ":" + unquote(m.group(2));
                        header = line;
                        at = i + 1;
                        sql.setLength(0);
                        valid.clear();
                    }
                    continue;
                }
                Matcher ignore = IGNORE_LINES.matcher(line);
                if (ignore.matches()) {
                    if (ignore.group(1).equalsIgnoreCase("start")) {
                        while (i + 1 < lines.size() && !IGNORE_LINES.matcher(lines.get(i + 1)).matches()) {
                            i++;
                        }
                        i++;    // the ignoreLines:end line
                    } else if (ignore.group(1).matches("\\d+")) {
                        i += Integer.parseInt(ignore.group(1));
                    }
                    continue;
                }
                Matcher v = VALID.matcher(line);
                if (v.matches()) {
                    valid.add(v.group(1));
                }
                if (name != null && !DIRECTIVE.matcher(line).matches()) {
                    sql.append(line).append('\n');
                }
            }
        }
        return out;
    }

    /** The version 9 checksum of a changeset holding one SQL change with this SQL. */
    public static String of(String sql) {
        byte[] bytes = sql.strip().getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(bytes.length);
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                kept.write(b);
            }
        }
        String change = VERSION + ":" + md5(kept.toByteArray());
        String changeset = Normalizer.normalize(change + ":", Normalizer.Form.NFC);
        return VERSION + ":" + md5(changeset.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The version 8 checksum: the attributes of the {@code --changeset} line as {@code endDelimiter:splitStatements:stripComments:}
     * (formatted SQL's defaults: none, true, true; a changeset ending in a line {@code /} has {@code \n/}), then the SQL with
     * whitespace runs made one space.
     */
    static String v8(String changesetLine, String sql) {
        String body = sql.strip();
        Matcher d = END_DELIMITER.matcher(changesetLine);
        Matcher split = SPLIT.matcher(changesetLine);
        Matcher strip = STRIP.matcher(changesetLine);
        String delimiter = d.matches() ? d.group(1) : body.endsWith("\n/") ? "\n/" : "null";
        String head = delimiter + ":" + (split.matches() ? Boolean.parseBoolean(split.group(1)) : true) + ":"
                + (strip.matches() ? Boolean.parseBoolean(strip.group(1)) : true) + ":";
        String collapsed = body.replaceAll("[ \t\r\n]+", " ").replaceAll("^ | $", "");
        String change = V8 + ":" + md5((head + collapsed).getBytes(StandardCharsets.UTF_8));
        return V8 + ":" + md5(Normalizer.normalize(change + ":", Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8));
    }

    /** The version of a stored checksum ({@code 9:...}), or {@code 1} for one without a prefix, as Liquibase's {@code CheckSum.parse} reads it. */
    public static String version(String stored) {
        return stored.matches("\\d:.*") ? stored.substring(0, 1) : "1";
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
