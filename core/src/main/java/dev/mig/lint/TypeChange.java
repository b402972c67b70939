package dev.mig.lint;

import dev.mig.catalog.QualifiedName;
import dev.mig.lint.TargetFacts.ColumnType;
import dev.mig.lint.TargetFacts.TypeName;
import dev.mig.sql.SqlTokens.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether {@code ALTER COLUMN c TYPE t} rewrites the table, decided the way PostgreSQL decides it
 * (ATColumnChangeRequiresRewrite), from the column's type on the target: no rewrite when the old
 * type converts to the new one by a binary-coercible cast and no modifier is added
 * ({@code varchar(n)} to {@code text}), or when the type stays and its modifier only relaxes
 * (a longer {@code varchar}, more {@code numeric} precision at the same scale, a finer or default
 * time precision). Anything else rewrites, {@code USING} included (unless it is the column itself).
 * Some changes PostgreSQL can do without a rewrite are counted as rewrites here (timestamp to
 * timestamptz with TimeZone UTC, a domain over the same type): lint errs towards reporting.
 */
final class TypeChange {

    enum Rewrite { YES, NO, UNKNOWN }

    /** The answer, and why, to follow the type change in a message. */
    record Verdict(Rewrite rewrite, String why) {
    }

    private TypeChange() {
    }

    static Verdict judge(TargetFacts target, QualifiedName table, String column, String written, List<Token> type,
                         List<Token> using) {
        if (using != null && !(using.size() == 1 && column.equals(using.get(0).identifier()))) {
            return new Verdict(Rewrite.YES, "its USING clause computes a new value for every row");
        }
        if (!target.connected()) {
            return new Verdict(Rewrite.UNKNOWN, "without a target mig cannot see the column's current type, and most type"
                    + " changes rewrite the table (not varchar(n) to text or to a longer varchar)");
        }
        ColumnType old = target.columnType(table, column);
        if (old == null) {
            return new Verdict(Rewrite.UNKNOWN, "the target has no column " + column + " yet, so mig cannot tell whether"
                    + " this rewrites the table");
        }
        TypeName now = target.type(written);
        if (now == null) {
            return new Verdict(Rewrite.UNKNOWN, "the target does not know type " + written + " yet, so mig cannot tell"
                    + " whether this rewrites the table");
        }
        List<Integer> modifiers = modifiers(type);
        String change = old.shown() + " to " + written;
        if (now.oid() == old.oid()) {
            return relaxes(old, now.typname(), modifiers)
                    ? new Verdict(Rewrite.NO, change + " keeps every stored value as it is")
                    : new Verdict(Rewrite.YES, change + " checks and rewrites every value");
        }
        if (modifiers.isEmpty() && target.binaryCoercible(old.oid(), now.oid())) {
            return new Verdict(Rewrite.NO, change + " is binary-coercible");
        }
        return new Verdict(Rewrite.YES, change + " is not binary-coercible");
    }

    /** The same type with a modifier that only relaxes what the column accepts, as the types' support functions decide. */
    private static boolean relaxes(ColumnType old, String typname, List<Integer> modifiers) {
        int typmod = old.typmod();
        Integer wanted = modifiers.isEmpty() ? null : modifiers.get(0);
        switch (typname) {
            case "varchar":
            case "varbit": {
                int oldLength = typmod < 0 ? -1 : typname.equals("varchar") ? typmod - 4 : typmod;
                return wanted == null || (oldLength >= 0 && wanted >= oldLength);
            }
            case "bpchar":
                return typmod >= 0 && wanted != null && wanted == typmod - 4;
            case "bit":
                return typmod >= 0 && wanted != null && wanted == typmod;
            case "numeric": {
                if (wanted == null) {
                    return true;
                }
                if (typmod < 4) {
                    return false;
                }
                int oldPrecision = ((typmod - 4) >> 16) & 0xffff;
                int oldScale = (typmod - 4) & 0xffff;
                int scale = modifiers.size() > 1 ? modifiers.get(1) : 0;
                return scale == oldScale && wanted >= oldPrecision;
            }
            case "timestamp":
            case "timestamptz":
            case "time":
            case "timetz":
                return wanted == null || wanted >= 6 || (typmod >= 0 && typmod <= wanted);
            default:
                return wanted == null && typmod < 0;
        }
    }

    /** The integers of the first parenthesised list of a type name: {@code numeric(12, 2)} gives 12, 2. */
    static List<Integer> modifiers(List<Token> type) {
        List<Integer> out = new ArrayList<>();
        int open = -1;
        for (int i = 0; i < type.size(); i++) {
            if (type.get(i).isPunctuation('(')) {
                open = i;
                break;
            }
        }
        if (open < 0) {
            return out;
        }
        for (int i = open + 1; i < type.size() && !type.get(i).isPunctuation(')'); i++) {
            String text = type.get(i).text();
            if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
                out.add(Integer.parseInt(text));
            }
        }
        return out;
    }
}
