package dev.mig.plan;

import dev.mig.catalog.FunctionSignature;
import dev.mig.catalog.QualifiedName;
import dev.mig.model.ObjectKind;

import java.util.List;
import java.util.Optional;

/**
 * The name checks the catalog applies when it is asked, applied while the plan loads: an invalid
 * name in a guard or verify block used to surface only at run time, after the step's SQL ran,
 * while the same name in cleanup was a plan error.
 */
public final class CatalogNames {

    private CatalogNames() {
    }

    /** Why {@code name} cannot name an object of {@code kind}; empty when it can. */
    public static Optional<String> problem(ObjectKind kind, String name) {
        if (name == null) {
            return Optional.of("a name is missing");
        }
        try {
            switch (kind) {
                case SCHEMA, ROLE, EXTENSION -> QualifiedName.parseIdentifier(name);
                case COLUMN, TRIGGER, POLICY -> {
                    List<String> parts = QualifiedName.parts(name);
                    if (parts.size() < 2 || parts.size() > 3) {
                        return Optional.of("invalid name '" + name + "': expected table.name or schema.table.name");
                    }
                }
                case FUNCTION -> FunctionSignature.parse(name);
                default -> QualifiedName.parse(name);
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** For a member of a table given as two arguments: {@code column('t', 'c')}. */
    public static Optional<String> memberProblem(String table, String member) {
        Optional<String> t = problem(ObjectKind.TABLE, table);
        return t.isPresent() ? t : problem(ObjectKind.SCHEMA, member).map(m -> m.replace("a single identifier", "a single identifier (a column, trigger or policy name)"));
    }
}
