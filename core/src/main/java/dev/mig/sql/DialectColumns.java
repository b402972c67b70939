package dev.mig.sql;

import dev.mig.sql.OtherDialects.Use;
import dev.mig.sql.SqlTokens.Token;

import java.util.List;
import java.util.Locale;

import static dev.mig.sql.OtherDialects.CANNOT_PARSE;

/**
 * The column definitions and table options {@link DialectScan} reads: {@code AUTO_INCREMENT},
 * {@code IDENTITY(1,1)}, {@code UNSIGNED}, {@code int(11)}, {@code COMMENT '...'},
 * {@code ON UPDATE CURRENT_TIMESTAMP} and MySQL's column placement after a column's name and type;
 * a type of another database where a type is written; {@code ENGINE=}, {@code CHARSET=} and the
 * like after a table's column list or as an ALTER TABLE action.
 */
abstract class DialectColumns extends DialectTokens {

    private static final String IDENTITY_ADVICE = " GENERATED ALWAYS AS IDENTITY (BY DEFAULT instead of ALWAYS lets"
            + " inserts give their own ids)";

    DialectColumns(String sql, List<Token> tokens) {
        super(sql, tokens);
    }

    void columnDefinition(int a, int b, String table, boolean added) {
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
    void typeName(int k) {
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
    int tableOption(int k, String table) {
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
    String typeText(int k, int b) {
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
}
