package dev.mig.verify;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.CatalogObject;
import dev.mig.catalog.CatalogView;
import dev.mig.catalog.ColumnInfo;
import dev.mig.catalog.ConstraintInfo;
import dev.mig.catalog.RelationInfo;
import dev.mig.catalog.FunctionInfo;
import dev.mig.catalog.IndexInfo;
import dev.mig.catalog.QualifiedName;
import dev.mig.catalog.TableInfo;
import dev.mig.catalog.TypeInfo;
import dev.mig.model.Count;
import dev.mig.model.Expectation;
import dev.mig.model.ObjectKind;
import dev.mig.model.VerifyBlock;
import dev.mig.result.VerifyFailure;
import groovy.lang.Closure;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a verify block against the catalog. Every expectation is evaluated, so one run reports
 * everything that is wrong (docs/DSL.md section 6); each failure says expected against found.
 *
 * <p>The expectations run under {@link Catalog#attemptEach}, so a failing query in one of them (a
 * bad {@code expect} closure) does not abort the transaction the rest are checked in. A malformed
 * name is reported as that expectation's failure, not thrown.
 */
public class Verifier {

    public List<VerifyFailure> check(VerifyBlock block, Catalog catalog, CatalogView view) {
        List<VerifyFailure> failures = new ArrayList<>();
        catalog.attemptEach(block.expectations(),
                expectation -> checkOne(expectation, catalog, view, (subject, expected, found, message) ->
                        failures.add(new VerifyFailure(expectation, subject, expected, found, message))),
                (expectation, e) -> failures.add(new VerifyFailure(expectation, label(expectation), null, null,
                        label(expectation) + ": " + describe(e))));
        return failures;
    }

    private void checkOne(Expectation expectation, Catalog catalog, CatalogView view, Failures fail) {
        // Java 17 has no pattern switch; the sealed interface keeps this list complete
        if (expectation instanceof Expectation.Table t) {
            checkTable(t, catalog, fail);
        } else if (expectation instanceof Expectation.Index i) {
            checkIndex(i, catalog, fail);
        } else if (expectation instanceof Expectation.Exists e) {
            checkExists(e, catalog, view, fail);
        } else if (expectation instanceof Expectation.Member m) {
            if (!member(m, view).exists()) {
                fail.missing(label(m), "does not exist");
            }
        } else if (expectation instanceof Expectation.Absent a) {
            checkAbsent(a, view, fail);
        } else if (expectation instanceof Expectation.RowCount r) {
            checkRowCount(r, catalog, fail);
        } else if (expectation instanceof Expectation.EnumLabels e) {
            checkEnum(e, catalog, fail);
        } else if (expectation instanceof Expectation.Condition c) {
            checkCondition(c, catalog, view, fail);
        } else if (expectation instanceof Expectation.Schema s) {
            NameSets.checkSchema(s, catalog, fail);
        } else {
            throw new IllegalStateException("unknown expectation " + expectation);
        }
    }

    private static String label(Expectation expectation) {
        if (expectation instanceof Expectation.Table t) {
            return "table " + t.name();
        } else if (expectation instanceof Expectation.Index i) {
            return "index " + i.name();
        } else if (expectation instanceof Expectation.Exists e) {
            return e.kind().label() + " " + e.name();
        } else if (expectation instanceof Expectation.Member m) {
            return m.kind().label() + " " + m.name() + " on " + m.table();
        } else if (expectation instanceof Expectation.RowCount r) {
            return "rowCount " + r.table();
        } else if (expectation instanceof Expectation.EnumLabels e) {
            return "enum type " + e.name();
        } else if (expectation instanceof Expectation.Condition c) {
            return "expect '" + c.message() + "'";
        } else if (expectation instanceof Expectation.Schema s) {
            return "schema " + s.name();
        }
        return "absent";
    }

    private void checkTable(Expectation.Table expected, Catalog catalog, Failures fail) {
        String label = label(expected);
        TableInfo table = catalog.table(expected.name());
        if (table == null) {
            fail.missing(label, "does not exist");
            return;
        }
        // name order keeps messages stable whatever order the plan wrote them in
        List<Expectation.ColumnSpec> specs = expected.columnSpecs().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(entry -> entry.getValue() != null ? entry.getValue()
                        : new Expectation.ColumnSpec(entry.getKey(), null, null, null, null))
                .toList();
        if (expected.columns() != null && !expected.columns().matches(table.columns().size())) {
            fail.mismatch(label, expected.columns() + " columns", table.columns().size() + NameSets.columnsDiffer(expected, specs, table));
        }
        for (Expectation.ColumnSpec spec : specs) {
            checkColumn(label, spec, table, catalog, fail);
        }
        checkCount(label, "indexes", expected.indexes(), table.indexes().stream().map(IndexInfo::name).toList(), fail);
        checkKeys(label, expected, table, catalog, fail);
        if (expected.rowLevelSecurity() != null && expected.rowLevelSecurity() != table.rowLevelSecurity()) {
            fail.mismatch(label, "row-level security " + enabled(expected.rowLevelSecurity()),
                    enabled(table.rowLevelSecurity()));
        }
        if (expected.forceRowLevelSecurity() != null && expected.forceRowLevelSecurity() != table.forceRowLevelSecurity()) {
            fail.mismatch(label, "row-level security " + (expected.forceRowLevelSecurity() ? "forced" : "not forced")
                    + " on the owner", table.forceRowLevelSecurity() ? "forced" : "not forced");
        }
        checkCount(label, "policies", expected.policies(), table.policies(), fail);
        checkCount(label, "triggers", expected.triggers(), table.triggers(), fail);
        NameSets.checkTable(label, expected, table, fail);
        if (expected.comment() != null && !expected.comment().equals(table.comment())) {
            fail.mismatch(label, "comment '" + expected.comment() + "'",
                    table.comment() == null ? "no comment" : "'" + table.comment() + "'");
        }
    }

    /** {@code expected 3 indexes, found 2 (a_pkey, a_b_idx)}. */
    private static void checkCount(String label, String what, Count expected, List<String> found, Failures fail) {
        if (expected != null && !expected.matches(found.size())) {
            fail.mismatch(label, expected + " " + what, found.size()
                    + (found.isEmpty() ? "" : " (" + String.join(", ", found) + ")"));
        }
    }

    private static String enabled(boolean on) {
        return on ? "enabled" : "disabled";
    }

    /** Primary key, foreign keys, unique sets and checks: each missing one says what the table has instead. */
    private void checkKeys(String label, Expectation.Table expected, TableInfo table, Catalog catalog, Failures fail) {
        if (expected.primaryKey() != null) {
            List<String> wanted = identifiers(expected.primaryKey());
            List<String> found = table.primaryKey();
            if (!wanted.equals(found)) {
                fail.mismatch(label, "primary key " + columnList(wanted),
                        found.isEmpty() ? "no primary key" : columnList(found));
            }
        }
        List<ConstraintInfo> foreignKeys = table.constraints('f');
        for (Expectation.ForeignKeySpec fk : expected.foreignKeys()) {
            if (foreignKeys.stream().noneMatch(found -> matches(fk, found, catalog))) {
                fail.mismatch(label, "foreign key " + fk,
                        foreignKeys.isEmpty() ? "no foreign keys" : foreignKeys.stream()
                        .map(f -> f.describeForeignKey() + (f.onDelete().equals("no action") ? "" : " on delete " + f.onDelete()))
                        .collect(Collectors.joining("; ")));
            }
        }
        List<Set<String>> uniqueSets = new ArrayList<>();
        for (ConstraintInfo c : table.constraints()) {
            if (c.type() == 'u' || c.type() == 'p') {
                uniqueSets.add(new LinkedHashSet<>(c.columns()));
            }
        }
        for (IndexInfo index : table.indexes()) {
            if (index.enforcesUniqueOn(new LinkedHashSet<>(index.columns()))) {
                uniqueSets.add(new LinkedHashSet<>(index.columns()));
            }
        }
        for (List<String> unique : expected.uniques()) {
            Set<String> wanted = new LinkedHashSet<>(identifiers(unique));
            if (!uniqueSets.contains(wanted)) {
                List<String> shown = uniqueSets.stream().distinct().map(set -> columnList(List.copyOf(set))).toList();
                fail.mismatch(label, "unique " + columnList(List.copyOf(wanted)),
                        shown.isEmpty() ? "no unique constraint or index" : "unique " + String.join(", ", shown));
            }
        }
        List<String> checkNames = table.constraints('c').stream().map(ConstraintInfo::name).toList();
        for (String check : expected.checks()) {
            if (!checkNames.contains(QualifiedName.parseIdentifier(check))) {
                fail.mismatch(label, "check constraint " + check,
                        checkNames.isEmpty() ? "no check constraints" : String.join(", ", checkNames));
            }
        }
    }

    private static boolean matches(Expectation.ForeignKeySpec expected, ConstraintInfo found, Catalog catalog) {
        if (!identifiers(expected.columns()).equals(found.columns())) {
            return false;
        }
        if (expected.refColumns() != null && !identifiers(expected.refColumns()).equals(found.refColumns())) {
            return false;
        }
        if (expected.onDelete() != null && !expected.onDelete().equals(found.onDelete())) {
            return false;
        }
        RelationInfo target = catalog.relation(expected.refTable(), Set.of('r', 'p'));
        return target != null && target.schema().equals(found.refSchema()) && target.name().equals(found.refTable());
    }

    private static List<String> identifiers(List<String> names) {
        return names.stream().map(QualifiedName::parseIdentifier).toList();
    }

    private static String columnList(List<String> columns) {
        return "(" + String.join(", ", columns) + ")";
    }

    private void checkColumn(String tableLabel, Expectation.ColumnSpec spec, TableInfo table, Catalog catalog,
                             Failures fail) {
        String label = tableLabel + ", column " + spec.name();
        ColumnInfo column;
        try {
            column = table.column(QualifiedName.parseIdentifier(spec.name()));
        } catch (IllegalArgumentException badName) {
            fail.problem(label, badName.getMessage());
            return;
        }
        if (column == null) {
            fail.missing(label, "does not exist");
            return;
        }
        if (spec.type() != null && !TypeNames.matches(spec.type(), column.type(), catalog)) {
            fail.mismatch(label, "type " + spec.type(), column.type());
        }
        if (spec.notNull() != null && spec.notNull() != column.notNull()) {
            fail.mismatch(label, nullability(spec.notNull()), nullability(column.notNull()));
        }
        if (spec.defaultValue() != null && !Defaults.matches(spec.defaultValue(), column.defaultExpr())) {
            fail.mismatch(label, "default " + spec.defaultValue(),
                    column.defaultExpr() == null ? "no default" : column.defaultExpr());
        }
    }

    private static String nullability(boolean notNull) {
        return notNull ? "NOT NULL" : "nullable";
    }

    private void checkIndex(Expectation.Index expected, Catalog catalog, Failures fail) {
        String label = label(expected);
        IndexInfo index = catalog.index(expected.name());
        if (index == null) {
            fail.missing(label, "does not exist");
            return;
        }
        if (expected.unique() != null && expected.unique() != index.unique()) {
            fail.mismatch(label, expected.unique() ? "unique" : "not unique", index.unique() ? "unique" : "not unique");
        }
        if (expected.valid() != null && expected.valid() != index.valid()) {
            fail.mismatch(label, validity(expected.valid()), validity(index.valid()));
        }
        if (expected.method() != null && !expected.method().equalsIgnoreCase(index.method())) {
            fail.mismatch(label, "method " + expected.method(), index.method());
        }
        checkIndexShape(label, expected, index, fail);
        if (expected.table() != null) {
            QualifiedName on = QualifiedName.parse(expected.table());
            boolean sameTable = on.name().equals(index.table())
                    && (on.schema() == null || on.schema().equals(index.schema()));
            if (!sameTable) {
                String found = on.schema() == null ? index.table() : index.schema() + "." + index.table();
                fail.mismatch(label, "on table " + expected.table(), "on " + found);
            }
        }
    }

    private static void checkIndexShape(String label, Expectation.Index expected, IndexInfo index, Failures fail) {
        if (expected.columns() != null) {
            List<String> wanted = identifiers(expected.columns());
            if (!wanted.equals(index.columns()) || index.expressions()) {
                fail.mismatch(label, "columns " + columnList(wanted), columnList(index.columns())
                        + (index.expressions() ? " and an expression" : ""));
            }
        }
        if (expected.partial() != null && expected.partial() != index.partial()) {
            fail.mismatch(label, expected.partial() ? "a partial index" : "a full index (no WHERE)",
                    index.partial() ? "a partial one" : "no WHERE clause");
        }
    }

    private static String validity(boolean valid) {
        return valid ? "valid" : "INVALID";
    }

    private void checkExists(Expectation.Exists expected, Catalog catalog, CatalogView view, Failures fail) {
        if (view.object(expected.kind(), expected.name()).exists()) {
            return;
        }
        String label = label(expected);
        if (expected.kind() == ObjectKind.EXTENSION) {
            fail.missing(label, "not installed");
        } else if (expected.kind() == ObjectKind.FUNCTION) {
            List<String> overloads = catalog.functions(expected.name()).stream()
                    .map(FunctionInfo::signature).toList();
            fail.missing(label, "does not exist"
                    + (overloads.isEmpty() ? "" : " (overloads: " + String.join(", ", overloads) + ")"));
        } else if (expected.kind() == ObjectKind.ENUM_TYPE && catalog.type(expected.name()) != null) {
            fail.fail(label, "an enum type", "a type of another kind", label + ": exists but is not an enum type");
        } else {
            fail.missing(label, "does not exist");
        }
    }

    private void checkAbsent(Expectation.Absent expected, CatalogView view, Failures fail) {
        for (Expectation object : expected.objects()) {
            String what = label(object);
            CatalogObject found;
            try {
                found = object instanceof Expectation.Member m ? member(m, view)
                        : view.object(((Expectation.Exists) object).kind(), ((Expectation.Exists) object).name());
            } catch (IllegalArgumentException badName) {
                fail.fail(what, null, null, "absent: " + what + ": " + badName.getMessage());
                continue;
            }
            if (found.exists()) {
                fail.fail(what, "absent", "exists", "absent: " + what + " exists");
            }
        }
    }

    private static CatalogObject member(Expectation.Member m, CatalogView view) {
        return switch (m.kind()) {
            case COLUMN -> view.column(m.table(), m.name());
            case TRIGGER -> view.trigger(m.table(), m.name());
            case POLICY -> view.policy(m.table(), m.name());
            case CONSTRAINT -> view.constraint(m.table(), m.name());
            default -> throw new IllegalArgumentException(m.kind().label() + " is not a member of a table");
        };
    }

    private void checkRowCount(Expectation.RowCount expected, Catalog catalog, Failures fail) {
        long found = catalog.rowCount(expected.table());
        if (found < 0) {
            fail.fail(label(expected), expected.count() + " rows", "table does not exist",
                    label(expected) + ": table does not exist");
        } else if (!expected.count().matches(found)) {
            fail.mismatch(label(expected), expected.count() + " rows", String.valueOf(found));
        }
    }

    private void checkEnum(Expectation.EnumLabels expected, Catalog catalog, Failures fail) {
        String label = label(expected);
        TypeInfo type = catalog.type(expected.name());
        if (type == null) {
            fail.missing(label, "does not exist");
            return;
        }
        List<String> labels = catalog.enumLabels(expected.name());
        if (labels == null) {
            fail.mismatch(label, "an enum type", "type kind '" + type.kind() + "'");
        } else if (expected.labels() != null && !expected.labels().equals(labels)) {
            fail.mismatch(label, "labels " + expected.labels(), String.valueOf(labels));
        }
    }

    private void checkCondition(Expectation.Condition expected, Catalog catalog, CatalogView view,
                                Failures fail) {
        Closure<?> condition = expected.condition().rehydrate(view, expected.condition().getOwner(),
                expected.condition().getThisObject());
        condition.setResolveStrategy(Closure.DELEGATE_FIRST);
        Object result;
        try {
            // its own savepoint: the failure is caught here, so the outer one would not roll back
            result = catalog.attempt(condition::call);
        } catch (RuntimeException e) {
            fail.problem(label(expected), "threw " + describe(e));
            return;
        }
        if (!DefaultTypeTransformation.castToBoolean(result)) {
            fail.problem(label(expected), "was false");
        }
    }

    /** The message a user can act on: Groovy's invocation wrapper says nothing by itself. */
    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause instanceof InvokerInvocationException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
