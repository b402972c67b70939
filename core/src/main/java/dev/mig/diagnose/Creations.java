package dev.mig.diagnose;

import dev.mig.api.SourceLocation;
import dev.mig.model.Action;
import dev.mig.model.Plan;
import dev.mig.model.Step;
import dev.mig.sql.SqlStatement;
import dev.mig.sql.SqlTokens;
import dev.mig.sql.SqlTokens.Token;
import dev.mig.sql.StatementSplitter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the SQL of a plan's steps creates, recognised from each statement's first words
 * ({@code CREATE [OR REPLACE] TABLE kb.chunks}, {@code CREATE EXTENSION IF NOT EXISTS vector},
 * {@code ALTER TABLE t ADD CONSTRAINT c UNIQUE}, {@code ALTER TABLE t RENAME TO u}), so a hint can
 * say "a later statement of this step creates it" or "a later step creates it", and {@code mig lint}
 * can tell a table the plan creates from one that holds rows already. Groovy blocks are not read: what they create is unknown here.
 */
public final class Creations {

    /** Kinds a creation is filed under: one namespace each, as PostgreSQL keeps them. */
    public enum Kind { RELATION, TYPE, FUNCTION, SCHEMA, EXTENSION, CONSTRAINT }

    /**
     * @param word   what the statement says it creates: {@code table}, {@code extension}, ...
     * @param schema null when the statement did not qualify the name
     */
    public record Creation(Kind kind, String word, String schema, String name, Step step, SourceLocation at) {

        boolean matches(Kind wanted, String wantedSchema, String wantedName) {
            return kind == wanted && name.equals(wantedName)
                    && (schema == null || wantedSchema == null || schema.equals(wantedSchema));
        }

        /** {@code step 'enable vector' creates extension vector later in this plan (plan.groovy:12)}. */
        String later() {
            return "step '" + step.name() + "' creates " + word + " " + (schema == null ? name : schema + "." + name)
                    + " later in this plan (" + at + "): move that step before this one";
        }
    }

    private Creations() {
    }

    /** The first creation of this name by a step after {@code failing}, in plan order. */
    static Optional<Creation> later(Plan plan, Step failing, Kind kind, String schema, String name) {
        boolean after = false;
        for (Step step : plan.steps()) {
            if (after) {
                for (Creation c : in(step)) {
                    if (c.matches(kind, schema, name)) {
                        return Optional.of(c);
                    }
                }
            }
            after |= step.name().equals(failing.name());
        }
        return Optional.empty();
    }

    /**
     * A creation of this name by the failing step itself, before the failing statement (its text,
     * and the place the failure was reported, which tells two identical statements apart).
     */
    static Optional<Creation> inStepBefore(Step step, String failingStatement, SourceLocation failedAt, Kind kind,
                                           String schema, String name) {
        for (Creation c : in(step, failingStatement, failedAt)) {
            if (c.matches(kind, schema, name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * A creation by the failing step itself, after the failing statement (found by its text and the
     * place the failure was reported); empty when the failing statement is not among the step's SQL
     * (a groovy block failed). {@code where} places it for a hint: {@code plan.groovy:9 (line 3 of
     * its sql text)}, or the SQL file's line.
     */
    static Optional<InStep> laterInStep(Step step, String failingStatement, SourceLocation failedAt, Kind kind,
                                        String schema, String name) {
        if (failingStatement == null) {
            return Optional.empty();
        }
        boolean passed = false;
        for (Action action : step.actions()) {
            if (!(action instanceof Action.Sql sql) || sql.text() == null) {
                continue;
            }
            for (SqlStatement statement : StatementSplitter.split(sql.text())) {
                SourceLocation at = placed(sql, statement);
                if (!passed) {
                    passed = statement.text().equals(failingStatement) && spans(at, statement.text(), failedAt);
                    continue;
                }
                for (Creation c : of(SqlTokens.of(statement.text()), step, at)) {
                    if (c.matches(kind, schema, name)) {
                        String where = sql.fromFile() || statement.startLine() == 1
                                ? at.toString()
                                : at + " (line " + statement.startLine() + " of its sql text)";
                        return Optional.of(new InStep(c, where));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A creation later in the failing step, and where, as a hint shows it. */
    record InStep(Creation creation, String where) {

        /** {@code this step creates type mood later, at plan.groovy:9: move that statement before this one}. */
        String later() {
            Creation c = creation;
            return "this step creates " + c.word() + " " + (c.schema() == null ? c.name() : c.schema() + "." + c.name())
                    + " later, at " + where + ": move that statement before the first use";
        }
    }

    /**
     * What a hint says about a missing object that this plan creates after the failure: later in the
     * failing step (the nearer), else in a later step; empty when neither.
     */
    static List<String> createdAfter(Context ctx, Kind kind, String schema, String name) {
        Optional<InStep> inStep = laterInStep(ctx.step(), ctx.error().statement(), ctx.failedAt(), kind, schema, name);
        if (inStep.isPresent()) {
            return List.of(inStep.get().later());
        }
        return later(ctx.plan(), ctx.step(), kind, schema, name).map(c -> List.of(c.later())).orElse(List.of());
    }

    private static SourceLocation placed(Action.Sql sql, SqlStatement statement) {
        return sql.fromFile()
                ? new SourceLocation(sql.file(), statement.startLine())
                : sql.location().withLine(sql.location().line() + statement.startLine() - 1);
    }

    static List<Creation> in(Step step) {
        return in(step, null, null);
    }

    /** The creations of a step's SQL in order, stopping at the statement {@code stopAt} reported at {@code failedAt}. */
    private static List<Creation> in(Step step, String stopAt, SourceLocation failedAt) {
        List<Creation> out = new ArrayList<>();
        for (Action action : step.actions()) {
            if (!(action instanceof Action.Sql sql) || sql.text() == null) {
                continue;
            }
            for (SqlStatement statement : StatementSplitter.split(sql.text())) {
                SourceLocation at = placed(sql, statement);
                if (stopAt != null && statement.text().equals(stopAt) && spans(at, statement.text(), failedAt)) {
                    return out;
                }
                read(SqlTokens.of(statement.text()), step, at, out);
            }
        }
        return out;
    }

    /** Whether a statement starting at {@code at} covers the line {@code failedAt} (unknown: assume it does). */
    private static boolean spans(SourceLocation at, String text, SourceLocation failedAt) {
        if (failedAt == null || failedAt.file() == null) {
            return true;
        }
        long lines = text.chars().filter(ch -> ch == '\n').count();
        return java.util.Objects.equals(at.file(), failedAt.file())
                && failedAt.line() >= at.line() && failedAt.line() <= at.line() + lines;
    }

    /** What one statement of {@code step}, starting at {@code at}, creates. */
    public static List<Creation> of(List<Token> statement, Step step, SourceLocation at) {
        List<Creation> out = new ArrayList<>();
        read(statement, step, at, out);
        return out;
    }

    private static void read(List<Token> t, Step step, SourceLocation at, List<Creation> out) {
        if (t.isEmpty()) {
            return;
        }
        if (t.get(0).is("CREATE")) {
            readCreate(t, step, at, out);
        } else if (t.get(0).is("ALTER")) {
            readAlter(t, step, at, out);
        }
    }

    private static void readCreate(List<Token> t, Step step, SourceLocation at, List<Creation> out) {
        int i = 1;
        if (is(t, i, "OR") && is(t, i + 1, "REPLACE")) {
            i += 2;
        }
        while (is(t, i, "TEMP") || is(t, i, "TEMPORARY") || is(t, i, "UNLOGGED") || is(t, i, "GLOBAL")
                || is(t, i, "LOCAL") || is(t, i, "UNIQUE") || is(t, i, "RECURSIVE") || is(t, i, "TRUSTED")
                || is(t, i, "PROCEDURAL")) {
            i++;
        }
        String word;
        Kind kind;
        if (is(t, i, "TABLE")) {
            word = "table";
            kind = Kind.RELATION;
        } else if (is(t, i, "FOREIGN") && is(t, i + 1, "TABLE")) {
            word = "foreign table";
            kind = Kind.RELATION;
            i++;
        } else if (is(t, i, "MATERIALIZED") && is(t, i + 1, "VIEW")) {
            word = "materialized view";
            kind = Kind.RELATION;
            i++;
        } else if (is(t, i, "VIEW")) {
            word = "view";
            kind = Kind.RELATION;
        } else if (is(t, i, "SEQUENCE")) {
            word = "sequence";
            kind = Kind.RELATION;
        } else if (is(t, i, "INDEX")) {
            word = "index";
            kind = Kind.RELATION;
            if (is(t, i + 1, "CONCURRENTLY")) {
                i++;
            }
            if (is(t, i + 1, "ON")) {
                return; // the server picks the name
            }
        } else if (is(t, i, "TYPE") || is(t, i, "DOMAIN")) {
            word = t.get(i).identifier();
            kind = Kind.TYPE;
        } else if (is(t, i, "FUNCTION") || is(t, i, "PROCEDURE") || is(t, i, "AGGREGATE")) {
            word = t.get(i).identifier();
            kind = Kind.FUNCTION;
        } else if (is(t, i, "SCHEMA")) {
            word = "schema";
            kind = Kind.SCHEMA;
        } else if (is(t, i, "EXTENSION")) {
            word = "extension";
            kind = Kind.EXTENSION;
        } else {
            return;
        }
        i++;
        if (is(t, i, "IF") && is(t, i + 1, "NOT") && is(t, i + 2, "EXISTS")) {
            i += 3;
        }
        if (kind == Kind.SCHEMA && is(t, i, "AUTHORIZATION")) {
            i++; // CREATE SCHEMA AUTHORIZATION role names the schema after the role
        }
        String[] name = name(t, i);
        if (name != null) {
            out.add(new Creation(kind, word, kind == Kind.EXTENSION ? null : name[0], name[1], step, at));
        }
    }

    /** {@code ALTER TABLE [IF EXISTS] [ONLY] t ADD CONSTRAINT c ...} and {@code ALTER <relation kind> x RENAME TO y}. */
    private static void readAlter(List<Token> t, Step step, SourceLocation at, List<Creation> out) {
        int i = 1;
        String word;
        if (is(t, i, "TABLE")) {
            word = "table";
        } else if (is(t, i, "VIEW")) {
            word = "view";
        } else if (is(t, i, "SEQUENCE")) {
            word = "sequence";
        } else if (is(t, i, "INDEX")) {
            word = "index";
        } else if (is(t, i, "MATERIALIZED") && is(t, i + 1, "VIEW")) {
            word = "materialized view";
            i++;
        } else {
            return;
        }
        i++;
        if (is(t, i, "IF") && is(t, i + 1, "EXISTS")) {
            i += 2;
        }
        if (is(t, i, "ONLY")) {
            i++;
        }
        String[] target = name(t, i);
        if (target == null) {
            return;
        }
        for (int j = i; j < t.size(); j++) {
            if (is(t, j, "RENAME") && is(t, j + 1, "TO")) {
                String[] renamed = name(t, j + 2);
                if (renamed != null) {
                    out.add(new Creation(Kind.RELATION, word, target[0], renamed[1], step, at));
                }
                return;
            }
            if (is(t, j, "ADD") && is(t, j + 1, "CONSTRAINT")) {
                String[] constraint = name(t, j + 2);
                if (constraint != null) {
                    out.add(new Creation(Kind.CONSTRAINT, "constraint", target[0], constraint[1], step, at));
                    if (is(t, j + 3, "UNIQUE") || is(t, j + 3, "PRIMARY") || is(t, j + 3, "EXCLUDE")) {
                        // such a constraint creates an index of its own name
                        out.add(new Creation(Kind.RELATION, "index (of constraint " + constraint[1] + ")", target[0],
                                constraint[1], step, at));
                    }
                }
            }
        }
    }

    /** {@code name} or {@code schema.name} at {@code i}, as {schema or null, name}; null when there is none. */
    public static String[] name(List<Token> t, int i) {
        if (i >= t.size() || !t.get(i).isName()) {
            return null;
        }
        String first = t.get(i).identifier();
        if (first == null) {
            return null;
        }
        if (i + 2 < t.size() && t.get(i + 1).isPunctuation('.') && t.get(i + 2).isName() && t.get(i + 2).identifier() != null) {
            return new String[]{first, t.get(i + 2).identifier()};
        }
        return new String[]{null, first};
    }

    public static boolean is(List<Token> t, int i, String keyword) {
        return i < t.size() && t.get(i).is(keyword);
    }
}
