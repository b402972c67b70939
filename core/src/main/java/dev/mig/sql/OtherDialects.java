package dev.mig.sql;

import dev.mig.sql.SqlTokens.Token;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * SQL written the way MySQL, SQL Server or SQLite write it, found in a statement's tokens, each
 * with the way PostgreSQL writes it: {@code AUTO_INCREMENT}, backtick quotes, {@code ENGINE=InnoDB},
 * {@code ADD CONSTRAINT IF NOT EXISTS}, {@code CREATE INDEX IF NOT EXISTS CONCURRENTLY},
 * {@code IDENTITY(1,1)}, {@code DATETIME}, {@code GETDATE()} (docs/DSL.md section 9, "mig check",
 * and section 15). Tokens come from the splitter's lexer, so text in a string, a comment or a dollar
 * body is never read: a DO block or a function body is not looked into.
 *
 * <p>A {@linkplain Use#syntax() syntax} use is one PostgreSQL cannot parse at all (it fails with 42601
 * whatever the database holds), so loading a plan refuses it. The others name a type or function
 * PostgreSQL does not have (42704, 42883), which a database may have made itself; {@code mig lint}
 * reports those, and mig's hint names them when the server refuses them.
 */
public final class OtherDialects {

    /**
     * One use of another database's SQL.
     *
     * @param offset  where it starts in the statement's text
     * @param written the text as written: {@code AUTO_INCREMENT}, {@code `orders`}, {@code ENGINE=InnoDB}
     * @param problem what it is, to follow "... is": {@code MySQL's: PostgreSQL cannot parse it}
     * @param instead how PostgreSQL writes it: {@code write id integer GENERATED ALWAYS AS IDENTITY ...}
     * @param kind    {@code SYNTAX}: PostgreSQL cannot parse it; {@code TYPE}, {@code FUNCTION}: a name it does not have
     * @param name    the type or function name, lower case; null for syntax
     */
    public record Use(int offset, String written, String problem, String instead, Kind kind, String name) {

        public enum Kind { SYNTAX, TYPE, FUNCTION }

        public boolean syntax() {
            return kind == Kind.SYNTAX;
        }

        /** {@code AUTO_INCREMENT is MySQL's: PostgreSQL cannot parse it; write ...}. */
        public String sentence() {
            return what() + "; " + instead;
        }

        /** {@code AUTO_INCREMENT is MySQL's: PostgreSQL cannot parse it}. */
        public String what() {
            return written + " is " + problem;
        }

        /** The line of {@code statement} it is on, 1 for the statement's first. */
        public int lineIn(String statement) {
            int line = 1;
            for (int i = 0; i < Math.min(offset, statement.length()); i++) {
                if (statement.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }

    static final String CANNOT_PARSE = "PostgreSQL cannot parse it";

    private OtherDialects() {
    }

    /** Every use in one statement, in the order written; each kind once per statement. */
    public static List<Use> in(String statement) {
        return in(statement, SqlTokens.of(statement));
    }

    public static List<Use> in(String statement, List<Token> tokens) {
        return new DialectScan(statement, tokens).run();
    }

    /** The syntax uses only: what PostgreSQL can never run. */
    public static List<Use> syntaxIn(String statement) {
        return in(statement).stream().filter(Use::syntax).toList();
    }

    /** For {@code type "datetime" does not exist}: what the type is elsewhere and what PostgreSQL writes. */
    public static Optional<Use> type(String name) {
        return Optional.ofNullable(DialectNames.type(name, name, 0));
    }

    /** For {@code function getdate() does not exist}. */
    public static Optional<Use> function(String name) {
        return Optional.ofNullable(DialectNames.function(name, name + "()", 0));
    }

    /** Keeps one use of each written text (case aside) and of each problem with several writings (backticks). */
    static List<Use> distinct(List<Use> uses) {
        Set<String> seen = new HashSet<>();
        List<Use> out = new ArrayList<>();
        for (Use u : uses) {
            String key = u.problem().startsWith(DialectScan.BACKTICKS) ? u.problem()
                    : u.written().toLowerCase(Locale.ROOT);
            if (seen.add(key)) {
                out.add(u);
            }
        }
        out.sort(Comparator.comparingInt(Use::offset));
        return out;
    }
}
