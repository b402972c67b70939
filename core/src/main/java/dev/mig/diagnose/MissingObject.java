package dev.mig.diagnose;

import dev.mig.catalog.FunctionInfo;
import dev.mig.catalog.Identifiers;
import dev.mig.sql.OtherDialects;
import dev.mig.text.DidYouMean;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 42704, 42P01, 42883 and 3F000, "does not exist": the extension that provides the object, the
 * statement later in the failing step (or the later step) that creates it, the schema off the
 * search_path that holds it, the overloads a function does have, what PostgreSQL writes for a type
 * or function of another database, or the closest name that exists.
 */
final class MissingObject {

    private static final Pattern TYPE = Pattern.compile("type \"(.+)\" does not exist");
    private static final Pattern OPERATOR_CLASS = Pattern.compile("operator class \"(.+)\" does not exist for access method \"(.+)\"");
    private static final Pattern ACCESS_METHOD = Pattern.compile("access method \"(.+)\" does not exist");
    private static final Pattern NO_DEFAULT_OPCLASS = Pattern.compile(
            "data type (.+) has no default operator class for access method \"(.+)\"");
    private static final Pattern RELATION = Pattern.compile("relation \"(.+)\" does not exist");
    private static final Pattern FUNCTION = Pattern.compile("(function|procedure) (.+?)\\((.*)\\) does not exist");
    private static final Pattern SCHEMA = Pattern.compile("schema \"(.+)\" does not exist");

    private MissingObject() {
    }

    // ---- 42704 -------------------------------------------------------------------------------

    static List<String> undefinedObject(Context ctx) {
        Matcher m;
        if ((m = ctx.match(TYPE)) != null) {
            return type(ctx, m.group(1));
        }
        if ((m = ctx.match(OPERATOR_CLASS)) != null) {
            return fromExtension(ctx, "operator class " + m.group(1), KnownExtensions.forOperatorClass(m.group(1)));
        }
        if ((m = ctx.match(ACCESS_METHOD)) != null) {
            return fromExtension(ctx, "index access method " + m.group(1), KnownExtensions.forAccessMethod(m.group(1)));
        }
        if ((m = ctx.match(NO_DEFAULT_OPCLASS)) != null) {
            return operatorClasses(ctx, m.group(1), m.group(2));
        }
        return List.of();
    }

    private static List<String> type(Context ctx, String text) {
        String[] parts = Context.splitQualified(text);
        String name = parts[1];
        String extension = KnownExtensions.forType(name);
        List<String> lines = new ArrayList<>(extension != null
                ? fromExtension(ctx, "type " + name, extension)
                : List.of());
        lines.addAll(Creations.createdAfter(ctx, Creations.Kind.TYPE, parts[0], name));
        if (lines.isEmpty()) {
            lines.addAll(elsewhere(ctx, "type", """
                    SELECT n.nspname AS schema FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                     WHERE t.typname = ? AND NOT n.nspname = ANY (current_schemas(true)) ORDER BY 1""", name));
        }
        if (lines.isEmpty() && parts[0] == null) {
            OtherDialects.type(name).ifPresent(use -> lines.add(use.sentence()));
        }
        if (lines.isEmpty() && parts[0] == null) {
            // the usual spellings, and the user's own types, that are within reach
            List<String> known = new ArrayList<>(List.of("integer", "int", "bigint", "smallint", "text", "varchar",
                    "boolean", "numeric", "real", "jsonb", "json", "uuid", "timestamptz", "timestamp", "date", "bytea"));
            for (Map<String, Object> r : ctx.query("""
                    SELECT DISTINCT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                     WHERE n.nspname = ANY (current_schemas(false)) AND t.typname NOT LIKE '\\_%'""")) {
                known.add((String) r.get("name"));
            }
            DidYouMean.suggest(name, known).ifPresent(s -> lines.add("no type " + name + " here; did you mean '" + s + "'?"));
        }
        return lines;
    }

    /** For {@code data type X has no default operator class for access method "gist"}: the classes that exist, or the extension that adds them. */
    private static List<String> operatorClasses(Context ctx, String type, String method) {
        List<Map<String, Object>> rows = ctx.query("""
                SELECT c.opcname AS name FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
                 WHERE a.amname = ? AND c.opcintype = to_regtype(?) ORDER BY 1""", method, type);
        if (!rows.isEmpty()) {
            return List.of("name an operator class of " + method + " for " + type + " in the index: "
                    + String.join(", ", rows.stream().map(r -> (String) r.get("name")).toList()));
        }
        if (method.equals("gist") || method.equals("gin")) {
            return fromExtension(ctx, method.toUpperCase() + " operator classes for plain types such as " + type,
                    "btree_" + method);
        }
        return List.of();
    }

    // ---- 42P01 -------------------------------------------------------------------------------

    static List<String> relation(Context ctx) {
        Matcher m = ctx.match(RELATION);
        if (m == null) {
            return List.of();
        }
        String[] parts = Context.splitQualified(m.group(1));
        String name = parts[1];
        List<String> lines = new ArrayList<>(Creations.createdAfter(ctx, Creations.Kind.RELATION, parts[0], name));
        if (parts[0] == null) {
            lines.addAll(elsewhere(ctx, "relation", """
                    SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                       AND NOT n.nspname = ANY (current_schemas(true)) ORDER BY 1""", name));
        }
        if (lines.isEmpty()) {
            List<String> known = ctx.query("""
                    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                       AND n.nspname = coalesce(?, current_schema())""", parts[0])
                    .stream().map(r -> (String) r.get("name")).toList();
            Optional<String> suggestion = DidYouMean.suggest(name, known);
            lines.add("no relation " + m.group(1) + " on this database" + suggestion.map(s -> " (did you mean '" + s + "'?)").orElse("")
                    + ", and no later step of this plan creates it");
        }
        return lines;
    }

    // ---- 42883 -------------------------------------------------------------------------------

    static List<String> function(Context ctx) {
        Matcher m = ctx.match(FUNCTION);
        if (m == null) {
            return List.of();
        }
        String word = m.group(1);
        String[] parts = Context.splitQualified(m.group(2));
        String name = parts[1];
        String called = m.group(3);
        List<String> lines = new ArrayList<>();
        List<FunctionInfo> overloads = ctx.catalog().functions(Identifiers.qualified(parts[0], name));
        if (!overloads.isEmpty()) {
            lines.add(word + " " + name + "(" + called + ") matches none of the " + overloads.size() + " that exist:");
            for (FunctionInfo f : overloads.subList(0, Math.min(5, overloads.size()))) {
                lines.add("  " + f.schema() + "." + f.signature() + (f.returnType() == null ? "" : " returns " + f.returnType()));
            }
            if (overloads.size() > 5) {
                lines.add("  ... and " + (overloads.size() - 5) + " more");
            }
            lines.add(called.contains("unknown")
                    ? "'unknown' is a quoted literal the server could not type: cast it ('x'::text) to pick an overload"
                    : "cast the arguments to the types of one of them");
        }
        String extension = KnownExtensions.forFunction(name);
        if (overloads.isEmpty() && extension != null) {
            lines.addAll(fromExtension(ctx, word + " " + name, extension));
        }
        lines.addAll(Creations.createdAfter(ctx, Creations.Kind.FUNCTION, parts[0], name));
        if (lines.isEmpty() && parts[0] == null) {
            lines.addAll(elsewhere(ctx, word, """
                    SELECT DISTINCT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE p.proname = ? AND NOT n.nspname = ANY (current_schemas(true)) ORDER BY 1""", name));
        }
        if (lines.isEmpty() && parts[0] == null) {
            OtherDialects.function(name).ifPresent(use -> lines.add(use.sentence()));
        }
        if (lines.isEmpty()) {
            lines.add("no " + word + " named " + name + " in reach, and no later step of this plan creates one");
        }
        return lines;
    }

    // ---- 3F000 -------------------------------------------------------------------------------

    static List<String> schema(Context ctx) {
        Matcher m = ctx.match(SCHEMA);
        if (m == null) {
            return List.of();
        }
        String name = m.group(1);
        List<String> later = Creations.createdAfter(ctx, Creations.Kind.SCHEMA, null, name);
        if (!later.isEmpty()) {
            return later;
        }
        List<String> known = ctx.query("""
                SELECT nspname AS name FROM pg_namespace
                 WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'""")
                .stream().map(r -> (String) r.get("name")).toList();
        return List.of("no schema " + name + " on this database"
                + DidYouMean.suggest(name, known).map(s -> " (did you mean '" + s + "'?)").orElse("")
                + ", and no later step of this plan creates it: CREATE SCHEMA IF NOT EXISTS "
                + Names.sqlIdent(name) + " in a step before this one");
    }

    // ---- shared ------------------------------------------------------------------------------

    /**
     * Where {@code what} comes from: the extension, whether this server has it, whether it is
     * installed (and in which schema), and the later step that creates it.
     */
    private static List<String> fromExtension(Context ctx, String what, String extension) {
        if (extension == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        Optional<Creations.InStep> inStep = Creations.laterInStep(ctx.step(), ctx.error().statement(), ctx.failedAt(),
                Creations.Kind.EXTENSION, null, extension);
        List<Map<String, Object>> rows = ctx.query("""
                SELECT a.default_version, e.extversion AS installed, n.nspname AS schema,
                       n.nspname = ANY (current_schemas(false)) AS on_path, current_setting('search_path') AS path
                  FROM pg_available_extensions a
                  LEFT JOIN pg_extension e ON e.extname = a.name
                  LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
                 WHERE a.name = ?""", extension);
        String ext = KnownExtensions.display(extension);
        String create = "CREATE EXTENSION IF NOT EXISTS " + Names.sqlIdent(extension);
        if (rows.isEmpty()) {
            lines.add(what + " comes from extension " + ext + ", which this server does not have"
                    + " (not in pg_available_extensions): install it on the server, then " + create);
        } else {
            Map<String, Object> r = rows.get(0);
            if (r.get("installed") == null) {
                lines.add(what + " comes from extension " + ext + ", available on this server (version "
                        + r.get("default_version") + ") but not installed in this database"
                        + (inStep.isPresent() ? "" : ": " + create + " in a step before this one"));
            } else if (!Boolean.TRUE.equals(r.get("on_path"))) {
                lines.add(what + " comes from extension " + ext + ", installed in schema " + r.get("schema")
                        + ", which is not on the search_path (" + r.get("path") + "): qualify the name ("
                        + r.get("schema") + ".name) or add the schema to the search_path");
            } else {
                lines.add(what + " would come from extension " + ext + ", installed here (version " + r.get("installed")
                        + ") without it: a newer version may have it (ALTER EXTENSION " + Names.sqlIdent(extension)
                        + " UPDATE)");
            }
        }
        if (inStep.isPresent()) {
            lines.add("the CREATE EXTENSION " + extension + " that provides it comes later in this step, at "
                    + inStep.get().where() + ": move it before the first use");
        } else {
            Creations.later(ctx.plan(), ctx.step(), Creations.Kind.EXTENSION, null, extension)
                    .ifPresent(c -> lines.add(c.later()));
        }
        return lines;
    }

    /** "a relation x exists in schema kb, which is not on the search_path". */
    private static List<String> elsewhere(Context ctx, String word, String sql, String name) {
        List<String> schemas = ctx.query(sql, name).stream().map(r -> (String) r.get("schema")).toList();
        if (schemas.isEmpty()) {
            return List.of();
        }
        String path = (String) ctx.value("SELECT current_setting('search_path')");
        return List.of("a " + word + " named " + name + " exists in schema" + (schemas.size() == 1 ? " " : "s ")
                + String.join(", ", schemas) + ", which the search_path (" + path + ") does not reach: qualify it ("
                + schemas.get(0) + "." + name + ") or add the schema to the search_path");
    }
}
