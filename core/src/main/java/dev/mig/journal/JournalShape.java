package dev.mig.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shape of mig's journal tables, and what a journal found on a database lacks of it ({@link Journal#checkShape}). */
final class JournalShape {

    private JournalShape() {
    }

    /**
     * The columns mig reads and writes, with their types as {@code format_type} names them;
     * {@code guard_evidence} came with journal version 2 and may be missing from an older one.
     * Columns a team added are let be.
     */
    private static final Map<String, Map<String, String>> SHAPE = Map.of(
            "journal_meta", columns("id", "integer", "schema_version", "integer"),
            "steps", columns("plan", "text", "step", "text", "position", "integer", "checksum", "text", "status", "text",
                    "applied_at", "timestamp with time zone", "duration_ms", "bigint", "applied_by", "text",
                    "mig_version", "text", "updated_at", "timestamp with time zone"),
            "history", columns("id", "bigint", "run_id", "uuid", "plan", "text", "step", "text", "checksum", "text",
                    "outcome", "text", "started_at", "timestamp with time zone", "finished_at", "timestamp with time zone",
                    "duration_ms", "bigint", "run_by", "text", "mig_version", "text", "sqlstate", "text", "error", "text",
                    "notices", "text"));

    /** The three tables. */
    static final Set<String> TABLES = SHAPE.keySet();

    private static Map<String, String> columns(String... nameType) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameType.length; i += 2) {
            m.put(nameType[i], nameType[i + 1]);
        }
        return m;
    }

    /** What is wrong with the tables {@code found} (table, column, type), one phrase each; tables not found are not checked. */
    static List<String> wrong(String schemaName, Map<String, Map<String, String>> found) {
        List<String> wrong = new ArrayList<>();
        for (var table : SHAPE.entrySet()) {
            Map<String, String> actual = found.get(table.getKey());
            if (actual == null) {
                continue;
            }
            for (var column : table.getValue().entrySet()) {
                String name = schemaName + "." + table.getKey() + "." + column.getKey();
                String type = actual.get(column.getKey());
                if (type == null) {
                    wrong.add("column " + name + " is missing");
                } else if (!type.equals(column.getValue())) {
                    wrong.add("column " + name + " is " + type + ", not " + column.getValue());
                }
            }
        }
        return wrong;
    }
}
