package dev.mig.run;

import dev.mig.catalog.Identifiers;
import dev.mig.catalog.QualifiedName;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static dev.mig.run.CleanupSql.display;

/**
 * The cleanup actions that drop something only when nothing uses it: {@code dropTypeIfUnused}
 * and {@code dropOrphanedSequences}. "Uses" means what PostgreSQL records in {@code pg_depend}
 * as a normal dependency, which is exactly what would make a DROP without CASCADE fail; code
 * that names an object only inside a function body or a string is not recorded there.
 */
final class UnusedObjects {

    /** Longest list of users named in one report line. */
    private static final int MAX_USERS_NAMED = 10;

    /**
     * The objects that use a type. A DROP takes the type's own parts with it (its array type,
     * a range's multirange and constructors, a domain's constraints, a composite type's
     * relation: the internal and automatic dependents, followed recursively); anything with a
     * normal dependency on one of those parts is a user, named as {@code pg_identify_object} does.
     */
    private static final String TYPE_USERS = """
            WITH RECURSIVE parts (classid, objid) AS (
                SELECT 'pg_type'::regclass::oid, t.oid FROM pg_type t WHERE t.oid = ?::oid
                UNION
                SELECT 'pg_class'::regclass::oid, t.typrelid FROM pg_type t WHERE t.oid = ?::oid AND t.typrelid <> 0
                UNION
                SELECT d.classid, d.objid FROM pg_depend d
                JOIN parts p ON d.refclassid = p.classid AND d.refobjid = p.objid
                WHERE d.deptype IN ('i', 'a')
            )
            SELECT DISTINCT CASE
                WHEN d.classid = 'pg_rewrite'::regclass
                    THEN (SELECT v.type || ' ' || v.identity FROM pg_rewrite r,
                          pg_identify_object('pg_class'::regclass, r.ev_class, 0) v WHERE r.oid = d.objid)
                WHEN d.classid = 'pg_type'::regclass AND (SELECT typtype FROM pg_type WHERE oid = d.objid) = 'd'
                    THEN 'domain ' || o.identity
                WHEN o.type = 'table column' THEN 'column ' || o.identity
                ELSE o.type || ' ' || o.identity END AS used_by
            FROM pg_depend d
            JOIN parts p ON d.refclassid = p.classid AND d.refobjid = p.objid
            CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
            WHERE d.deptype = 'n'
              AND NOT EXISTS (SELECT 1 FROM parts q WHERE q.classid = d.classid AND q.objid = d.objid)
            ORDER BY 1
            """;

    /**
     * Orphaned sequences: no column owns them (serial and {@code OWNED BY} are automatic
     * dependencies on the column, identity an internal one), no extension created them, and
     * nothing depends on them (a column default {@code nextval('s'::regclass)}, a view...).
     */
    private static final String ORPHANED_SEQUENCES = """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND n.nspname = ANY (?)
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype IN ('a', 'i', 'e'))
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid
                              AND d.deptype = 'n')
            ORDER BY 1, 2
            """;

    private final CleanupSql sql;

    UnusedObjects(CleanupSql sql) {
        this.sql = sql;
    }

    List<String> dropTypeIfUnused(String text) throws SQLException {
        QualifiedName name = QualifiedName.parse(text);
        List<String> schemas = sql.schemas(name);
        List<String[]> found = sql.rows("""
                SELECT t.oid, n.nspname, t.typname, t.typtype::text, c.relkind::text, t.typelem <> 0 AND t.typlen = -1,
                       (SELECT x.extname FROM pg_depend d JOIN pg_extension x ON x.oid = d.refobjid
                        WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_class c ON c.oid = t.typrelid
                WHERE t.typname = ? AND n.nspname = ANY (?) ORDER BY array_position(?, n.nspname::text) LIMIT 1
                """, name.name(), schemas, schemas);
        if (found.isEmpty()) {
            return List.of("dropTypeIfUnused " + text + ": nothing to drop (no type " + name.name() + " in "
                    + String.join(", ", schemas) + ")");
        }
        String[] type = found.get(0);
        String shown = display(type[1], type[2]);
        String kind = droppableKind(type[3], type[4]);
        if (kind == null) {
            return List.of("dropTypeIfUnused " + text + ": left alone, " + shown + " is " + otherKind(type[3], type[4], "t".equals(type[5]))
                    + ", which dropTypeIfUnused does not drop");
        }
        if (type[6] != null) {
            return List.of("dropTypeIfUnused " + text + ": left alone, " + shown + " belongs to extension " + type[6]);
        }
        List<String[]> users = sql.rows(TYPE_USERS, type[0], type[0]);
        if (!users.isEmpty()) {
            return List.of("dropTypeIfUnused " + text + ": left alone, used by " + listUsers(users));
        }
        sql.execute(("d".equals(type[3]) ? "DROP DOMAIN " : "DROP TYPE ") + Identifiers.qualified(type[1], type[2]));
        return List.of("dropped " + kind + " " + shown);
    }

    List<String> dropOrphanedSequences(String schemaOption) throws SQLException {
        List<String> schemas = schemaOption != null ? List.of(QualifiedName.parseIdentifier(schemaOption)) : sql.searchPath();
        List<String> report = new ArrayList<>();
        for (String[] row : sql.rows(ORPHANED_SEQUENCES, schemas)) {
            sql.execute("DROP SEQUENCE " + Identifiers.qualified(row[0], row[1]));
            report.add("dropped orphaned sequence " + display(row[0], row[1]));
        }
        return report.isEmpty()
                ? List.of("dropOrphanedSequences: nothing to drop (no orphaned sequence in " + String.join(", ", schemas) + ")")
                : report;
    }

    /** The word for a type this action drops, or null for one it does not. */
    private static String droppableKind(String typtype, String relkind) {
        return switch (typtype) {
            case "e" -> "enum type";
            case "d" -> "domain";
            case "r" -> "range type";
            case "c" -> "c".equals(relkind) ? "composite type" : null;
            default -> null;
        };
    }

    private static String otherKind(String typtype, String relkind, boolean array) {
        if ("c".equals(typtype)) {
            return "the row type of a " + switch (relkind == null ? "" : relkind) {
                case "v" -> "view";
                case "m" -> "materialized view";
                case "f" -> "foreign table";
                default -> "table";
            };
        }
        if ("m".equals(typtype)) {
            return "a multirange type (it goes with its range type)";
        }
        if (array) {
            return "an array type (it goes with its element type)";
        }
        return "p".equals(typtype) ? "a pseudo-type" : "a base type";
    }

    private static String listUsers(List<String[]> users) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < users.size() && i < MAX_USERS_NAMED; i++) {
            names.add(users.get(i)[0]);
        }
        String more = users.size() > MAX_USERS_NAMED ? " and " + (users.size() - MAX_USERS_NAMED) + " more" : "";
        return String.join(", ", names) + more;
    }
}
