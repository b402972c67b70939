package dev.mig.verify;

import dev.mig.catalog.Catalog;
import dev.mig.catalog.ConstraintInfo;
import dev.mig.catalog.IndexInfo;
import dev.mig.catalog.QualifiedName;
import dev.mig.catalog.SchemaContents;
import dev.mig.catalog.TableInfo;
import dev.mig.model.Expectation;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks {@code foreignKeys 1}, {@code policies 'owner', 'admin'}, {@code tables 35} against the
 * names the catalog found, and says what differs: the names found for a count (so a reader sees
 * which one is extra), the missing and extra ones for a list of names.
 */
final class NameSets {

    /** How many names of a schema's contents a message lists before it says "and N more"; a table's are listed whole. */
    static final int SHOWN = 20;

    private NameSets() {
    }

    /** {@code schema('kb') { tables 35 }}: one query for the schema, then each kind against its names. */
    static void checkSchema(Expectation.Schema expected, Catalog catalog, Failures fail) {
        String subject = "schema " + expected.name();
        SchemaContents contents = catalog.schemaContents(expected.name());
        if (contents == null) {
            fail.missing(subject, "does not exist");
            return;
        }
        for (Expectation.NameSet set : expected.nameSets()) {
            check(subject, set, contents.names(set.kind()), SHOWN, fail);
        }
    }

    /** A table's {@code foreignKeys}, {@code policies 'a'}, {@code indexes 1, excluding: ...} and {@code noForeignKey}. */
    static void checkTable(String subject, Expectation.Table expected, TableInfo table, Failures fail) {
        for (Expectation.NameSet set : expected.nameSets()) {
            // a table's counts list every name found, as they always have
            check(subject, set, names(set, table), Integer.MAX_VALUE, fail);
        }
        for (String column : expected.noForeignKeys()) {
            String folded = fold(column);
            List<String> covering = table.constraints('f').stream().filter(fk -> fk.columns().contains(folded))
                    .map(fk -> fk.name() + " " + fk.describeForeignKey()).toList();
            if (!covering.isEmpty()) {
                fail.mismatch(subject, "no foreign key on " + column, String.join("; ", covering));
            }
        }
    }

    private static List<String> names(Expectation.NameSet set, TableInfo table) {
        return switch (set.kind()) {
            case "columns" -> table.columnNames();
            case "foreignKeys" -> table.constraints('f').stream().map(ConstraintInfo::name).toList();
            case "policies" -> table.policies();
            case "triggers" -> table.triggers();
            case "indexes" -> {
                // PostgreSQL names the index behind a primary key, unique or exclusion constraint after it
                List<String> behindConstraints = table.constraints().stream()
                        .filter(c -> "constraints".equals(set.excluding()) ? "pux".indexOf(c.type()) >= 0 : c.type() == 'p')
                        .map(ConstraintInfo::name).toList();
                yield table.indexes().stream().map(IndexInfo::name)
                        .filter(name -> set.excluding() == null || !behindConstraints.contains(name)).toList();
            }
            default -> throw new IllegalArgumentException("unknown kind '" + set.kind() + "' of a table");
        };
    }

    /**
     * @param found the catalog's names, as messages show them ({@code docs.docs_touch},
     *              {@code touch()}); a name the plan writes matches one equal to it, the same
     *              function with any arguments, or the same trigger or policy on any table
     */
    static void check(String subject, Expectation.NameSet expected, List<String> found, int shownAtMost, Failures fail) {
        if (expected.count() != null) {
            if (!expected.count().matches(found.size())) {
                fail.mismatch(subject, expected.describe(), found.size() + (found.isEmpty() ? "" : " (" + shown(found, shownAtMost) + ")"));
            }
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> matched = new ArrayList<>();
        for (String name : expected.names()) {
            String wanted = fold(name);
            List<String> hits = found.stream().filter(f -> matches(wanted, f)).toList();
            if (hits.isEmpty()) {
                missing.add(name);
            }
            matched.addAll(hits);
        }
        List<String> extra = found.stream().filter(f -> !matched.contains(f)).toList();
        if (!missing.isEmpty() || !extra.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing: " + String.join(", ", missing));
            }
            if (!extra.isEmpty()) {
                parts.add("extra: " + shown(extra, shownAtMost));
            }
            fail.mismatch(subject, expected.describe(), (found.isEmpty() ? "none" : shown(found, shownAtMost))
                    + " (" + String.join("; ", parts) + ")");
        }
    }

    /**
     * {@code (missing: embedding)}; when the plan names as many columns as it counts, also the
     * columns the table has beyond them: {@code (extra: score)}.
     */
    static String columnsDiffer(Expectation.Table expected, List<Expectation.ColumnSpec> specs, TableInfo table) {
        List<String> named = specs.stream().map(spec -> QualifiedName.parseIdentifier(spec.name())).toList();
        List<String> parts = new ArrayList<>();
        List<String> missing = specs.stream().map(Expectation.ColumnSpec::name)
                .filter(name -> table.column(QualifiedName.parseIdentifier(name)) == null).toList();
        if (!missing.isEmpty()) {
            parts.add("missing: " + String.join(", ", missing));
        }
        if (!expected.columns().atLeast() && named.size() == expected.columns().n()) {
            List<String> extra = table.columnNames().stream().filter(name -> !named.contains(name)).toList();
            if (!extra.isEmpty()) {
                parts.add("extra: " + String.join(", ", extra));
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    /** {@code a, b, c} or {@code a, b, ... and 12 more}. */
    static String shown(List<String> names, int atMost) {
        if (names.size() <= atMost) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, atMost)) + " and " + (names.size() - atMost) + " more";
    }

    private static boolean matches(String wanted, String found) {
        return found.equals(wanted) || found.startsWith(wanted + "(") || found.endsWith("." + wanted);
    }

    /** A name as the catalog stores it: folded to lower case unless the plan quoted it. */
    private static String fold(String name) {
        return name.contains("\"") ? name.replace("\"", "") : name.toLowerCase(java.util.Locale.ROOT);
    }
}
