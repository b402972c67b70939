package dev.mig.diagnose;

import dev.mig.catalog.Identifiers;
import dev.mig.sql.SqlTokens.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 42501: the role mig runs as, the privilege it lacks (where the statement says which), what it
 * holds on the object, and the object's owner, with the GRANT that would let the step through.
 */
final class Privileges {

    private static final Pattern DENIED_RELATION = Pattern.compile(
            "permission denied for (table|view|materialized view|sequence|foreign table|relation) (.+)");
    private static final Pattern DENIED_SCHEMA = Pattern.compile("permission denied for schema (.+)");
    private static final Pattern DENIED_DATABASE = Pattern.compile("permission denied for database (.+)");
    private static final Pattern DENIED_FUNCTION = Pattern.compile("permission denied for (function|procedure) (.+)");
    private static final Pattern OWNER = Pattern.compile(
            "must be owner of (table|view|materialized view|sequence|index|relation|foreign table|type|schema|function"
                    + "|procedure|extension|database) (.+)");

    private static final List<String> TABLE_PRIVILEGES =
            List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER");
    private static final List<String> SEQUENCE_PRIVILEGES = List.of("USAGE", "SELECT", "UPDATE");

    private Privileges() {
    }

    static List<String> diagnose(Context ctx) {
        Map<String, Object> me = ctx.query("""
                SELECT current_user::text AS cu, session_user::text AS su, r.rolsuper AS super
                  FROM pg_roles r WHERE r.rolname = current_user""").get(0);
        String role = (String) me.get("cu");
        String who = "role " + role + (role.equals(me.get("su")) ? "" : " (session user " + me.get("su") + ")")
                + (Boolean.TRUE.equals(me.get("super")) ? ", a superuser," : "");
        Matcher m;
        if ((m = ctx.match(DENIED_RELATION)) != null) {
            return relation(ctx, who, role, m.group(2));
        }
        if ((m = ctx.match(DENIED_SCHEMA)) != null) {
            return schema(ctx, who, role, m.group(1));
        }
        if ((m = ctx.match(DENIED_DATABASE)) != null) {
            return database(ctx, who, role, m.group(1));
        }
        if ((m = ctx.match(DENIED_FUNCTION)) != null) {
            return List.of(who + " lacks EXECUTE on " + m.group(1) + " " + m.group(2)
                    + ": its owner can GRANT EXECUTE ON " + m.group(1).toUpperCase() + " " + m.group(2) + " TO "
                    + Names.sqlIdent(role));
        }
        if ((m = ctx.match(OWNER)) != null) {
            return owner(ctx, who, role, m.group(1), m.group(2));
        }
        return List.of("mig runs as " + who + " here");
    }

    private static List<String> relation(Context ctx, String who, String role, String name) {
        Map<String, Object> r = relationRow(ctx, name);
        if (r == null) {
            return List.of("mig runs as " + who + " here");
        }
        String qualified = Names.display((String) r.get("schema"), name);
        boolean sequence = "S".equals(r.get("kind"));
        List<String> held = new ArrayList<>();
        for (String p : sequence ? SEQUENCE_PRIVILEGES : TABLE_PRIVILEGES) {
            String fn = sequence ? "has_sequence_privilege" : "has_table_privilege";
            if (Boolean.TRUE.equals(ctx.value("SELECT " + fn + "(current_user, ?::oid, ?)", r.get("oid"), p))) {
                held.add(p);
            }
        }
        String needed = sequence ? "USAGE" : neededOnTable(ctx.tokens(), name);
        String kind = NameClash.kindWord(((String) r.get("kind")).charAt(0));
        List<String> lines = new ArrayList<>();
        lines.add(who + " lacks " + (needed == null ? "a privilege the statement needs" : needed) + " on " + kind + " "
                + qualified + ", owned by " + r.get("owner") + "; it holds "
                + (held.isEmpty() ? "none" : String.join(", ", held)) + " there");
        if (needed != null) {
            lines.add("its owner can grant it: GRANT " + needed + " ON " + (sequence ? "SEQUENCE " : "TABLE ")
                    + Names.sqlIdent((String) r.get("schema")) + "." + Names.sqlIdent(name) + " TO " + Names.sqlIdent(role));
        }
        return lines;
    }

    /** The privilege the statement needs on {@code table}: its verb's on its target, SELECT on what it reads. */
    private static String neededOnTable(List<Token> t, String table) {
        if (t.isEmpty()) {
            return null;
        }
        String verb = t.get(0).upper();
        String target = switch (verb) {
            case "INSERT" -> nameAfter(t, "INTO");
            case "UPDATE", "TRUNCATE" -> nameAfter(t, verb, "ONLY", "TABLE");
            case "DELETE" -> nameAfter(t, "FROM");
            default -> null;
        };
        if (target != null && target.equals(table)) {
            return verb;
        }
        if (verb.equals("ALTER") && StatementShapes.hasWords(t, "REFERENCES")) {
            return "REFERENCES";
        }
        if (verb.equals("SELECT") || verb.equals("WITH") || verb.equals("INSERT") || verb.equals("UPDATE")
                || verb.equals("DELETE") || verb.equals("CREATE")) {
            return "SELECT";
        }
        return null;
    }

    /** The relation name (unqualified part) after the first {@code word}, skipping the optional words. */
    private static String nameAfter(List<Token> t, String word, String... optional) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).is(word)) {
                int k = i + 1;
                while (k < t.size() && List.of(optional).stream().anyMatch(t.get(k)::is)) {
                    k++;
                }
                String[] name = Creations.name(t, k);
                return name == null ? null : name[1];
            }
        }
        return null;
    }

    private static Map<String, Object> relationRow(Context ctx, String name) {
        List<Map<String, Object>> rows = ctx.query("""
                SELECT c.oid, n.nspname AS schema, c.relkind::text AS kind, pg_get_userbyid(c.relowner) AS owner
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.oid = coalesce(to_regclass(?), (SELECT c2.oid FROM pg_class c2
                                                            JOIN pg_namespace n2 ON n2.oid = c2.relnamespace
                                                           WHERE c2.relname = ? ORDER BY n2.nspname LIMIT 1))""",
                Identifiers.quote(name), name);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<String> schema(Context ctx, String who, String role, String name) {
        List<Map<String, Object>> rows = ctx.query("""
                SELECT pg_get_userbyid(nspowner) AS owner, has_schema_privilege(current_user, oid, 'USAGE') AS usage,
                       has_schema_privilege(current_user, oid, 'CREATE') AS "create"
                  FROM pg_namespace WHERE nspname = ?""", name);
        if (rows.isEmpty()) {
            return List.of("mig runs as " + who + " here");
        }
        Map<String, Object> r = rows.get(0);
        List<Token> t = ctx.tokens();
        String needed = !t.isEmpty() && t.get(0).is("CREATE") ? "CREATE" : "USAGE";
        List<String> held = new ArrayList<>();
        if (Boolean.TRUE.equals(r.get("usage"))) {
            held.add("USAGE");
        }
        if (Boolean.TRUE.equals(r.get("create"))) {
            held.add("CREATE");
        }
        List<String> lines = new ArrayList<>();
        lines.add(who + " lacks " + needed + " on schema " + name + ", owned by " + r.get("owner") + "; it holds "
                + (held.isEmpty() ? "none" : String.join(", ", held)) + " there"
                + (name.equals("public") && needed.equals("CREATE")
                ? " (since PostgreSQL 15 only the database owner may create in public unless granted)" : ""));
        lines.add("its owner can grant it: GRANT " + needed + " ON SCHEMA " + Names.sqlIdent(name) + " TO " + Names.sqlIdent(role));
        return lines;
    }

    private static List<String> database(Context ctx, String who, String role, String name) {
        List<Map<String, Object>> rows = ctx.query("""
                SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ?""", name);
        String owner = rows.isEmpty() ? "?" : (String) rows.get(0).get("owner");
        List<Token> t = ctx.tokens();
        String needed = !t.isEmpty() && t.get(0).is("CREATE") && t.size() > 1 && (t.get(1).is("TEMP") || t.get(1).is("TEMPORARY"))
                ? "TEMPORARY" : "CREATE";
        return List.of(who + " lacks " + needed + " on database " + name + ", owned by " + owner
                        + (needed.equals("CREATE") ? " (CREATE SCHEMA and CREATE EXTENSION need it)" : ""),
                "its owner can grant it: GRANT " + needed + " ON DATABASE " + Names.sqlIdent(name) + " TO " + Names.sqlIdent(role));
    }

    private static List<String> owner(Context ctx, String who, String role, String kind, String name) {
        String sql = switch (kind) {
            case "type" -> "SELECT pg_get_userbyid(typowner) FROM pg_type WHERE typname = ? ORDER BY typnamespace LIMIT 1";
            case "schema" -> "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?";
            case "function", "procedure" ->
                    "SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname = split_part(?, '(', 1) ORDER BY oid LIMIT 1";
            case "extension" -> "SELECT pg_get_userbyid(extowner) FROM pg_extension WHERE extname = ?";
            case "database" -> "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?";
            default -> null;
        };
        String owner;
        String shown = kind + " " + name;
        if (sql == null) {
            Map<String, Object> r = relationRow(ctx, name);
            owner = r == null ? null : (String) r.get("owner");
            if (r != null) {
                shown = kind + " " + Names.display((String) r.get("schema"), name);
            }
        } else {
            owner = (String) ctx.value(sql, name);
        }
        if (owner == null) {
            return List.of("mig runs as " + who + " here, which does not own " + shown);
        }
        List<String> lines = new ArrayList<>();
        lines.add("only the owner of " + shown + " (" + owner + "), a member of that role, or a superuser may do this;"
                + " mig runs as " + who + " here");
        lines.add(kind.equals("index")
                ? "an index belongs to its table's owner: run the step as a role that is (a member of) " + owner
                : "run the step as a role that is (a member of) " + owner + ", or have the owner hand it over: ALTER "
                + (kind.equals("relation") ? "TABLE" : kind.toUpperCase()) + " " + name + " OWNER TO " + Names.sqlIdent(role));
        return lines;
    }
}
