package dev.mig.sql;

import dev.mig.sql.OtherDialects.Use;
import dev.mig.sql.SqlTokens.Token;
import dev.mig.text.GroovyText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.mig.sql.OtherDialects.CANNOT_PARSE;

/**
 * Reads one statement for {@link OtherDialects}: backtick quotes anywhere; column definitions of
 * {@code CREATE TABLE} and {@code ALTER TABLE ... ADD [COLUMN]} (where {@code AUTO_INCREMENT},
 * {@code IDENTITY(1,1)}, {@code UNSIGNED}, {@code int(11)} and column comments are sure to be
 * another database's, since PostgreSQL has no column constraint of those names); the options after
 * a CREATE TABLE's column list; ALTER TABLE actions; the IF NOT EXISTS that PostgreSQL has not, or
 * has in another place. A word is only read where it cannot be a name: a column may be called
 * {@code auto_increment}, a type {@code identity}.
 */
final class DialectScan {

    static final String BACKTICKS = "MySQL's quoting of names";
    private static final String IDENTITY_ADVICE = " GENERATED ALWAYS AS IDENTITY (BY DEFAULT instead of ALWAYS lets"
            + " inserts give their own ids)";

    private final String sql;
    private final List<Token> t;
    private final List<Use> out = new ArrayList<>();

    DialectScan(String sql, List<Token> tokens) {
        this.sql = sql;
        this.t = tokens;
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
                syntax(i, close, BACKTICKS + ": " + CANNOT_PARSE, "write " + inner + ", or \"" + inner.replace("\"", "\"\"")
                        + "\" to keep its case (PostgreSQL quotes names in double quotes)");
                i = close;
            }
        }
    }

    /** The backtick closing the one at {@code i} (a name of a few tokens), or -1. */
    private int closingBacktick(int i) {
        if (!backtick(i)) {
            return -1;
        }
        for (int j = i + 1; j < Math.min(t.size(), i + 9); j++) {
            if (backtick(j)) {
                return j > i + 1 ? j : -1;
            }
        }
        return -1;
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

    // ---- columns and table options ---------------------------------------------------------

    private void columnDefinition(int a, int b, String table, boolean added) {
        int typeAt = nameEnd(a);
        if (typeAt < 0 || typeAt >= b) {
            return;
        }
        String column = nameText(a);
        String pgInt = integerType(typeAt);
        typeName(typeAt);
        int depth = 0;
        for (int k = typeAt + 1; k < b; k++) {
            if (punctuation(k, '(')) {
                depth++;
            } else if (punctuation(k, ')')) {
                depth--;
            }
            if (depth != 0) {
                continue;
            }
            if (is(k, "AUTO_INCREMENT") || is(k, "AUTOINCREMENT")) {
                syntax(k, k, (is(k, "AUTO_INCREMENT") ? "MySQL's" : "SQLite's") + ": " + CANNOT_PARSE,
                        "write " + column + " " + pgInt + IDENTITY_ADVICE + ", or " + column + " bigserial");
            } else if (is(k, "IDENTITY") && !is(k - 1, "AS")) {
                int end = punctuation(k + 1, '(') ? close(k + 1) : k;
                syntax(k, end, "SQL Server's: " + CANNOT_PARSE, "write " + column + " " + pgInt + " GENERATED ALWAYS AS IDENTITY"
                        + identityOptions(k + 1, end));
            } else if (is(k, "UNSIGNED") || is(k, "ZEROFILL")) {
                syntax(k, k, "MySQL's: " + CANNOT_PARSE, "leave it out (CHECK (" + column + " >= 0) refuses negative numbers)");
            } else if (is(k, "COMMENT") && k + 1 < b && t.get(k + 1).kind() == Token.Kind.STRING) {
                syntax(k, k + 1, "MySQL's column comment: " + CANNOT_PARSE, "leave it out, and after the table: COMMENT ON COLUMN "
                        + table + "." + column + " IS " + t.get(k + 1).text());
            } else if (is(k, "ON") && is(k + 1, "UPDATE") && (is(k + 2, "CURRENT_TIMESTAMP") || is(k + 2, "NOW")
                    || is(k + 2, "LOCALTIMESTAMP"))) {
                syntax(k, k + 2, "MySQL's: " + CANNOT_PARSE, "leave it out, and set the column in a BEFORE UPDATE trigger"
                        + " (NEW." + column + " := now())");
            } else if (added && (is(k, "AFTER") || (is(k, "FIRST") && k == b - 1))) {
                syntax(k, is(k, "AFTER") ? Math.min(k + 1, b - 1) : k, "MySQL's column placement: " + CANNOT_PARSE,
                        "leave it out: PostgreSQL adds a column after the others");
            }
        }
    }

    /** The PostgreSQL integer type for the column whose type starts at {@code k}; reports {@code int(11)}. */
    private String integerType(int k) {
        String word = k < t.size() && t.get(k).kind() == Token.Kind.WORD ? t.get(k).text().toLowerCase(Locale.ROOT) : "";
        String pg = switch (word) {
            case "int", "integer", "mediumint", "int4" -> "integer";
            case "smallint", "tinyint", "int2" -> "smallint";
            default -> "bigint";
        };
        if (punctuation(k + 1, '(') && (word.equals("int") || word.equals("integer") || word.equals("bigint") || word.equals("smallint"))) {
            syntax(k, close(k + 1), "MySQL's display width: " + CANNOT_PARSE, "write " + pg + " (PostgreSQL's integer types take no width)");
        }
        return pg;
    }

    /** A type written at {@code k}: {@code varchar(max)}, or a type name of another database. */
    private void typeName(int k) {
        if (k >= t.size() || t.get(k).kind() != Token.Kind.WORD) {
            return;
        }
        String word = t.get(k).text().toLowerCase(Locale.ROOT);
        boolean max = punctuation(k + 1, '(') && is(k + 2, "MAX") && punctuation(k + 3, ')');
        if (word.equals("varchar") && max) {
            syntax(k, k + 3, "SQL Server's: " + CANNOT_PARSE, "write text (or varchar without a length)");
            return;
        }
        if (!DialectNames.isType(word) || (word.equals("double") && is(k + 1, "PRECISION"))) {
            return;
        }
        int end = punctuation(k + 1, '(') ? close(k + 1) : k;
        Use use = DialectNames.type(word, text(k, end), t.get(k).start());
        if (word.equals("tinyint") && end == k + 3 && t.get(k + 2).text().equals("1")) {
            use = new Use(use.offset(), use.written(), use.problem(), "write boolean (MySQL's tinyint(1) is its boolean)",
                    use.kind(), use.name());
        } else if (max) {
            use = new Use(use.offset(), use.written(), use.problem(), word.equals("nvarchar") ? "write text" : "write bytea",
                    use.kind(), use.name());
        }
        out.add(use);
    }

    /** {@code ENGINE=InnoDB}, {@code DEFAULT CHARSET=utf8mb4}, ... at {@code k}; returns the last token read. */
    private int tableOption(int k, String table) {
        int value;
        String instead;
        if (is(k, "ENGINE") || is(k, "ROW_FORMAT")) {
            value = optionValue(k + 1);
            instead = "leave it out: PostgreSQL has no storage engines or row formats to choose";
        } else if (is(k, "DEFAULT") && (is(k + 1, "CHARSET") || is(k + 1, "COLLATE") || is(k + 1, "CHARACTER"))
                || is(k, "CHARSET") || is(k, "COLLATE") || (is(k, "CHARACTER") && is(k + 1, "SET"))) {
            int word = is(k, "DEFAULT") ? k + 1 : k;
            value = optionValue(is(word, "CHARACTER") ? word + 2 : word + 1);
            instead = "leave it out: the encoding is the database's (CREATE DATABASE ... ENCODING 'UTF8'), and a collation"
                    + " is given per column (name text COLLATE \"C\")";
        } else if (is(k, "AUTO_INCREMENT")) {
            value = optionValue(k + 1);
            instead = "leave it out, and start the identity column there: GENERATED ALWAYS AS IDENTITY (START WITH "
                    + (value > k + 1 ? t.get(value).text() : "n") + ")";
        } else if (is(k, "COMMENT")) {
            value = optionValue(k + 1);
            instead = "leave it out, and after the table: COMMENT ON TABLE " + table + " IS "
                    + (value > k + 1 ? t.get(value).text() : "'...'");
        } else {
            return k;
        }
        syntax(k, value, "MySQL's table option: " + CANNOT_PARSE, instead);
        return value;
    }

    /** The value of an option whose {@code =} (if any) is at {@code k}: its token, or the token before {@code k}. */
    private int optionValue(int k) {
        int v = punctuation(k, '=') ? k + 1 : k;
        return v < t.size() && t.get(v).kind() != Token.Kind.OTHER && t.get(v).kind() != Token.Kind.SEMICOLON ? v : k - 1;
    }

    private String identityOptions(int open, int close) {
        if (close <= open) {
            return "";
        }
        String[] parts = sql.substring(t.get(open).start() + 1, t.get(close).start()).split(",");
        if (parts.length != 2 || (parts[0].strip().equals("1") && parts[1].strip().equals("1"))) {
            return "";
        }
        return " (START WITH " + parts[0].strip() + " INCREMENT BY " + parts[1].strip() + ")";
    }

    /** The type of a MODIFY or CHANGE: from {@code k} to the first constraint word of the action. */
    private String typeText(int k, int b) {
        if (k < 0 || k >= b) {
            return "type";
        }
        int end = k;
        while (end + 1 < b && !(is(end + 1, "NOT") || is(end + 1, "NULL") || is(end + 1, "DEFAULT") || is(end + 1, "AUTO_INCREMENT")
                || is(end + 1, "COMMENT") || is(end + 1, "PRIMARY") || is(end + 1, "UNIQUE") || is(end + 1, "FIRST")
                || is(end + 1, "AFTER") || is(end + 1, "CHECK") || is(end + 1, "REFERENCES") || is(end + 1, "COLLATE")
                || is(end + 1, "CHARACTER") || is(end + 1, "CHARSET"))) {
            end++;
        }
        return text(k, end);
    }

    // ---- tokens ----------------------------------------------------------------------------

    private void syntax(int from, int to, String problem, String instead) {
        out.add(new Use(t.get(from).start(), text(from, to), problem, instead, Use.Kind.SYNTAX, null));
    }

    /** The source text of tokens {@code from} to {@code to}, both included. */
    private String text(int from, int to) {
        Token last = t.get(Math.min(Math.max(from, to), t.size() - 1));
        return sql.substring(t.get(from).start(), last.start() + last.text().length());
    }

    /** The index after a name ({@code a}, {@code s.a}, {@code `a`}, {@code "A"}) starting at {@code i}; -1 when none. */
    private int nameEnd(int i) {
        int end = part(i);
        while (end > 0 && punctuation(end, '.') && part(end + 1) > 0) {
            end = part(end + 1);
        }
        return end;
    }

    private int part(int i) {
        if (backtick(i)) {
            int close = closingBacktick(i);
            return close < 0 ? -1 : close + 1;
        }
        return i < t.size() && t.get(i).isName() ? i + 1 : -1;
    }

    /** The name at {@code i} as written, without backticks; {@code name} when there is none. */
    private String nameText(int i) {
        int end = nameEnd(i);
        return end < 0 ? "name" : text(i, end - 1).replace("`", "");
    }

    /** A name as a Groovy string in a guard: {@code 'orders'}. */
    private static String dsl(String name) {
        return GroovyText.literal(name);
    }

    private int close(int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            if (punctuation(i, '(')) {
                depth++;
            } else if (punctuation(i, ')') && --depth == 0) {
                return i;
            }
        }
        return t.size() - 1;
    }

    /** The {from, to} token ranges of {@code [from, to)} between commas outside parentheses. */
    private List<int[]> splitCommas(int from, int to) {
        List<int[]> parts = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            if (punctuation(i, '(')) {
                depth++;
            } else if (punctuation(i, ')')) {
                depth--;
            } else if (depth == 0 && punctuation(i, ',')) {
                if (i > start) {
                    parts.add(new int[]{start, i});
                }
                start = i + 1;
            }
        }
        if (to > start) {
            parts.add(new int[]{start, to});
        }
        return parts;
    }

    private int find(int from, int to, String word) {
        for (int i = from; i < to; i++) {
            if (is(i, word)) {
                return i;
            }
        }
        return -1;
    }

    private boolean is(int i, String word) {
        return i >= 0 && i < t.size() && t.get(i).is(word);
    }

    private boolean punctuation(int i, char c) {
        return i >= 0 && i < t.size() && t.get(i).isPunctuation(c);
    }

    private boolean backtick(int i) {
        return punctuation(i, '`');
    }
}
