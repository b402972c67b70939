package dev.mig.diagnose;

import dev.mig.api.SourceLocation;
import dev.mig.catalog.Catalog;
import dev.mig.catalog.Identifiers;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.result.Blocker;
import dev.mig.sql.SqlTokens;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a diagnosis works from: the failure (and where it was reported), its step and plan, the
 * catalog to ask, the session's {@code statement_timeout} from before the diagnosis set its own,
 * and the sessions seen blocking the statement while it waited (empty when none were seen).
 */
record Context(Catalog catalog, Plan plan, Step step, ServerError error, SourceLocation failedAt,
               String sessionStatementTimeout, List<Blocker> blockers) {

    Context {
        blockers = blockers == null ? List.of() : List.copyOf(blockers);
    }

    List<String> searchPath() {
        return catalog.searchPath();
    }

    /** The message matched against {@code pattern}, or null when it does not match. */
    Matcher match(Pattern pattern) {
        if (error.message() == null) {
            return null;
        }
        Matcher m = pattern.matcher(error.message());
        return m.matches() ? m : null;
    }

    List<SqlTokens.Token> tokens() {
        return error.statement() == null ? List.of() : SqlTokens.of(error.statement());
    }

    /**
     * The schema the failed statement puts {@code name} in: the one written before it ({@code kb} in
     * {@code CREATE TABLE kb.chunks}); for an index or a constraint's index, its table's schema
     * ({@code CREATE INDEX i ON kb.t}, {@code ALTER TABLE kb.t ADD CONSTRAINT c UNIQUE},
     * {@code CREATE TABLE kb.t (..., CONSTRAINT c UNIQUE (...))}); else the
     * schema an unqualified name is created in, {@code current_schema()}.
     */
    String schemaOf(String name) {
        List<SqlTokens.Token> t = tokens();
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.get(i).isName() && t.get(i + 1).isPunctuation('.') && name.equals(t.get(i + 2).identifier())) {
                return t.get(i).identifier();
            }
        }
        String[] table = indexedTable(t);
        if (table != null) {
            if (table[0] != null) {
                return table[0];
            }
            Object schema = catalog.value("""
                    SELECT n.nspname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.oid = to_regclass(?)""", Identifiers.quote(table[1]));
            if (schema != null) {
                return (String) schema;
            }
        }
        return (String) catalog.value("SELECT current_schema()::text");
    }

    /**
     * The table of {@code CREATE [UNIQUE] INDEX ... ON [ONLY] t}, {@code ALTER TABLE [IF EXISTS] [ONLY] t}
     * or {@code CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] t}.
     */
    private static String[] indexedTable(List<SqlTokens.Token> t) {
        if (Creations.is(t, 0, "ALTER") && Creations.is(t, 1, "TABLE")) {
            int i = 2;
            if (Creations.is(t, i, "IF") && Creations.is(t, i + 1, "EXISTS")) {
                i += 2;
            }
            if (Creations.is(t, i, "ONLY")) {
                i++;
            }
            return Creations.name(t, i);
        }
        if (Creations.is(t, 0, "CREATE")) {
            // the indexes of CREATE TABLE kb.t (..., CONSTRAINT c UNIQUE (...)) go into kb
            for (int i = 1; i < Math.min(t.size(), 4); i++) {
                if (t.get(i).is("TABLE")) {
                    int n = Creations.is(t, i + 1, "IF") ? i + 4 : i + 1;
                    return Creations.name(t, n);
                }
            }
        }
        if (Creations.is(t, 0, "CREATE") && (Creations.is(t, 1, "INDEX") || Creations.is(t, 2, "INDEX"))) {
            for (int i = 1; i < t.size(); i++) {
                if (t.get(i).is("ON")) {
                    return Creations.name(t, Creations.is(t, i + 1, "ONLY") ? i + 2 : i + 1);
                }
            }
        }
        return null;
    }

    /** {@code "a.b"} as the server prints a qualified name in a message: {schema or null, name}. */
    static String[] splitQualified(String text) {
        int dot = text.indexOf('.');
        return dot <= 0 || dot == text.length() - 1
                ? new String[]{null, text}
                : new String[]{text.substring(0, dot), text.substring(dot + 1)};
    }

    List<Map<String, Object>> query(String sql, Object... args) {
        return catalog.query(sql, args);
    }

    Object value(String sql, Object... args) {
        return catalog.value(sql, args);
    }
}
