package dev.mig.lint;

import dev.mig.diagnose.StatementShapes.ForeignKey;
import dev.mig.lint.PlanTables.TableRef;
import dev.mig.model.LintRule;

import java.util.Collection;

/**
 * polymorphic-foreign-key: a key column {@code x_id} beside a column {@code x_type} is one column
 * pointing at several tables, chosen by {@code x_type}. A foreign key on it can only hold when every
 * row points at the one table it references, so it is reported on new tables too. The same reading
 * as the 23503 mig hint.
 */
final class Polymorphic {

    private Polymorphic() {
    }

    static void check(StepLint lint, TableRef table, ForeignKey key, Collection<String> columns) {
        for (String column : key.columns()) {
            if (!column.endsWith("_id")) {
                continue;
            }
            String sibling = column.substring(0, column.length() - 3) + "_type";
            if (!columns.contains(sibling)) {
                continue;
            }
            String ref = key.refSchema() == null ? key.refTable() : key.refSchema() + "." + key.refTable();
            lint.report(LintRule.POLYMORPHIC_FOREIGN_KEY, table, "FOREIGN KEY (" + String.join(", ", key.columns())
                    + ") REFERENCES " + ref + " on table " + table.name() + ": " + column + " has a sibling column " + sibling
                    + ", so it looks polymorphic (one column pointing at several tables, chosen by " + sibling
                    + "), and the key rejects every row that points at another table than " + ref
                    + "; use one key column per target table (each with its own foreign key), or no foreign key");
            return;
        }
    }
}
