package dev.mig.verify;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.CatalogObject;
import dev.mig.catalog.CatalogView;
import dev.mig.catalog.ColumnInfo;
import dev.mig.catalog.FunctionInfo;
import dev.mig.catalog.IndexInfo;
import dev.mig.catalog.QualifiedName;
import dev.mig.catalog.TableInfo;
import dev.mig.catalog.TypeInfo;
import dev.mig.model.Expectation;
import dev.mig.model.ObjectKind;
import dev.mig.model.VerifyBlock;
import groovy.lang.Closure;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.codehaus.groovy.runtime.typehandling.DefaultTypeTransformation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks a verify block against the catalog. Every expectation is evaluated, so one run reports
 * everything that is wrong (docs/DSL.md section 6); each failure says expected against found.
 *
 * <p>Each expectation runs under {@link Catalog#attempt}, so a failing query in one of them (a
 * bad {@code expect} closure) does not abort the transaction the rest are checked in. A malformed
 * name is reported as that expectation's failure, not thrown.
 */
public class Verifier {

    public List<VerifyFailure> check(VerifyBlock block, Catalog catalog, CatalogView view) {
        List<VerifyFailure> failures = new ArrayList<>();
        for (Expectation expectation : block.expectations()) {
            Consumer<String> fail = message -> failures.add(new VerifyFailure(expectation, message));
            try {
                catalog.attempt(() -> {
                    checkOne(expectation, catalog, view, fail);
                    return null;
                });
            } catch (RuntimeException e) {
                fail.accept(label(expectation) + ": " + describe(e));
            }
        }
        return failures;
    }

    private void checkOne(Expectation expectation, Catalog catalog, CatalogView view, Consumer<String> fail) {
        // Java 17 has no pattern switch; the sealed interface keeps this list complete
        if (expectation instanceof Expectation.Table t) {
            checkTable(t, catalog, fail);
        } else if (expectation instanceof Expectation.Index i) {
            checkIndex(i, catalog, fail);
        } else if (expectation instanceof Expectation.Exists e) {
            checkExists(e, catalog, view, fail);
        } else if (expectation instanceof Expectation.Member m) {
            if (!member(m, view).exists()) {
                fail.accept(label(m) + ": does not exist");
            }
        } else if (expectation instanceof Expectation.Absent a) {
            checkAbsent(a, view, fail);
        } else if (expectation instanceof Expectation.RowCount r) {
            checkRowCount(r, catalog, fail);
        } else if (expectation instanceof Expectation.EnumLabels e) {
            checkEnum(e, catalog, fail);
        } else if (expectation instanceof Expectation.Condition c) {
            checkCondition(c, catalog, view, fail);
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
        }
        return "absent";
    }

    private void checkTable(Expectation.Table expected, Catalog catalog, Consumer<String> fail) {
        String label = label(expected);
        TableInfo table = catalog.table(expected.name());
        if (table == null) {
            fail.accept(label + ": does not exist");
            return;
        }
        // name order keeps messages stable whatever order the plan wrote them in
        List<Expectation.ColumnSpec> specs = expected.columnSpecs().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(entry -> entry.getValue() != null ? entry.getValue()
                        : new Expectation.ColumnSpec(entry.getKey(), null, null, null, null))
                .toList();
        if (expected.columns() != null && !expected.columns().matches(table.columns().size())) {
            List<String> missing = specs.stream().map(Expectation.ColumnSpec::name)
                    .filter(name -> table.column(QualifiedName.parseIdentifier(name)) == null).toList();
            fail.accept(label + ": expected " + expected.columns() + " columns, found " + table.columns().size()
                    + (missing.isEmpty() ? "" : " (missing: " + String.join(", ", missing) + ")"));
        }
        for (Expectation.ColumnSpec spec : specs) {
            checkColumn(label, spec, table, catalog, fail);
        }
        if (expected.indexes() != null && !expected.indexes().matches(table.indexes().size())) {
            List<String> names = table.indexes().stream().map(IndexInfo::name).toList();
            fail.accept(label + ": expected " + expected.indexes() + " indexes, found " + names.size()
                    + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")"));
        }
    }

    private void checkColumn(String tableLabel, Expectation.ColumnSpec spec, TableInfo table, Catalog catalog,
                             Consumer<String> fail) {
        String label = tableLabel + ", column " + spec.name();
        ColumnInfo column;
        try {
            column = table.column(QualifiedName.parseIdentifier(spec.name()));
        } catch (IllegalArgumentException badName) {
            fail.accept(label + ": " + badName.getMessage());
            return;
        }
        if (column == null) {
            fail.accept(label + ": does not exist");
            return;
        }
        if (spec.type() != null && !TypeNames.matches(spec.type(), column.type(), catalog)) {
            fail.accept(label + ": expected type " + spec.type() + ", found " + column.type());
        }
        if (spec.notNull() != null && spec.notNull() != column.notNull()) {
            fail.accept(label + ": expected " + nullability(spec.notNull()) + ", found " + nullability(column.notNull()));
        }
        if (spec.defaultValue() != null && !Defaults.matches(spec.defaultValue(), column.defaultExpr())) {
            fail.accept(label + ": expected default " + spec.defaultValue() + ", found "
                    + (column.defaultExpr() == null ? "no default" : column.defaultExpr()));
        }
    }

    private static String nullability(boolean notNull) {
        return notNull ? "NOT NULL" : "nullable";
    }

    private void checkIndex(Expectation.Index expected, Catalog catalog, Consumer<String> fail) {
        String label = label(expected);
        IndexInfo index = catalog.index(expected.name());
        if (index == null) {
            fail.accept(label + ": does not exist");
            return;
        }
        if (expected.unique() != null && expected.unique() != index.unique()) {
            fail.accept(label + ": expected " + (expected.unique() ? "unique" : "not unique") + ", found "
                    + (index.unique() ? "unique" : "not unique"));
        }
        if (expected.valid() != null && expected.valid() != index.valid()) {
            fail.accept(label + ": expected " + validity(expected.valid()) + ", found " + validity(index.valid()));
        }
        if (expected.method() != null && !expected.method().equalsIgnoreCase(index.method())) {
            fail.accept(label + ": expected method " + expected.method() + ", found " + index.method());
        }
        if (expected.table() != null) {
            QualifiedName on = QualifiedName.parse(expected.table());
            boolean sameTable = on.name().equals(index.table())
                    && (on.schema() == null || on.schema().equals(index.schema()));
            if (!sameTable) {
                String found = on.schema() == null ? index.table() : index.schema() + "." + index.table();
                fail.accept(label + ": expected on table " + expected.table() + ", found on " + found);
            }
        }
    }

    private static String validity(boolean valid) {
        return valid ? "valid" : "INVALID";
    }

    private void checkExists(Expectation.Exists expected, Catalog catalog, CatalogView view, Consumer<String> fail) {
        if (view.object(expected.kind(), expected.name()).exists()) {
            return;
        }
        String label = label(expected);
        if (expected.kind() == ObjectKind.EXTENSION) {
            fail.accept(label + ": not installed");
        } else if (expected.kind() == ObjectKind.FUNCTION) {
            List<String> overloads = catalog.functions(expected.name()).stream()
                    .map(FunctionInfo::signature).toList();
            fail.accept(label + ": does not exist"
                    + (overloads.isEmpty() ? "" : " (overloads: " + String.join(", ", overloads) + ")"));
        } else if (expected.kind() == ObjectKind.ENUM_TYPE && catalog.type(expected.name()) != null) {
            fail.accept(label + ": exists but is not an enum type");
        } else {
            fail.accept(label + ": does not exist");
        }
    }

    private void checkAbsent(Expectation.Absent expected, CatalogView view, Consumer<String> fail) {
        for (Expectation object : expected.objects()) {
            String what = label(object);
            CatalogObject found;
            try {
                found = object instanceof Expectation.Member m ? member(m, view)
                        : view.object(((Expectation.Exists) object).kind(), ((Expectation.Exists) object).name());
            } catch (IllegalArgumentException badName) {
                fail.accept("absent: " + what + ": " + badName.getMessage());
                continue;
            }
            if (found.exists()) {
                fail.accept("absent: " + what + " exists");
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

    private void checkRowCount(Expectation.RowCount expected, Catalog catalog, Consumer<String> fail) {
        long found = catalog.rowCount(expected.table());
        if (found < 0) {
            fail.accept(label(expected) + ": table does not exist");
        } else if (!expected.count().matches(found)) {
            fail.accept(label(expected) + ": expected " + expected.count() + " rows, found " + found);
        }
    }

    private void checkEnum(Expectation.EnumLabels expected, Catalog catalog, Consumer<String> fail) {
        String label = label(expected);
        TypeInfo type = catalog.type(expected.name());
        if (type == null) {
            fail.accept(label + ": does not exist");
            return;
        }
        List<String> labels = catalog.enumLabels(expected.name());
        if (labels == null) {
            fail.accept(label + ": expected an enum type, found type kind '" + type.kind() + "'");
        } else if (expected.labels() != null && !expected.labels().equals(labels)) {
            fail.accept(label + ": expected labels " + expected.labels() + ", found " + labels);
        }
    }

    private void checkCondition(Expectation.Condition expected, Catalog catalog, CatalogView view,
                                Consumer<String> fail) {
        Closure<?> condition = expected.condition().rehydrate(view, expected.condition().getOwner(),
                expected.condition().getThisObject());
        condition.setResolveStrategy(Closure.DELEGATE_FIRST);
        Object result;
        try {
            // its own savepoint: the failure is caught here, so the outer one would not roll back
            result = catalog.attempt(condition::call);
        } catch (RuntimeException e) {
            fail.accept(label(expected) + ": threw " + describe(e));
            return;
        }
        if (!DefaultTypeTransformation.castToBoolean(result)) {
            fail.accept(label(expected) + ": was false");
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
