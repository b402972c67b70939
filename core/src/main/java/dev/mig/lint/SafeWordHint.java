package dev.mig.lint;

import dev.mig.catalog.QualifiedName;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The end of a finding that a plan word fixes: {@code ; write instead, in the plan block:
 * addNotNull 'orders', 'customer_id'}, the exact line, built from the statement's names
 * (docs/DSL.md, "Safe schema changes on busy tables").
 */
final class SafeWordHint {

    private static final String PREFIX = "; write instead, in the plan block: ";
    private static final Pattern ON_DELETE = Pattern.compile(
            "(?i)\\bON\\s+DELETE\\s+(CASCADE|RESTRICT|NO\\s+ACTION|SET\\s+NULL|SET\\s+DEFAULT)\\b");

    private SafeWordHint() {
    }

    static String addNotNull(QualifiedName table, String column) {
        return PREFIX + "addNotNull " + quoted(table(table)) + ", " + quoted(name(column));
    }

    /** {@code addForeignKey 'orders', 'customer_id', references: 'customers(id)', onDelete: 'cascade'}. */
    static String addForeignKey(QualifiedName table, List<String> columns, String refSchema, String refTable,
                                List<String> refColumns, String constraint, String statement) {
        StringBuilder out = new StringBuilder(PREFIX).append("addForeignKey ").append(quoted(table(table))).append(", ");
        String cols = columns.stream().map(SafeWordHint::name).map(SafeWordHint::quoted).collect(Collectors.joining(", "));
        out.append(columns.size() == 1 ? cols : "[" + cols + "]");
        String ref = (refSchema == null ? "" : name(refSchema) + ".") + name(refTable)
                + (refColumns == null || refColumns.isEmpty() ? ""
                : "(" + refColumns.stream().map(SafeWordHint::name).collect(Collectors.joining(", ")) + ")");
        out.append(", references: ").append(quoted(ref));
        Matcher onDelete = ON_DELETE.matcher(statement);
        if (onDelete.find()) {
            out.append(", onDelete: ").append(quoted(onDelete.group(1).replaceAll("\\s+", " ").toLowerCase(Locale.ROOT)));
        }
        if (constraint != null) {
            out.append(", name: ").append(quoted(name(constraint)));
        }
        return out.toString();
    }

    static String addCheck(QualifiedName table, String constraint, String expression) {
        String named = constraint != null ? constraint : table.name() + "_check";
        return PREFIX + "addCheck " + quoted(table(table)) + ", " + quoted(name(named)) + ", " + quoted(expression.strip());
    }

    /** {@code createIndex 'orders', 'customer_id', unique: true, where: '...', name: 'i'}. */
    static String createIndex(QualifiedName table, List<String> keys, boolean unique, String using, String where, String index) {
        StringBuilder out = new StringBuilder(PREFIX).append("createIndex ").append(quoted(table(table)));
        for (String key : keys) {
            out.append(", ").append(quoted(key.strip()));
        }
        if (unique) {
            out.append(", unique: true");
        }
        if (using != null) {
            out.append(", using: ").append(quoted(using));
        }
        if (where != null) {
            out.append(", where: ").append(quoted(where.strip()));
        }
        if (index != null) {
            out.append(", name: ").append(quoted(name(index)));
        }
        return out.toString();
    }

    /** {@code changeColumnType 'orders', 'amount', to: 'bigint', using: 'amount / 100'}; {@code using} null when not written. */
    static String changeColumnType(QualifiedName table, String column, String type, String using) {
        return PREFIX + "changeColumnType " + quoted(table(table)) + ", " + quoted(name(column)) + ", to: " + quoted(type.strip())
                + (using == null ? "" : ", using: " + quoted(using.strip()));
    }

    /** The table as a plan writes it: without the schema public. */
    static String table(QualifiedName table) {
        return table.schema() == null || table.schema().equals("public") ? name(table.name())
                : name(table.schema()) + "." + name(table.name());
    }

    /** An SQL name: as is where it needs no quotes, else in double quotes. */
    static String name(String ident) {
        return ident.matches("[a-z_][a-z0-9_$]*") ? ident : '"' + ident.replace("\"", "\"\"") + '"';
    }

    /** A Groovy single-quoted string. */
    static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
