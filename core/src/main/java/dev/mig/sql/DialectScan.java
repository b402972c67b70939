package dev.mig.sql;

import dev.mig.sql.OtherDialects.Use;
import dev.mig.sql.SqlTokens.Token;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.mig.sql.OtherDialects.CANNOT_PARSE;

/**
 * Reads one statement for {@link OtherDialects}: backtick quotes anywhere; column definitions of
 * {@code CREATE TABLE} and {@code ALTER TABLE ... ADD [COLUMN]} (where {@code AUTO_INCREMENT},
 * {@code IDENTITY(1,1)}, {@code UNSIGNED}, {@code int(11)} and column comments are sure to be
 * another database's, since PostgreSQL has no column constraint of those names); the options after
 * a CREATE TABLE's column list; ALTER TABLE actions; the IF NOT EXISTS that PostgreSQL has not, or
 * has in another place; functions and casts to types of other databases anywhere. A word is only
 * read where it cannot be a name: a column may be called {@code auto_increment}, a type
 * {@code identity}. Column definitions and table options are {@link DialectColumns}'.
 */
final class DialectScan extends DialectColumns {

    static final String BACKTICKS = "MySQL's quoting of names";

    /** A name that needs no quotes, unless it is one of PostgreSQL's reserved words. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as", "asc",
            "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation", "column",
            "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
            "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
            "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full",
            "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
            "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull",
            "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references",
            "returning", "right", "select", "session_user", "similar", "some", "symmetric", "system_user", "table",
            "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose",
            "when", "where", "window", "with");

    DialectScan(String sql, List<Token> tokens) {
        super(sql, tokens);
    }

    List<Use> run() {
        backticks();
        if (is(0, "CREATE")) {
            create();
        } else if (is(0, "ALTER") && is(1, "TABLE")) {
            alterTable();
        } else if (is(0, "DROP") && is(1, "INDEX") && is(2, "IF") && is(3, "EXISTS") && is(4, "CONCURRENTLY")) {
            syntax(0, 4, "not PostgreSQL's order: " + CANNOT_PARSE,
                    "write DROP INDEX CONCURRENTLY IF EXISTS, in a step with transaction false");
        }
        functionsAndCasts();
        return OtherDialects.distinct(out);
    }

    // ---- anywhere --------------------------------------------------------------------------

    private void backticks() {
        for (int i = 0; i < t.size(); i++) {
            int close = closingBacktick(i);
            if (close > 0) {
                String inner = sql.substring(t.get(i).start() + 1, t.get(close).start());
                String quoted = "\"" + inner.replace("\"", "\"\"") + "\"";
                String instead = !PLAIN.matcher(inner).matches() || RESERVED.contains(inner.toLowerCase(Locale.ROOT))
                        ? "write " + quoted + " (PostgreSQL quotes names in double quotes)"
                        : "write " + inner + ", or " + quoted + " to keep its case (PostgreSQL quotes names in double quotes)";
                syntax(i, close, BACKTICKS + ": " + CANNOT_PARSE, instead);
                i = close;
            }
        }
    }

    private void functionsAndCasts() {
        for (int k = 0; k < t.size(); k++) {
            Token w = t.get(k);
            if (w.kind() != Token.Kind.WORD) {
                continue;
            }
            String lw = w.text().toLowerCase(Locale.ROOT);
            if (DialectNames.isFunction(lw) && punctuation(k + 1, '(') && !punctuation(k - 1, '.')
                    && !(is(k - 1, "FUNCTION") || is(k - 1, "PROCEDURE") || is(k - 1, "ROUTINE") || is(k - 1, "AGGREGATE"))) {
                out.add(DialectNames.function(lw, w.text() + (punctuation(k + 2, ')') ? "()" : "(...)"), w.start()));
            }
            if (punctuation(k - 1, ':') && punctuation(k - 2, ':')) {
                typeName(k);
            }
        }
    }

    // ---- CREATE ----------------------------------------------------------------------------

    private void create() {
        int i = 1;
        if (is(i, "OR") && is(i + 1, "REPLACE")) {
            i += 2;
        }
        boolean unique = false;
        while (is(i, "TEMP") || is(i, "TEMPORARY") || is(i, "UNLOGGED") || is(i, "GLOBAL") || is(i, "LOCAL") || is(i, "UNIQUE")) {
            unique |= is(i, "UNIQUE");
            i++;
        }
        boolean ifNotExists = is(i + 1, "IF") && is(i + 2, "NOT") && is(i + 3, "EXISTS");
        if (is(i, "TABLE")) {
            createTable(ifNotExists ? i + 4 : i + 1);
        } else if (is(i, "INDEX") && ifNotExists && is(i + 4, "CONCURRENTLY")) {
            syntax(0, i + 4, "not PostgreSQL's order: " + CANNOT_PARSE, "write CREATE " + (unique ? "UNIQUE " : "")
                    + "INDEX CONCURRENTLY IF NOT EXISTS, in a step with transaction false");
        } else if ((is(i, "TYPE") || is(i, "DOMAIN")) && ifNotExists) {
            String name = nameText(i + 4);
            syntax(0, i + 3, "not PostgreSQL: CREATE " + t.get(i).upper() + " has no IF NOT EXISTS, so " + CANNOT_PARSE,
                    "write CREATE " + t.get(i).upper() + " " + name + " ... in a step of its own with guard { !type("
                            + dsl(name) + ").exists() }");
        } else if (is(i, "TRIGGER") && ifNotExists) {
            String name = nameText(i + 4);
            int on = find(i + 4, t.size(), "ON");
            String table = on < 0 ? "table" : nameText(on + 1);
            syntax(0, i + 3, "not PostgreSQL: CREATE TRIGGER has no IF NOT EXISTS, so " + CANNOT_PARSE,
                    "write CREATE OR REPLACE TRIGGER " + name + " (PostgreSQL 14 and later), or CREATE TRIGGER in a step of"
                            + " its own with guard { !trigger(" + dsl(table) + ", " + dsl(name) + ").exists() }");
        }
    }

    private void createTable(int nameAt) {
        int e = nameEnd(nameAt);
        if (e < 0 || !punctuation(e, '(')) {
            return;
        }
        String table = nameText(nameAt);
        int close = close(e);
        for (int[] element : splitCommas(e + 1, close)) {
            int a = element[0];
            if (is(a, "CONSTRAINT") || is(a, "PRIMARY") || is(a, "FOREIGN") || is(a, "CHECK") || is(a, "EXCLUDE") || is(a, "LIKE")) {
                continue;
            }
            if (is(a, "UNIQUE")) {
                if (is(a + 1, "KEY") || is(a + 1, "INDEX")) {
                    syntax(a, a + 1, "MySQL's: " + CANNOT_PARSE, "write UNIQUE (columns), or CONSTRAINT name UNIQUE (columns)");
                }
                continue;
            }
            columnDefinition(a, element[1], table, false);
        }
        for (int k = close + 1; k < t.size() && !is(k, "AS"); k++) {
            if (punctuation(k, '(')) {
                k = close(k);
            } else {
                k = tableOption(k, table);
            }
        }
    }

    // ---- ALTER TABLE -----------------------------------------------------------------------

    private void alterTable() {
        int i = 2;
        if (is(i, "IF") && is(i + 1, "EXISTS")) {
            i += 2;
        }
        if (is(i, "ONLY")) {
            i++;
        }
        int e = nameEnd(i);
        if (e < 0) {
            return;
        }
        String table = nameText(i);
        if (punctuation(e, '*')) {
            e++;
        }
        for (int[] action : splitCommas(e, t.size())) {
            alterAction(action[0], action[1], table);
        }
    }

    private void alterAction(int a, int b, String table) {
        if (is(a, "ADD") && is(a + 1, "CONSTRAINT") && is(a + 2, "IF") && is(a + 3, "NOT") && is(a + 4, "EXISTS")) {
            String name = nameText(a + 5);
            syntax(a, a + 4, "not PostgreSQL: ALTER TABLE has no IF NOT EXISTS for a constraint, so " + CANNOT_PARSE,
                    "write ALTER TABLE " + table + " ADD CONSTRAINT " + name + " ... in a step of its own with guard { !constraint("
                            + dsl(table) + ", " + dsl(name) + ").exists() }");
        } else if (is(a, "ADD")) {
            int c = is(a + 1, "COLUMN") ? a + 2 : a + 1;
            if (is(c, "IF") && is(c + 1, "NOT") && is(c + 2, "EXISTS")) {
                c += 3;
            }
            if (!(is(c, "CONSTRAINT") || is(c, "PRIMARY") || is(c, "UNIQUE") || is(c, "FOREIGN") || is(c, "CHECK")
                    || is(c, "EXCLUDE"))) {
                columnDefinition(c, b, table, true);
            }
        } else if (is(a, "MODIFY") || is(a, "CHANGE")) {
            int c = is(a + 1, "COLUMN") ? a + 2 : a + 1;
            String column = nameText(c);
            if (is(a, "MODIFY")) {
                syntax(a, a, "MySQL's: " + CANNOT_PARSE, "write ALTER TABLE " + table + " ALTER COLUMN " + column + " TYPE "
                        + typeText(nameEnd(c), b) + " (NOT NULL and DEFAULT are actions of their own: ALTER COLUMN " + column
                        + " SET NOT NULL, ALTER COLUMN " + column + " SET DEFAULT ...)");
            } else {
                int n = nameEnd(c);
                String renamed = n < 0 ? "new_name" : nameText(n);
                syntax(a, a, "MySQL's: " + CANNOT_PARSE, "write ALTER TABLE " + table + " RENAME COLUMN " + column + " TO "
                        + renamed + ", then ALTER TABLE " + table + " ALTER COLUMN " + renamed + " TYPE "
                        + typeText(n < 0 ? -1 : nameEnd(n), b) + " (a statement each)");
            }
        } else if (is(a, "CONVERT") && is(a + 1, "TO")) {
            tableOption(a + 2, table);
        } else if (is(a, "ALTER")) {
            int type = find(a + 1, b, "TYPE");
            if (type > 0) {
                typeName(type + 1);
            }
        } else {
            tableOption(a, table);
        }
    }
}
