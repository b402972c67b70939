package dev.mig.diagnose;

import dev.mig.catalog.Identifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 23514 raised by an ALTER TABLE that checks the rows against a CHECK constraint (VALIDATE
 * CONSTRAINT, ADD CHECK): how many rows break it, and what to do; for a check of one column's
 * {@code IS NOT NULL} (addNotNull's), the column is named. The expression comes from the catalog
 * (pg_get_expr), the table's name through {@link Identifiers}; the count runs under the diagnosis'
 * statement timeout.
 */
final class CheckViolation {

    private static final Pattern NOT_NULL = Pattern.compile("\\(?(\\w+|\"(?:[^\"]|\"\")+\") IS NOT NULL\\)?");

    private CheckViolation() {
    }

    static List<String> diagnose(Context ctx) {
        ServerError e = ctx.error();
        if (ctx.tokens().isEmpty() || !ctx.tokens().get(0).is("ALTER") || e.schema() == null || e.table() == null
                || e.constraint() == null) {
            return List.of();
        }
        String qualified = Identifiers.qualified(e.schema(), e.table());
        Object expression = ctx.value("SELECT pg_get_expr(conbin, conrelid) FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND conname = ? AND contype = 'c'", qualified, e.constraint());
        if (expression == null) {
            return List.of();
        }
        String expr = expression.toString();
        String table = Names.display(e.schema(), e.table());
        boolean validate = ctx.tokens().stream().anyMatch(t -> t.is("VALIDATE"));
        String stays = validate ? "; the constraint, added NOT VALID, stays and already rejects new rows that break it" : "";
        List<String> lines = new ArrayList<>();
        String counted = DataCheck.counted(ctx, () -> {
            long rows = ((Number) ctx.value("SELECT count(*) FROM " + qualified + " WHERE NOT (" + expr + ")")).longValue();
            Matcher m = NOT_NULL.matcher(expr);
            if (m.matches()) {
                String column = m.group(1);
                lines.add(Names.count(rows, "row", "rows") + " of " + table + " have " + column + " null: fill them (UPDATE "
                        + Names.sqlIdent(e.table()) + " SET " + column + " = ... WHERE " + column + " IS NULL), then run"
                        + " the plan again" + stays);
            } else {
                lines.add(Names.count(rows, "row", "rows") + " of " + table + " break CHECK " + (expr.startsWith("(") ? expr : "(" + expr + ")") + ": fix them, then run"
                        + " the plan again" + stays);
            }
            return null;
        });
        if (counted != null) {
            lines.add(counted);
        }
        return lines;
    }
}
